//! sea-orm entities, one module per table. The schema itself is owned by [`crate::migration`].
//!
//! Times are stored in UTC (`DateTimeUtc`); each conference names its own time zone, in which
//! they are entered and shown.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod conference {
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
    }
    no_relations!();
}

pub mod room {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rooms")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub conference_id: i32,
        pub name: String,
        pub capacity: i32,
    }
    no_relations!();
}

pub mod key_feature {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "key_features")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub tier: String,
        pub position: i32,
        pub title: String,
    }
    no_relations!();
}

pub mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub organisation: Option<String>,
        pub country: Option<String>,
    }
    no_relations!();
}

pub mod account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accounts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub person_id: i32,
        /// stored lower-cased
        #[sea_orm(unique)]
        pub email: String,
        /// Argon2id PHC string
        pub password_hash: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod conference_role {
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
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub conference_id: i32,
        /// plenary | thematic_forum | regional_forum | side_event | ceremony | break
        pub kind: String,
        pub title: String,
        pub description: String,
        pub room_id: Option<i32>,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub capacity: Option<i32>,
        pub region: Option<String>,
    }
    no_relations!();
}

pub mod session_key_feature {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session_key_features")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key_feature_code: String,
    }
    no_relations!();
}

pub mod session_person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session_people")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i32,
        /// chair | speaker
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
        pub position: i32,
    }
    no_relations!();
}

pub mod delegation {
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
}

pub mod registration {
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
}

pub mod declaration {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "declarations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub conference_id: i32,
        pub title: String,
        /// drafting | adopted | published
        pub status: String,
        pub current_version_id: Option<i32>,
    }
    no_relations!();
}

pub mod declaration_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "declaration_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub declaration_id: i32,
        /// 1, 2, 3 … within its declaration
        pub number: i32,
        pub parent_id: Option<i32>,
        pub author_person_id: Option<i32>,
        pub message: String,
        /// direct_edit | merged_amendment | import
        pub source: String,
        pub amendment_id: Option<i32>,
        pub markdown: String,
        pub sha256: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}
