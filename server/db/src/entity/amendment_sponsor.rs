use sea_orm::entity::prelude::*;

/// A co-sponsor of an amendment (the sponsor is on the amendment itself).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendment_sponsors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub amendment_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i32,
}
no_relations!();
