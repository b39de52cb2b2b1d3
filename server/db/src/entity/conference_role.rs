use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conference_roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    pub person_id: i32,
    /// organiser | committee | head | delegate
    pub role: String,
}
no_relations!();

impl Model {
    /// The role held (`None` for a value no version wrote: it grants nothing).
    pub fn role_held(&self) -> Option<domain::permissions::Role> {
        domain::permissions::Role::parse(&self.role)
    }
}
