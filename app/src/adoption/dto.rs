//! Adoption's data: the organisers' adoption page, the final text and the Key Features
//! framework. The drafting header, states and numbers are drafting's, shared.

pub use crate::drafting::dto::{
    AmendmentNumber, AmendmentStatus, DeclarationStatus, DraftHeadDto, VersionNumber,
};
use crate::dto::{ConferenceSummary, OptionDto};
pub use domain::key_features::Tier;
use serde::{Deserialize, Serialize};

/// What was recorded at adoption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptedDto {
    pub version: VersionNumber,
    /// `YYYY-MM-DD`
    pub date: String,
    /// "Wednesday 30 September 2015"
    pub date_label: String,
    pub place: String,
    /// The session's title.
    pub session: Option<String>,
}

impl AdoptedDto {
    /// "Adopted at Mexico City, Mexico on Wednesday 30 September 2015, at the closing
    /// ceremony." (the final page, final.html and the PDF).
    pub fn sentence(&self) -> String {
        let mut s = format!("Adopted at {} on {}", self.place, self.date_label);
        if let Some(session) = &self.session {
            s.push_str(", at ");
            s.push_str(session);
        }
        s.push('.');
        s
    }
}

/// `get_adoption`: the organiser's page for adopting and publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptionDto {
    pub head: DraftHeadDto,
    /// Versions to adopt, newest (the current one) first.
    pub versions: Vec<OptionDto>,
    /// The conference's sessions, in time order.
    pub sessions: Vec<OptionDto>,
    pub adopted: Option<AdoptedDto>,
    pub published: bool,
    pub history_public: bool,
    /// The amendment deadline as a `datetime-local` value in the conference's time zone
    /// (empty: none), and the zone's name for the form's hint.
    pub deadline: String,
    pub timezone: String,
}

/// An amendment in the adopted text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptedAmendmentDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
    /// "accepted" or "accepted with modification"
    pub status_label: String,
}

impl AdoptedAmendmentDto {
    /// Its sponsor, with the delegation: "Trine Bendix Knudsen (Denmark)".
    pub fn sponsored_by(&self) -> String {
        match &self.delegation_name {
            Some(d) => format!("{} ({d})", self.sponsor_name),
            None => self.sponsor_name.clone(),
        }
    }

    /// "Amendment 1: Joy — sponsored by Trine Bendix Knudsen (Denmark); accepted." (the
    /// appendix of final.html and the PDF).
    pub fn line(&self) -> String {
        format!(
            "Amendment {}: {} — sponsored by {}; {}.",
            self.number,
            self.title,
            self.sponsored_by(),
            self.status_label
        )
    }
}

/// `get_final`: the published declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalDto {
    pub conference: ConferenceSummary,
    pub title: String,
    pub adopted: AdoptedDto,
    pub published_at: String,
    /// The adopted text, its paragraphs numbered afresh from 1, each with an anchor `para-N`.
    pub html: String,
    /// SHA-256 of `final.md`, in hex.
    pub sha256: String,
    /// Size of `final.md` in bytes.
    pub bytes: usize,
    pub amendments: Vec<AdoptedAmendmentDto>,
    /// The drafting history (versions, amendments) is open to everyone.
    pub history_public: bool,
}

// ---------------------------------------------------------------------------------------------
// the Key Features framework

/// A paragraph tagged with an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedParagraphDto {
    pub label: String,
    /// Its first words, when the asker may read the text.
    pub excerpt: Option<String>,
    /// Where it is read.
    pub href: String,
}

/// A session tagged with an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedSessionDto {
    pub id: domain::ids::SessionId,
    pub title: String,
}

/// One of the twelve areas, with what is tagged with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaDto {
    pub code: String,
    pub tier: Tier,
    pub position: u8,
    pub title: String,
    pub paragraphs: Vec<TaggedParagraphDto>,
    pub sessions: Vec<TaggedSessionDto>,
}

/// `get_framework`: the Key Features framework of a conference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkDto {
    pub conference: ConferenceSummary,
    /// In the framework's order: P1–P3, C1–C6, F1–F3.
    pub areas: Vec<AreaDto>,
    /// Which text the paragraphs are counted in: "the adopted text", "version 4 of the draft".
    pub text_label: String,
}
