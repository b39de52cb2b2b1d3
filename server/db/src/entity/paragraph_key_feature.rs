use sea_orm::entity::prelude::*;

/// A Key Feature tag on a paragraph of a declaration, by the paragraph's label.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paragraph_key_features")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub declaration_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub paragraph_label: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_feature_code: String,
}
no_relations!();
