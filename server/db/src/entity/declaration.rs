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
    /// From this moment on only the drafting committee may propose, submit or edit
    /// amendments; `None`: no deadline.
    pub amendment_deadline: Option<DateTimeUtc>,
    /// On the plenary hall's screen: an amendment (its id), or else a paragraph of the working
    /// draft by its label ("5 bis"); both empty: nothing. Set by the chair.
    pub screen_amendment_id: Option<i32>,
    pub screen_paragraph: Option<String>,
    pub screen_changed_at: Option<DateTimeUtc>,
}
no_relations!();

impl Model {
    /// Its state. The string stays in the row; everything above the entity reads this. A value
    /// no migration wrote reads as drafting, which only participants see.
    pub fn state(&self) -> domain::drafting::amendment::DeclarationStatus {
        use domain::drafting::amendment::DeclarationStatus;
        DeclarationStatus::parse(&self.status).unwrap_or(DeclarationStatus::Drafting)
    }
}
