use sea_orm::entity::prelude::*;

/// An accredited participant's badge code (printed on the badge, as text and as a QR code):
/// unguessable, not the person's id; a new one revokes the old.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "badges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: i32,
    pub conference_id: i32,
    pub code: String,
    pub issued_at: DateTimeUtc,
}
no_relations!();
