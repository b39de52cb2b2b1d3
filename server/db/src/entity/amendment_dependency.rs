use sea_orm::entity::prelude::*;

/// Amendment `amendment_id` only makes sense if `depends_on_id` passes: it is voted after it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendment_dependencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub amendment_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub depends_on_id: i32,
}
no_relations!();
