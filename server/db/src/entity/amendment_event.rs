use sea_orm::entity::prelude::*;

/// One step in an amendment's history: who changed its status, when, and why. A change of
/// its text without a change of status is recorded with `from_status == to_status`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendment_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub amendment_id: i32,
    /// `None` once the person is deleted
    pub actor_person_id: Option<i32>,
    /// `None` for the creation
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: DateTimeUtc,
}
no_relations!();

impl Model {
    /// The state it left (`None` for the creation, and for a value no version wrote).
    pub fn from_state(&self) -> Option<domain::drafting::amendment::AmendmentStatus> {
        self.from_status
            .as_deref()
            .and_then(domain::drafting::amendment::AmendmentStatus::parse)
    }

    /// The state it reached (a value no version wrote reads as a draft).
    pub fn to_state(&self) -> domain::drafting::amendment::AmendmentStatus {
        use domain::drafting::amendment::AmendmentStatus;
        AmendmentStatus::parse(&self.to_status).unwrap_or(AmendmentStatus::Draft)
    }
}
