use sea_orm::entity::prelude::*;

/// Someone on a page where people see each other (`domain::live::Place`), and the paragraph
/// they are at; refreshed while the page is open (see `crate::presence`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "presence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conference_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i32,
    /// `Place::key`: `editor`, `amendment:3`
    #[sea_orm(primary_key, auto_increment = false)]
    pub place: String,
    /// the label of the paragraph they are at ("4 bis"), if any
    pub paragraph: Option<String>,
    pub seen_at: DateTimeUtc,
}
no_relations!();
