use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    pub person_id: i32,
    pub delegation_id: Option<i32>,
    pub category: String,
    /// delegate | alternate | adviser | observer (within a delegation)
    pub member_role: Option<String>,
    /// pending | accredited | rejected | withdrawn
    pub status: String,
    pub status_reason: Option<String>,
    pub needs: String,
    pub consent_listed: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}
no_relations!();

impl Model {
    /// Its state. The string stays in the row; everything above the entity reads this. A value
    /// no migration wrote reads as pending, which grants nothing.
    pub fn state(&self) -> domain::registration::Status {
        use domain::registration::Status;
        Status::parse(&self.status).unwrap_or(Status::Pending)
    }

    /// The place in the delegation it is for, if any. A value no migration wrote reads as none.
    pub fn role_in_delegation(&self) -> Option<domain::registration::MemberRole> {
        self.member_role
            .as_deref()
            .and_then(domain::registration::MemberRole::parse)
    }
}
