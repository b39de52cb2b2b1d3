use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub person_id: i32,
    /// stored lower-cased
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2id PHC string
    pub password_hash: String,
    pub created_at: DateTimeUtc,
    /// set when the owner followed the link sent to the address; unconfirmed accounts
    /// cannot log in
    pub confirmed_at: Option<DateTimeUtc>,
}
no_relations!();
