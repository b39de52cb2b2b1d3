//! Data of the drafting pages (versions, comparisons, amendments, provenance, the committee's
//! editor), sent to the browser. Plain serde types, built on the server by `crate::drafting::service`;
//! nothing here is server-only.
//!
//! Texts in diffs and provenance spans are raw Markdown source, to be shown as text (never as
//! HTML). Fields ending in `_html` are rendered by [`domain::markdown::render_safe`] and safe to
//! insert. Times are RFC 3339, UTC.

use crate::dto::ConferenceSummary;
pub use domain::drafting::amendment::{AmendmentStatus, DeclarationStatus, VersionSource};
pub use domain::drafting::Label;
pub use domain::ids::{AmendmentNumber, CommentId, VersionId, VersionNumber};
use serde::{Deserialize, Serialize};

/// What every drafting page shows at its top, and what the asker may do there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftHeadDto {
    pub conference: ConferenceSummary,
    /// The declaration's title.
    pub title: String,
    pub status: DeclarationStatus,
    /// The number of the current version.
    pub current_version: VersionNumber,
    /// A drafting committee member, while the declaration is being drafted.
    pub can_edit: bool,
    /// A delegate, head of delegation or committee member, while it is being drafted and (but
    /// for the committee) before the amendment deadline.
    pub can_propose: bool,
    /// An organiser: adopts and publishes.
    pub can_adopt: bool,
    /// The amendment deadline, if the organisers set one.
    pub deadline: Option<DeadlineDto>,
}

/// The amendment deadline as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineDto {
    /// RFC 3339, for `<time datetime>`.
    pub at: String,
    /// In the conference's time, the zone named ("2 September 2015, 18:00 CDT").
    pub label: String,
    /// It has passed (when the page was made).
    pub passed: bool,
}

/// A version in lists and comparisons (without its text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionDto {
    pub id: VersionId,
    pub number: VersionNumber,
    pub author_name: Option<String>,
    pub message: String,
    /// direct_edit | merged_edit | merged_amendment (or import)
    pub source: VersionSource,
    /// In words: "Edited by the committee", "Edit merged onto a newer version",
    /// "Amendment 3 merged".
    pub source_label: String,
    pub amendment_number: Option<AmendmentNumber>,
    pub amendment_title: Option<String>,
    pub created_at: String,
    /// This is the current version.
    pub current: bool,
}

/// `get_versions`: the versions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionsDto {
    pub head: DraftHeadDto,
    pub versions: Vec<VersionDto>,
}

/// `get_draft`: one version with its text (the current one by default): what the committee's
/// editor and the amendment form start from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftDto {
    pub head: DraftHeadDto,
    pub version: VersionDto,
    pub markdown: String,
    /// Its paragraphs' labels ("4 bis" stays "4 bis" from version to version).
    pub labels: Vec<Option<Label>>,
    /// Rendered with each paragraph's label, and an anchor `para-4-bis` for each.
    pub html: String,
    /// Key Features of the paragraphs that have any, by label.
    pub tags: Vec<ParagraphTagsDto>,
}

/// The Key Features a paragraph is tagged with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParagraphTagsDto {
    /// "5", "4 bis"
    pub label: String,
    /// Codes in the framework's order: "P1", "C3"
    pub codes: Vec<String>,
}

/// What a piece of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Equal,
    /// Only in the newer text.
    Inserted,
    /// Only in the older text.
    Deleted,
}

/// A piece of text in a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffSpanDto {
    pub kind: DiffKind,
    pub text: String,
}

/// One paragraph on one side of a side-by-side row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffCellDto {
    /// 0-based index among that text's paragraphs.
    pub index: u32,
    /// The paragraph's label ("5", "4 bis"); `None` for a heading.
    pub label: Option<String>,
    /// The paragraph, cut into spans that concatenate to it.
    pub spans: Vec<DiffSpanDto>,
}

/// A paragraph of the older text next to the paragraph of the newer text it became; `old` is
/// `None` for an inserted paragraph, `new` for a deleted one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffRowDto {
    pub old: Option<DiffCellDto>,
    pub new: Option<DiffCellDto>,
    /// The two sides differ.
    pub changed: bool,
}

/// A word-by-word diff of two texts, side by side (paragraph rows) and inline (one run of
/// spans: equal and deleted spans give the older text, equal and inserted ones the newer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffDto {
    pub rows: Vec<DiffRowDto>,
    pub inline: Vec<DiffSpanDto>,
}

/// `compare_versions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonDto {
    pub head: DraftHeadDto,
    pub from: VersionDto,
    pub to: VersionDto,
    pub diff: DiffDto,
}

/// An amendment in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentSummaryDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
    /// On the wire: draft | submitted | needs_update | accepted | accepted_with_modification |
    /// rejected | withdrawn
    pub status: AmendmentStatus,
    /// "needs update"
    pub status_label: String,
    /// Labels of the paragraphs of its base version it touches ("5", "4 bis").
    pub paragraphs: Vec<String>,
    /// "amends paragraph 5", "amends paragraphs 5, 6", "amends the heading"; empty when it
    /// touches no numbered paragraph.
    pub touches_label: String,
    /// Numbers of the other pending amendments that touch one of the same paragraphs.
    pub collides_with: Vec<AmendmentNumber>,
    pub base_version: VersionNumber,
    /// The asker is its sponsor.
    pub mine: bool,
    pub created_at: String,
    pub updated_at: String,
    /// For an amendment to an amendment: the number of the amendment it amends.
    #[serde(default)]
    pub amends: Option<AmendmentNumber>,
}

/// `get_amendments`: every amendment the asker may see (drafts only to their sponsors), by
/// number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentsDto {
    pub head: DraftHeadDto,
    pub amendments: Vec<AmendmentSummaryDto>,
}

/// A three-way merge that needs a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictDto {
    /// The whole merged text, each conflict between git-style markers (`<<<<<<< ours`,
    /// `=======`, `>>>>>>> theirs`; ours = the current text, theirs = the change).
    pub with_markers: String,
    pub regions: Vec<ConflictRegionDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictRegionDto {
    /// What the text was before either change.
    pub base: String,
    /// What the current version has.
    pub ours: String,
    /// What the change has.
    pub theirs: String,
}

/// An amendment that needs an update: the merge of its text onto a newer version, with
/// markers; the sponsor resolves it and saves it against `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentConflictDto {
    /// The version it collided with (the base to update it against).
    pub version: VersionNumber,
    pub with_markers: String,
}

/// A step in an amendment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentEventDto {
    pub actor_name: Option<String>,
    /// `None` for its creation.
    pub from_status: Option<AmendmentStatus>,
    pub from_label: Option<String>,
    pub to_status: AmendmentStatus,
    pub to_label: String,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentCommentDto {
    pub id: CommentId,
    pub author_name: Option<String>,
    /// Markdown as written.
    pub body: String,
    pub body_html: String,
    pub created_at: String,
}

/// `get_amendment`: everything its page shows, and what the asker may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentDetailDto {
    pub head: DraftHeadDto,
    pub number: AmendmentNumber,
    pub title: String,
    /// Markdown as written.
    pub rationale: String,
    pub rationale_html: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
    pub co_sponsors: Vec<String>,
    pub status: AmendmentStatus,
    pub status_label: String,
    /// Why it was rejected.
    pub decision_reason: Option<String>,
    /// The version its text is written against now.
    pub base_version: VersionNumber,
    /// The version it was first written against.
    pub original_base_version: VersionNumber,
    /// Once accepted: the version it became.
    pub merged_version: Option<VersionNumber>,
    /// Labels of the paragraphs of its base version it touches ("5", "4 bis").
    pub paragraphs: Vec<String>,
    pub touches_label: String,
    pub collides_with: Vec<AmendmentNumber>,
    /// The whole declaration as it would have it (what an edit form starts from).
    pub proposed_markdown: String,
    /// Its paragraphs' labels: the base's, and "4 bis" for a paragraph it inserts.
    pub proposed_labels: Vec<Option<Label>>,
    /// Against `base_version`.
    pub diff: DiffDto,
    /// While it needs an update.
    pub conflict: Option<AmendmentConflictDto>,
    /// Oldest first.
    pub events: Vec<AmendmentEventDto>,
    /// Oldest first.
    pub comments: Vec<AmendmentCommentDto>,
    /// The asker is its sponsor and it is a draft, submitted, or needs an update.
    pub can_edit: bool,
    /// The asker is its sponsor and it is a draft.
    pub can_submit: bool,
    pub can_withdraw: bool,
    /// A committee member, and it is submitted: accept (as is or modified) or reject.
    pub can_decide: bool,
    /// A committee member, and it is submitted or needs an update.
    pub can_reject: bool,
    pub can_comment: bool,
    /// The committee may accept it with its own modification (not an amendment to an
    /// amendment: that one is accepted as proposed).
    #[serde(default)]
    pub can_modify: bool,
    pub created_at: String,
    pub updated_at: String,
    /// For an amendment to an amendment: the amendment it amends (its diff is against that
    /// amendment's text, not the version's).
    #[serde(default)]
    pub amends: Option<AmendedDto>,
    /// The SHA-256 of the amended amendment's text this one is written on (sent back by its
    /// sponsor's edit form, so an edit on a text that changed since is refused).
    #[serde(default)]
    pub amended_sha256: Option<String>,
    /// The amendments to this amendment the asker may see, by number.
    #[serde(default)]
    pub amendments_to_it: Vec<SubAmendmentDto>,
    /// The asker may propose an amendment to this amendment (it is before the committee, not
    /// theirs, not itself an amendment to an amendment, proposals are open).
    #[serde(default)]
    pub can_amend: bool,
    /// The SHA-256 of this amendment's text (sent back by the form proposing an amendment to it).
    #[serde(default)]
    pub text_sha256: String,
}

/// The amendment an amendment to an amendment amends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendedDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub status: AmendmentStatus,
    pub status_label: String,
}

/// An amendment to an amendment, in the list on the amended amendment's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubAmendmentDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub status: AmendmentStatus,
    pub status_label: String,
}

/// The amendment that brought a passage in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentRefDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
}

/// A passage of the current text and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceSpanDto {
    pub text: String,
    pub version: VersionNumber,
    /// Who made that version (for an accepted amendment: who accepted it).
    pub author_name: Option<String>,
    pub amendment: Option<AmendmentRefDto>,
}

/// `get_provenance`: the current text cut into spans (they concatenate to it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceDto {
    pub head: DraftHeadDto,
    pub spans: Vec<ProvenanceSpanDto>,
}

/// `save_declaration`: either saved (possibly merged onto a newer version), or a conflict to
/// resolve; in both cases the answer is a success, so the editor keeps the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveResultDto {
    /// The number of the new version.
    pub saved: Option<VersionNumber>,
    /// The edit was written against an older version and merged onto the current one.
    pub merged: bool,
    /// Set when it could not be merged cleanly: resolve `with_markers` and save it against
    /// `current_version`.
    pub conflict: Option<ConflictDto>,
    /// The current version after the call.
    pub current_version: VersionNumber,
    /// Pending amendments moved onto the new version.
    pub rebased: Vec<AmendmentNumber>,
    /// Pending amendments that now need an update by their sponsors.
    pub flagged: Vec<AmendmentNumber>,
}

/// `accept_amendment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptResultDto {
    /// The version the amendment became.
    pub version: VersionNumber,
    /// accepted | accepted_with_modification
    pub status: AmendmentStatus,
    pub status_label: String,
    /// Pending amendments moved onto the new version.
    pub rebased: Vec<AmendmentNumber>,
    /// Pending amendments that now need an update by their sponsors.
    pub flagged: Vec<AmendmentNumber>,
    /// For an amendment to an amendment: the amendment it became part of (no version was
    /// made; `version` is the current one).
    #[serde(default)]
    pub amended: Option<AmendmentNumber>,
}

/// `get_shared_draft`: the text the committee co-edits, at its revision, and the version it is
/// written against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDraftDto {
    pub revision: u64,
    pub text: String,
    pub base_version: VersionNumber,
    /// Who is asking (their own caret is not drawn for them).
    pub me: domain::ids::PersonId,
    /// The names of the committee, to label the others' carets.
    pub editors: Vec<(domain::ids::PersonId, String)>,
}

/// `get_shared_ops`: one operation on the shared draft as the server ordered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedOpDto {
    pub revision: u64,
    pub author: domain::ids::PersonId,
    pub operation: domain::coedit::Operation,
    /// The key its editor sent it with (an editor knows its own operation by it).
    pub key: String,
    /// Where its author's caret is in the text it made (a character index), if they said.
    pub caret: Option<u64>,
}

/// `edit_shared_draft`: the revision the operation became (the same again for a retry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedEditDto {
    pub revision: u64,
    pub repeated: bool,
}

/// `get_voting_order`: the pending amendments in the order they are put to the vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VotingOrderDto {
    pub head: DraftHeadDto,
    /// Passages in the order of the text.
    pub passages: Vec<VotePassageDto>,
    /// Amendments waiting for their sponsor to update them: placed once updated.
    pub waiting: Vec<crate::dto::OptionDto>,
    /// A committee member while drafting: moves amendments, records dependencies.
    pub can_arrange: bool,
    /// The chair (committee or organiser, while drafting): puts amendments on the screen.
    pub can_chair: bool,
    /// The current text's paragraphs (by label), for putting one on the screen.
    pub paragraphs: Vec<crate::dto::OptionDto>,
    /// The amendments before the committee, for the dependency form.
    pub amendments: Vec<crate::dto::OptionDto>,
}

/// One passage of the text and the amendments to it, in voting order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VotePassageDto {
    /// "Paragraph 3", "Paragraphs 3 and 3 bis".
    pub label: String,
    /// The committee arranged this passage's order.
    pub by_committee: bool,
    /// The committee's arrangement no longer kept a dependency: the proposed order is shown.
    pub set_aside: bool,
    pub items: Vec<VoteItemDto>,
}

/// An amendment in the voting order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteItemDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
    /// Words deleted plus words inserted against the current text: its distance in substance.
    pub words_changed: usize,
    /// The amendments that change the same words (adopting one rejects the others).
    pub collides_with: Vec<AmendmentNumber>,
    /// The amendments it only makes sense after.
    pub depends_on: Vec<AmendmentNumber>,
    /// Its place in the proposed order of its passage (1, 2 …).
    pub proposed_place: usize,
    /// For an amendment to an amendment: the amendment it amends (voted after it).
    #[serde(default)]
    pub amends: Option<AmendmentNumber>,
}

/// `get_screen`: what the plenary hall's screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenDto {
    pub head: DraftHeadDto,
    /// The chair (committee or organiser, while drafting) may change it.
    pub can_chair: bool,
    /// The amendment on the floor, if one is.
    pub amendment: Option<ScreenAmendmentDto>,
    /// The paragraphs shown: those the amendment changes (word diff), or the paragraph the chair
    /// put up (one equal span). Empty: nothing on the screen.
    pub paragraphs: Vec<ScreenParagraphDto>,
    /// When the chair last changed it (RFC 3339).
    pub changed_at: Option<String>,
}

/// The amendment on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenAmendmentDto {
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
    pub status: AmendmentStatus,
    /// Once decided: "Adopted", "Adopted as modified", "Rejected", "Withdrawn".
    pub result: Option<String>,
}

/// A paragraph on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenParagraphDto {
    /// "Paragraph 5", "New paragraph"; `None` for a heading.
    pub label: Option<String>,
    pub spans: Vec<DiffSpanDto>,
}

/// `get_brackets`: where the negotiation of the current text stands, paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BracketsDto {
    pub head: DraftHeadDto,
    /// The version shown; the committee's forms send it back, so that a bracket is set or
    /// settled on the text its author saw.
    pub version: VersionNumber,
    /// The numbered paragraphs (those tagged with `feature` when one is chosen), in order.
    pub paragraphs: Vec<BracketParagraphDto>,
    /// Words inside bracketed passages, and of the whole text (all paragraphs).
    pub bracketed_words: usize,
    pub total_words: usize,
    /// Paragraphs of the whole text by status.
    pub agreed: usize,
    pub ad_ref: usize,
    pub bracketed: usize,
    /// The Key Feature the list is filtered by, if any.
    pub feature: Option<String>,
    /// The Key Features to filter by (code, "P1 Individual empowerment …").
    pub features: Vec<crate::dto::OptionDto>,
    /// A committee member while drafting: sets and settles brackets.
    pub can_edit: bool,
    /// Every numbered paragraph (label), for the bracketing form.
    pub choices: Vec<crate::dto::OptionDto>,
}

/// One paragraph in the bracket status view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BracketParagraphDto {
    pub label: String,
    pub status: domain::drafting::brackets::ParagraphStatus,
    /// The paragraph rendered, brackets shown.
    pub html: String,
    pub brackets: Vec<BracketDto>,
    /// Its Key Features (codes).
    pub codes: Vec<String>,
}

/// A marked passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BracketDto {
    /// Its place among the text's marks (what the committee's forms send back).
    pub index: usize,
    pub state: domain::drafting::brackets::BracketState,
    /// The passage's wordings (one when there are no alternatives).
    pub alternatives: Vec<String>,
}

/// `get_draft_comments`: the comments on passages of the working draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftCommentsDto {
    pub head: DraftHeadDto,
    /// The current version, which the form comments on.
    pub version: VersionNumber,
    /// Open comments, in the order of their passages in the current text (those whose passage
    /// is gone last).
    pub open: Vec<DraftCommentDto>,
    /// Resolved comments, newest first (folded away on the page).
    pub resolved: Vec<DraftCommentDto>,
    /// The asker may comment (a participant, while drafting).
    pub can_comment: bool,
    /// The current text's numbered paragraphs (label), for the form.
    pub choices: Vec<crate::dto::OptionDto>,
}

/// A comment on a passage of the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftCommentDto {
    pub id: CommentId,
    /// Where its passage stands now ("Paragraph 3", "The heading"); `None` when it is gone.
    pub place: Option<String>,
    /// The passage as it reads now; `None` when every word of it was deleted.
    pub passage: Option<String>,
    /// The passage's words when the comment was written.
    pub quote: String,
    /// The version it was written on.
    pub written_on: VersionNumber,
    pub author_name: String,
    /// The comment, rendered (safe HTML).
    pub body_html: String,
    pub created_label: String,
    /// "Resolved by Ana Pérez on 29 September 2015, 10:02 CDT".
    pub resolved_label: Option<String>,
    /// The asker may resolve it (its author, or the committee).
    pub can_resolve: bool,
}

/// One row of the amendments table (CSV and PDF).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmendmentTableRowDto {
    pub number: i32,
    /// The paragraphs it amends ("5, 7 bis"), or "amendment 3" for an amendment to one.
    pub paragraph: String,
    pub title: String,
    /// "Trine Bendix Knudsen (Denmark)".
    pub sponsor: String,
    pub co_sponsors: String,
    pub state: String,
    pub decision: String,
}

/// The amendments table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmendmentTableDto {
    pub conference_title: String,
    pub declaration_title: String,
    pub rows: Vec<AmendmentTableRowDto>,
}
