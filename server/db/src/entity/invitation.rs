use sea_orm::entity::prelude::*;

/// A link that grants a role in a conference to whoever follows it (once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub conference_id: i32,
    pub role: String,
    pub email: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_by: Option<i32>,
    pub used_at: Option<DateTimeUtc>,
    /// a nomination: the delegation, member role and name the head gave
    pub delegation_id: Option<i32>,
    pub member_role: Option<String>,
    pub invitee_name: Option<String>,
}
no_relations!();

impl Model {
    /// The role it grants (`None` for a value no version wrote).
    pub fn role_granted(&self) -> Option<domain::permissions::Role> {
        domain::permissions::Role::parse(&self.role)
    }

    /// The place in the delegation it is for, if any. A value no migration wrote reads as none.
    pub fn role_in_delegation(&self) -> Option<domain::registration::MemberRole> {
        self.member_role
            .as_deref()
            .and_then(domain::registration::MemberRole::parse)
    }
}
