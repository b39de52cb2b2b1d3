use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delegations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    pub name: String,
    /// member_state | organisation
    pub kind: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub lead_organisation: Option<String>,
    pub head_person_id: Option<i32>,
}
no_relations!();

impl Model {
    /// Whom it represents (a value no version wrote reads as a member state).
    pub fn delegation_kind(&self) -> domain::registration::DelegationKind {
        use domain::registration::DelegationKind;
        DelegationKind::parse(&self.kind).unwrap_or(DelegationKind::MemberState)
    }
}
