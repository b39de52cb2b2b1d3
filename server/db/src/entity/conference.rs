use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conferences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub theme: String,
    pub city: String,
    pub country: String,
    pub venue: String,
    pub start_date: Date,
    pub end_date: Date,
    pub timezone: String,
    pub description: String,
    pub created_at: DateTimeUtc,
    /// registration is open from (inclusive) … until (exclusive); `None`: no limit
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    /// most registrations that are pending or accredited at once; `None`: no cap
    pub registration_cap: Option<i32>,
    /// most members per delegation in each member role; `None`: no cap
    pub cap_delegates: Option<i32>,
    pub cap_alternates: Option<i32>,
    pub cap_advisers: Option<i32>,
}
no_relations!();
