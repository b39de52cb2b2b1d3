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
        /// registration is open from (inclusive) … until (exclusive); `None`: no limit
        pub registration_opens_at: Option<DateTimeUtc>,
        pub registration_closes_at: Option<DateTimeUtc>,
        /// most registrations that are pending or accredited at once; `None`: no cap
        pub registration_cap: Option<i32>,
        /// most members per delegation in each member role; `None`: no cap
        pub cap_delegates: Option<i32>,
        pub cap_alternates: Option<i32>,
        pub cap_advisers: Option<i32>,
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
        /// raised by every change, so that a stale form is refused
        pub revision: i32,
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
        /// set when the owner followed the link sent to the address; unconfirmed accounts
        /// cannot log in
        pub confirmed_at: Option<DateTimeUtc>,
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
        /// Raised by every change, so a form saved over a newer version is refused.
        pub revision: i32,
    }
    no_relations!();
}

pub mod programme_release {
    use sea_orm::entity::prelude::*;

    /// A released version of a conference's programme. Never changed once written.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "programme_releases")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub conference_id: i32,
        /// 1, 2, … per conference
        pub number: i32,
        pub changelog: String,
        pub released_at: DateTimeUtc,
        pub released_by_person_id: Option<i32>,
        /// JSON of [`crate::programme::Snapshot`]
        pub snapshot: String,
        /// JSON of the `domain::releases::Change`s against the previous release
        pub changes: String,
    }
    no_relations!();
}

pub mod clash_acknowledgement {
    use sea_orm::entity::prelude::*;

    /// A clash the organiser has seen and accepted (`domain::clashes::Clash::key`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clash_acknowledgements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub conference_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub clash_key: String,
        pub acknowledged_by_person_id: Option<i32>,
        pub acknowledged_at: DateTimeUtc,
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

pub mod paragraph_key_feature {
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

impl registration::Model {
    /// Its state. The string stays in the row; everything above the entity reads this. A value
    /// no migration wrote reads as pending, which grants nothing.
    pub fn state(&self) -> domain::registration::Status {
        use domain::registration::Status;
        Status::parse(&self.status).unwrap_or(Status::Pending)
    }
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
        /// The version adopted (set at adoption; never changes after).
        pub adopted_version_id: Option<i32>,
        /// The date of adoption, in the conference's calendar.
        pub adopted_on: Option<Date>,
        pub adopted_place: Option<String>,
        /// The session (usually the closing plenary) at which it was adopted.
        pub adopted_session_id: Option<i32>,
        pub adopted_by_person_id: Option<i32>,
        pub adopted_at: Option<DateTimeUtc>,
        pub published_at: Option<DateTimeUtc>,
        /// Visitors may read the drafting history (versions, amendments, provenance) once it is
        /// published.
        pub history_public: bool,
    }
    no_relations!();
}

impl declaration::Model {
    /// Its state. The string stays in the row; everything above the entity reads this. A value
    /// no migration wrote reads as drafting, which only participants see.
    pub fn state(&self) -> domain::drafting::amendment::DeclarationStatus {
        use domain::drafting::amendment::DeclarationStatus;
        DeclarationStatus::parse(&self.status).unwrap_or(DeclarationStatus::Drafting)
    }
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
        /// The paragraphs' labels ("-,1,2,2 bis"; see `domain::drafting::encode_labels`)
        pub paragraph_labels: String,
    }
    no_relations!();
}

pub mod user_session {
    use sea_orm::entity::prelude::*;

    /// A log-in session (tower-sessions record as JSON), shared by every server instance.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub data: String,
        /// Unix seconds
        pub expires_at: i64,
        /// Unix seconds: when the session began (sessions end a fixed time after it)
        pub created_at: i64,
    }
    no_relations!();
}

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    /// A write that was done once: its form's key, what it was, who did it, and its answer
    /// (JSON), recorded in the write's own transaction.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub action: String,
        pub person_id: Option<i32>,
        pub result: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod login_throttle {
    use sea_orm::entity::prelude::*;

    /// Failed log-ins for one address in a row, and the last one's time: each further
    /// attempt waits longer (see `accounts::reserve_login`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub email_key: String,
        pub failures: i32,
        pub last_failure_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod login_failure {
    use sea_orm::entity::prelude::*;

    /// One failed log-in attempt (m0002). No longer written: failures are counted in
    /// `login_throttle` (m0015); the table stays, as released migrations do.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email_key: String,
        pub at: DateTimeUtc,
    }
    no_relations!();
}

pub mod outbox {
    use sea_orm::entity::prelude::*;

    /// A message the system sends (confirmation, reset, invitation, waiting-list promotion).
    /// Kept for organisers to read; sent by SMTP when one is configured.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub to_email: String,
        pub subject: String,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        /// SMTP attempts so far
        pub attempts: i32,
        /// why the last attempt failed (for the organisers' outbox page)
        pub last_error: Option<String>,
        /// when a server instance took the message to send it
        pub claimed_at: Option<DateTimeUtc>,
        /// the conference the message is about (none for account messages)
        pub conference_id: Option<i32>,
    }
    no_relations!();
}

pub mod account_token {
    use sea_orm::entity::prelude::*;

    /// A single-use secret sent by e-mail (only its SHA-256 is stored).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub account_id: i32,
        /// `confirm` or `reset`
        pub purpose: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod invitation {
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
}

pub mod enrolment {
    use sea_orm::entity::prelude::*;

    /// A registration's seat (or place on the waiting list) in a session. `id` is the
    /// arrival order.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "enrolments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub registration_id: i32,
        /// confirmed | waitlisted | cancelled
        pub seat: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod calendar_feed {
    use sea_orm::entity::prelude::*;

    /// A secret calendar address of one person in one conference (only the SHA-256 of the
    /// secret is kept).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub person_id: i32,
        pub conference_id: i32,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }
    no_relations!();
}
