//! sea-orm entities, one file per table. The schema itself is owned by [`crate::migration`];
//! what the drafting rows mean and how they change is [`crate::drafting`].
//!
//! Times are stored in UTC (`DateTimeUtc`); each conference names its own time zone, in which
//! they are entered and shown. States are stored as strings and read as domain enums through
//! each model's `state()`: the strings stay in here.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod account;
pub mod account_token;
pub mod amendment;
pub mod amendment_comment;
pub mod amendment_dependency;
pub mod amendment_event;
pub mod amendment_sponsor;
pub mod arrival;
pub mod badge;
pub mod calendar_feed;
pub mod clash_acknowledgement;
pub mod conference;
pub mod conference_role;
pub mod declaration;
pub mod declaration_version;
pub mod delegation;
pub mod draft_comment;
pub mod enrolment;
pub mod event;
pub mod event_counter;
pub mod idempotency_key;
pub mod invitation;
pub mod key_feature;
pub mod login_failure;
pub mod login_throttle;
pub mod notification_opt_out;
pub mod outbox;
pub mod paragraph_key_feature;
pub mod person;
pub mod presence;
pub mod programme_release;
pub mod registration;
pub mod room;
pub mod session;
pub mod session_check_in;
pub mod session_key_feature;
pub mod session_person;
pub mod shared_draft;
pub mod shared_op;
pub mod user_session;
