//! Drafting the declaration (server side): versions and their comparison, the committee's
//! edits, amendments and their workflow, provenance and the compilation text.
//!
//! Every function starts with who is asking ([`Access`]) and what they may do; a write then
//! runs in one transaction over [`db::drafting`], which locks the declaration, so writes take
//! turns. A refusal of the data layer ([`DraftingError`]) is rolled back and becomes an
//! [`AppError`]: a missing version or amendment 404, a state that does not allow the step 409,
//! bad input 422 with its field.
//!
//! Drafts are visible to their sponsors only (sponsor and co-sponsors): to anyone else a draft
//! does not exist.

use crate::access::{Access, Caller};
use crate::auth::User;
use crate::drafting::dto::*;
use crate::dto::Notice;
use crate::error::{AppError, OrInternal};
use db::drafting::{
    self as d, AmendmentEdit, AmendmentStatus, DraftingError, Modification, NewAmendment,
    ParagraphRef, RebaseSummary,
};
use db::entity::{amendment, amendment_sponsor};
use db::entity::{declaration, declaration_version};
use db::DatabaseConnection;
use domain::drafting as engine;
use domain::drafting::amendment::visible_to;
use domain::ids::{AmendmentId, ConferenceId, DeclarationId, DelegationId, PersonId, VersionId};
use domain::live::Event;
use domain::permissions::{self, Action, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// The message of a committee edit saved without one.
pub const DEFAULT_MESSAGE: &str = "Edited";

// ---------------------------------------------------------------------------------------------
// errors

/// A refusal of the data layer as the user sees it. `text_field` names the form field of the
/// whole text in the call that was refused (for "nothing changed" and "the text is empty").
fn refused(e: DraftingError, text_field: &str) -> AppError {
    use DraftingError::*;
    let message = e.to_string();
    match e {
        NoSuchDeclaration | NoSuchVersion | NoSuchAmendment | NoSuchPerson | NoSuchDelegation => {
            AppError::not_found(message)
        }
        Adopted
        | PastDeadline(_)
        | WrongState { .. }
        | NotEditable(_)
        | NeedsUpdate
        | Conflict(_)
        | NotOnTheFloor(_)
        | DependencyCircle { .. }
        | NotAmendable(_)
        | AmendedChanged(_)
        | AmendmentsToItFirst(_)
        | AmendedNotOpen(..) => AppError::conflict(message),
        NothingChanged | AmendsNothing => AppError::validation(text_field, message),
        Invalid(m) => AppError::validation(m.field.form_name(text_field), m.message),
    }
}

pub mod brackets;
pub mod comments;
pub mod screen;
pub mod shared;
pub mod subs;
pub mod table;
pub mod voting;

fn no_version(number: VersionNumber) -> AppError {
    AppError::not_found(format!("There is no version {number} of this declaration."))
}

fn no_amendment(number: AmendmentNumber) -> AppError {
    AppError::not_found(format!("There is no amendment {number}."))
}

// ---------------------------------------------------------------------------------------------
// loading

/// The conference's declaration (being drafted or not) and its current version, once the asker
/// may perform `action`.
struct Draft {
    access: Access,
    decl: declaration::Model,
    current: declaration_version::Model,
    /// The site's public address, for the links in notifications.
    public_url: String,
}

impl Draft {
    async fn load(
        db: &DatabaseConnection,
        caller: &Caller,
        slug: &str,
        action: Action,
    ) -> Result<Draft, AppError> {
        let access = caller.access(db, slug).await?;
        let refused = match access.require(action) {
            Ok(_) => None,
            Err(e) if action == Action::ViewDraftDeclaration => Some(e),
            Err(e) => return Err(e),
        };
        let (decl, current) = db::queries::declaration(db, access.conference_id())
            .await
            .or_internal()?
            .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))?;
        // once published, the organisers may open the drafting history to everyone
        if let Some(e) = refused {
            if !(decl.state() == DeclarationStatus::Published && decl.history_public) {
                return Err(e);
            }
        }
        let current =
            current.ok_or_else(|| AppError::not_found("This declaration has no text yet."))?;
        Ok(Draft {
            access,
            decl,
            current,
            public_url: caller.site.public_url.clone(),
        })
    }

    /// The asker (present: [`Draft::load`] required an action).
    fn user(&self) -> Result<&User, AppError> {
        self.access.user.as_ref().ok_or_else(AppError::unauthorised)
    }

    fn person_id(&self) -> Option<PersonId> {
        self.access.user.as_ref().map(User::person)
    }

    fn drafting(&self) -> bool {
        self.decl.state() == DeclarationStatus::Drafting
    }

    /// The asker sits on the drafting committee (which the amendment deadline does not bind).
    fn committee(&self) -> bool {
        self.access.may(Action::EditDeclaration)
    }

    /// The amendment deadline in the conference's time, with the zone named.
    fn deadline_label(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        match crate::public::service::tz_of(&self.access.conference) {
            Ok(tz) => crate::public::service::moment_label(tz, t),
            Err(_) => t.format("%-d %B %Y, %H:%M UTC").to_string(),
        }
    }

    /// The deadline as the pages show it, if one is set.
    fn deadline(&self) -> Option<DeadlineDto> {
        self.decl.amendment_deadline.map(|t| DeadlineDto {
            at: t.to_rfc3339(),
            label: self.deadline_label(t),
            passed: chrono::Utc::now() >= t,
        })
    }

    /// A refusal of the data layer, the deadline told in the conference's time.
    fn refused(&self, e: DraftingError, text_field: &str) -> AppError {
        match e {
            DraftingError::PastDeadline(t) => AppError::conflict(format!(
                "Amendments closed on {}. The drafting committee can still act on those proposed \
                 before the deadline.",
                self.deadline_label(t)
            )),
            e => refused(e, text_field),
        }
    }

    /// In a write transaction, before a proposal, submission or edit of an amendment: refused
    /// once the deadline has passed (unless the asker sits on the committee).
    async fn proposals_open(&self, txn: &impl ConnectionTrait) -> Result<(), AppError> {
        d::proposals_open(txn, DeclarationId(self.decl.id), self.committee())
            .await
            .or_internal()?
            .map_err(|e| self.refused(e, "proposed_markdown"))
    }

    fn head(&self) -> DraftHeadDto {
        DraftHeadDto {
            conference: crate::public::service::summary(&self.access.conference),
            title: self.decl.title.clone(),
            status: self.decl.state(),
            current_version: VersionNumber(self.current.number),
            can_edit: self.drafting() && self.access.may(Action::EditDeclaration),
            can_propose: self.drafting()
                && self.access.may(Action::ProposeAmendment)
                && (self.committee()
                    || self
                        .decl
                        .amendment_deadline
                        .is_none_or(|t| chrono::Utc::now() < t)),
            deadline: self.deadline(),
            can_adopt: self.access.may(Action::AdoptDeclaration),
        }
    }

    /// A version of this declaration by its number, or 404.
    async fn version(
        &self,
        db: &impl ConnectionTrait,
        number: i32,
    ) -> Result<declaration_version::Model, AppError> {
        if number == self.current.number {
            return Ok(self.current.clone());
        }
        declaration_version::Entity::find()
            .filter(declaration_version::Column::DeclarationId.eq(self.decl.id))
            .filter(declaration_version::Column::Number.eq(number))
            .one(db)
            .await
            .or_internal()?
            .ok_or_else(|| no_version(VersionNumber(number)))
    }

    /// A version of this declaration by its row id (as other rows refer to it), or 404.
    async fn version_by_id(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
    ) -> Result<declaration_version::Model, AppError> {
        if id == self.current.id {
            return Ok(self.current.clone());
        }
        declaration_version::Entity::find_by_id(id)
            .filter(declaration_version::Column::DeclarationId.eq(self.decl.id))
            .one(db)
            .await
            .or_internal()?
            .ok_or_else(|| AppError::not_found("There is no such version of this declaration."))
    }

    /// An amendment by its number that the asker may see, or 404.
    async fn amendment(
        &self,
        db: &impl ConnectionTrait,
        number: i32,
    ) -> Result<amendment::Model, AppError> {
        let a = amendment::Entity::find()
            .filter(amendment::Column::DeclarationId.eq(self.decl.id))
            .filter(amendment::Column::Number.eq(number))
            .one(db)
            .await
            .or_internal()?
            .ok_or_else(|| no_amendment(AmendmentNumber(number)))?;
        if a.state() == AmendmentStatus::Draft {
            let co = co_sponsor_ids(db, a.id).await?;
            if !visible_to(
                a.state(),
                PersonId(a.sponsor_person_id),
                &co,
                self.person_id(),
            ) {
                return Err(no_amendment(AmendmentNumber(number)));
            }
        }
        Ok(a)
    }

    /// An amendment the asker is the sponsor of: 404 when there is no such amendment or it is
    /// a draft the asker may not see (its existence is not told), 403 when it is someone else's
    /// visible one.
    async fn own_amendment(
        &self,
        db: &impl ConnectionTrait,
        number: i32,
    ) -> Result<amendment::Model, AppError> {
        let a = self.amendment(db, number).await?;
        if Some(a.sponsor_person_id) != self.person_id().map(|x| x.0) {
            return Err(AppError::forbidden(
                "Only the sponsor of an amendment can change, submit or withdraw it.",
            ));
        }
        Ok(a)
    }
}

async fn co_sponsor_ids(
    db: &impl ConnectionTrait,
    amendment_id: i32,
) -> Result<Vec<PersonId>, AppError> {
    Ok(amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(amendment_id))
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|s| PersonId(s.person_id))
        .collect())
}

/// Numbers of amendments by id, drafts left out.
async fn amendment_numbers(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, AmendmentNumber>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(amendment::Entity::find()
        .select_only()
        .columns([amendment::Column::Id, amendment::Column::Number])
        .filter(amendment::Column::Id.is_in(ids.iter().copied()))
        // what a rebase or a collision tells the committee leaves drafts out: their numbers,
        // like their texts, are their sponsors' own
        .filter(amendment::Column::Status.ne(AmendmentStatus::Draft.as_str()))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|(id, n)| (id, AmendmentNumber(n)))
        .collect())
}

/// Numbers of versions by id.
async fn version_numbers(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, i32>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(declaration_version::Entity::find()
        .select_only()
        .columns([
            declaration_version::Column::Id,
            declaration_version::Column::Number,
        ])
        .filter(declaration_version::Column::Id.is_in(ids))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .collect())
}

/// The amendment numbers of a rebase, in number order.
async fn rebase_numbers(
    db: &impl ConnectionTrait,
    r: &RebaseSummary,
) -> Result<(Vec<AmendmentNumber>, Vec<AmendmentNumber>), AppError> {
    let all: Vec<i32> = r.rebased.iter().chain(&r.flagged).copied().collect();
    let numbers = amendment_numbers(db, &all).await?;
    let pick = |ids: &[i32]| {
        let mut n: Vec<AmendmentNumber> = ids
            .iter()
            .filter_map(|id| numbers.get(id).copied())
            .collect();
        n.sort_unstable();
        n
    };
    Ok((pick(&r.rebased), pick(&r.flagged)))
}

/// Tell the live streams, in the write's transaction, that these amendments changed.
async fn tell_amendments(
    txn: &impl ConnectionTrait,
    conference: ConferenceId,
    ids: impl IntoIterator<Item = i32>,
) -> Result<(), AppError> {
    for id in ids {
        db::events::amendment_changed(txn, conference, AmendmentId(id))
            .await
            .or_internal()?;
    }
    Ok(())
}

/// Tell the live streams, in the write's transaction, of a new version and of the amendments
/// its rebase flagged as needing an update; their sponsors get a notification.
async fn tell_version(
    txn: &impl ConnectionTrait,
    draft: &Draft,
    number: i32,
    rebase: &RebaseSummary,
) -> Result<(), AppError> {
    let conference = draft.access.conference_id();
    db::events::append(
        txn,
        conference,
        &Event::version_saved(VersionNumber(number)),
    )
    .await
    .or_internal()?;
    tell_amendments(txn, conference, rebase.flagged.iter().copied()).await?;
    notify_sponsors(txn, draft, &rebase.flagged).await
}

/// Tells the sponsors and co-sponsors of amendments `ids` what became of each (accepted, as
/// modified, rejected, needing their update), by the outbox; each may turn this off.
async fn notify_sponsors(
    txn: &impl ConnectionTrait,
    draft: &Draft,
    ids: &[i32],
) -> Result<(), AppError> {
    notify_sponsors_of(txn, draft, ids, None).await
}

/// [`notify_sponsors`]; with `amended_by`, the amendments (still before the committee) were
/// changed by that accepted amendment to them, and their sponsors are told so.
async fn notify_sponsors_of(
    txn: &impl ConnectionTrait,
    draft: &Draft,
    ids: &[i32],
    amended_by: Option<i32>,
) -> Result<(), AppError> {
    use domain::notifications::Notification as N;
    for id in ids {
        let Some(a) = amendment::Entity::find_by_id(*id)
            .one(txn)
            .await
            .or_internal()?
        else {
            continue;
        };
        let (kind, what) = match a.state() {
            _ if amended_by.is_some() => (
                N::AmendmentModified,
                format!(
                    "was changed: the drafting committee accepted amendment {} to it. It stays before the committee as amended; see what changed on the amendment's page.",
                    amended_by.unwrap_or_default()
                ),
            ),
            AmendmentStatus::Lapsed => (
                N::AmendmentRejected,
                "lapsed: the amendment it amends was decided or withdrawn before it.".to_owned(),
            ),
            AmendmentStatus::Accepted => (N::AmendmentAccepted, "was accepted by the drafting committee as proposed.".to_owned()),
            AmendmentStatus::AcceptedWithModification => (
                N::AmendmentModified,
                "was accepted by the drafting committee with a modification of its own: see what changed on the amendment's page.".to_owned(),
            ),
            AmendmentStatus::Rejected => (
                N::AmendmentRejected,
                format!(
                    "was rejected by the drafting committee. Its reason: {}",
                    a.decision_reason.as_deref().unwrap_or("none given")
                ),
            ),
            AmendmentStatus::Draft if a.conflict_markdown.is_some() => (
                N::AmendmentNeedsUpdate,
                "(your draft) collides with a new version of the text: resolve the conflict on the amendment's page before you submit it.".to_owned(),
            ),
            AmendmentStatus::NeedsUpdate => (
                N::AmendmentNeedsUpdate,
                "collides with a new version of the text and needs your update before the committee can decide on it: resolve the conflict on the amendment's page.".to_owned(),
            ),
            _ => continue,
        };
        let slug = &draft.access.conference.slug;
        let body = format!(
            "Amendment {} to “{}”, “{}”, {what}\n\n{}/conferences/{slug}/amendments/{}{}",
            a.number,
            draft.decl.title,
            a.title,
            draft.public_url,
            a.number,
            crate::accounts::service::OPT_OUT_LINE,
        );
        let subject = match kind {
            N::AmendmentAccepted => format!("Amendment {} accepted", a.number),
            N::AmendmentModified if amended_by.is_some() => {
                format!("Amendment {} amended", a.number)
            }
            N::AmendmentModified => format!("Amendment {} accepted as modified", a.number),
            N::AmendmentRejected if a.state() == AmendmentStatus::Lapsed => {
                format!("Amendment {} lapsed", a.number)
            }
            N::AmendmentRejected => format!("Amendment {} rejected", a.number),
            _ => format!("Amendment {} needs your update", a.number),
        };
        let mut people = vec![a.sponsor_person_id];
        people.extend(
            amendment_sponsor::Entity::find()
                .filter(amendment_sponsor::Column::AmendmentId.eq(a.id))
                .all(txn)
                .await
                .or_internal()?
                .into_iter()
                .map(|s| s.person_id),
        );
        people.sort_unstable();
        people.dedup();
        for p in people {
            db::notifications::notify(
                txn,
                draft.access.conference_id(),
                PersonId(p),
                kind,
                &subject,
                &body,
            )
            .await
            .or_internal()?;
        }
    }
    Ok(())
}

/// Pending collisions as amendment id → numbers of the amendments it collides with.
async fn collisions(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<HashMap<i32, Vec<AmendmentNumber>>, AppError> {
    let pairs = d::collisions_of_pending(db, DeclarationId(declaration_id))
        .await
        .or_internal()?;
    let ids: Vec<i32> = pairs.iter().flat_map(|c| [c.first, c.second]).collect();
    let numbers = amendment_numbers(db, &ids).await?;
    let mut out: HashMap<i32, Vec<AmendmentNumber>> = HashMap::new();
    for c in pairs {
        if let (Some(&n1), Some(&n2)) = (numbers.get(&c.first), numbers.get(&c.second)) {
            out.entry(c.first).or_default().push(n2);
            out.entry(c.second).or_default().push(n1);
        }
    }
    for list in out.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// shaping

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn source_label(source: VersionSource, amendment_number: Option<AmendmentNumber>) -> String {
    match source {
        VersionSource::DirectEdit => "Edited by the drafting committee".into(),
        VersionSource::MergedEdit => "Committee edit merged onto a newer version".into(),
        VersionSource::MergedAmendment => match amendment_number {
            Some(n) => format!("Amendment {n} merged"),
            None => "Amendment merged".into(),
        },
        VersionSource::Imported => "Imported".into(),
    }
}

/// "amends paragraph 5", "amends paragraphs 4 bis, 5", "amends the heading", "": the touched
/// paragraphs' labels and the phrase.
fn touches_label(touched: &[ParagraphRef]) -> (Vec<String>, String) {
    let labels: Vec<String> = touched
        .iter()
        .filter_map(|p| p.label.map(|l| l.to_string()))
        .collect();
    let heading = touched.iter().any(|p| p.label.is_none());
    let list = labels.join(", ");
    let label = match (labels.len(), heading) {
        (0, false) => String::new(),
        (0, true) => "amends a heading".into(),
        (1, false) => format!("amends paragraph {list}"),
        (1, true) => format!("amends paragraph {list} and a heading"),
        (_, false) => format!("amends paragraphs {list}"),
        (_, true) => format!("amends paragraphs {list} and a heading"),
    };
    (labels, label)
}

fn span(kind: engine::SpanKind, text: String) -> DiffSpanDto {
    DiffSpanDto {
        kind: match kind {
            engine::SpanKind::Equal => DiffKind::Equal,
            engine::SpanKind::Inserted => DiffKind::Inserted,
            engine::SpanKind::Deleted => DiffKind::Deleted,
        },
        text,
    }
}

/// A side-by-side cell, its spans cut from `paragraphs` (the paragraphs of the text as written:
/// the diff ran on it with soft line breaks as spaces, the same length, see [`soft_wraps`]).
fn cell(
    c: engine::Cell,
    labels: &[Option<engine::Label>],
    paragraphs: &[engine::Paragraph],
) -> DiffCellDto {
    let written = paragraphs.get(c.index).map(|p| p.text.as_str());
    let mut at = 0;
    DiffCellDto {
        index: u32_of(c.index),
        label: labels
            .get(c.index)
            .copied()
            .flatten()
            .map(|l| l.to_string()),
        spans: c
            .spans
            .into_iter()
            .map(|s| {
                let end = at + s.text.len();
                let text = written
                    .and_then(|w| w.get(at..end))
                    .map_or(s.text, str::to_owned);
                at = end;
                span(s.kind, text)
            })
            .collect(),
    }
}

/// The text with its soft line breaks (a line break inside a paragraph of prose, which Markdown
/// renders as a space) as spaces, byte for byte the same length: the diffs compare this, so a
/// re-wrapped line is no change. Line breaks around blank lines, before or after a line that
/// starts a block (list item, heading, quote, table row, code, a conflict marker) and after a
/// hard break stay.
fn soft_wraps(text: &str) -> String {
    fn blank(line: &str) -> bool {
        line.chars().all(|c| matches!(c, ' ' | '\t' | '\r'))
    }
    fn starts_block(line: &str) -> bool {
        let t = line.trim_start_matches(' ');
        if line.len() - t.len() >= 4 {
            return true;
        }
        let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        t.starts_with(['-', '*', '+', '#', '>', '|', '`', '~', '<', '=', '\t'])
            || (digits > 0 && t[digits..].starts_with(['.', ')']))
    }
    let mut out = text.as_bytes().to_vec();
    let mut line_start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b != b'\n' {
            continue;
        }
        let line = &text[line_start..i];
        let next_end = text[i + 1..].find('\n').map_or(text.len(), |k| i + 1 + k);
        let next = &text[i + 1..next_end];
        let hard_break = line.ends_with("  ") || line.ends_with('\\');
        if !blank(line) && !blank(next) && !hard_break && !starts_block(line) && !starts_block(next)
        {
            out[i] = b' ';
        }
        line_start = i + 1;
    }
    // only ASCII bytes were replaced by ASCII bytes
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Word diff of two texts, side by side (each paragraph with its label) and inline.
pub fn diff(
    old: &str,
    old_labels: &[Option<engine::Label>],
    new: &str,
    new_labels: &[Option<engine::Label>],
) -> DiffDto {
    let (old_paragraphs, new_paragraphs) = (engine::paragraphs(old), engine::paragraphs(new));
    let rows = engine::side_by_side(&soft_wraps(old), &soft_wraps(new))
        .into_iter()
        .map(|row| {
            let both = row.old.is_some() && row.new.is_some();
            let old = row.old.map(|c| cell(c, old_labels, &old_paragraphs));
            let new = row.new.map(|c| cell(c, new_labels, &new_paragraphs));
            let changed = !both
                || old
                    .iter()
                    .chain(new.iter())
                    .flat_map(|c| c.spans.iter())
                    .any(|s| s.kind != DiffKind::Equal);
            DiffRowDto { old, new, changed }
        })
        .collect();
    DiffDto {
        rows,
        inline: inline(old, new),
    }
}

/// The word diff of two texts as one run of spans, compared with soft line breaks as spaces
/// ([`soft_wraps`]) and shown as written (equal text as the new text has it).
fn inline(old: &str, new: &str) -> Vec<DiffSpanDto> {
    let (mut o, mut n) = (0, 0);
    let cut = |text: &str, at: &mut usize, t: String| {
        let end = *at + t.len();
        let s = text.get(*at..end).map_or(t, str::to_owned);
        *at = end;
        s
    };
    engine::diff_words(&soft_wraps(old), &soft_wraps(new))
        .into_iter()
        .map(|op| match op {
            engine::DiffOp::Equal(t) => {
                o += t.len();
                span(engine::SpanKind::Equal, cut(new, &mut n, t))
            }
            engine::DiffOp::Insert(t) => span(engine::SpanKind::Inserted, cut(new, &mut n, t)),
            engine::DiffOp::Delete(t) => span(engine::SpanKind::Deleted, cut(old, &mut o, t)),
        })
        .collect()
}

fn conflict_dto(c: engine::Conflict) -> ConflictDto {
    ConflictDto {
        with_markers: c.with_markers,
        regions: c
            .regions
            .into_iter()
            .map(|r| ConflictRegionDto {
                base: r.base,
                ours: r.ours,
                theirs: r.theirs,
            })
            .collect(),
    }
}

/// The versions of the declaration as DTOs, newest first.
async fn version_list(db: &DatabaseConnection, draft: &Draft) -> Result<Vec<VersionDto>, AppError> {
    let list = d::versions(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?;
    Ok(list
        .into_iter()
        .map(|v| VersionDto {
            id: v.id,
            number: v.number,
            source_label: source_label(v.source, v.amendment_number),
            amendment_title: v.amendment_title,
            amendment_number: v.amendment_number,
            author_name: v.author_name,
            message: v.message,
            source: v.source,
            created_at: v.created_at.to_rfc3339(),
            current: v.id == VersionId(draft.current.id),
        })
        .collect())
}

fn find_version(list: &[VersionDto], number: VersionNumber) -> Result<VersionDto, AppError> {
    list.iter()
        .find(|v| v.number == number)
        .cloned()
        .ok_or_else(|| no_version(number))
}

// ---------------------------------------------------------------------------------------------
// reads

pub async fn versions(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<VersionsDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    Ok(VersionsDto {
        versions: version_list(db, &draft).await?,
        head: draft.head(),
    })
}

/// A version with its text: `number`, or the current one.
pub async fn draft(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: Option<VersionNumber>,
) -> Result<DraftDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let v = draft
        .version(db, number.map_or(draft.current.number, |n| n.0))
        .await?;
    let list = version_list(db, &draft).await?;
    let labels = d::labels_of(&v);
    let mut tags: Vec<ParagraphTagsDto> = Vec::new();
    for (label, code) in d::paragraph_tags(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?
    {
        match tags.last_mut() {
            Some(t) if t.label == label => t.codes.push(code),
            _ => tags.push(ParagraphTagsDto {
                label,
                codes: vec![code],
            }),
        }
    }
    // codes in the framework's order
    for t in &mut tags {
        t.codes = domain::key_features::parse_codes(&t.codes)
            .unwrap_or_default()
            .into_iter()
            .map(str::to_owned)
            .collect();
    }
    Ok(DraftDto {
        head: draft.head(),
        version: find_version(&list, VersionNumber(v.number))?,
        html: engine::labelled_html(&v.markdown, &labels, true),
        labels,
        markdown: v.markdown,
        tags,
    })
}

/// The committee sets the Key Features of one paragraph of the current version (by label).
pub async fn tag_paragraph(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    paragraph: &str,
    codes: &[String],
) -> Result<ParagraphTagsDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let label = engine::Label::parse(paragraph)
        .ok_or_else(|| AppError::validation("paragraph", "Choose a paragraph."))?;
    let codes = domain::key_features::parse_codes(codes).ok_or_else(|| {
        AppError::validation("key_features", "Choose among the twelve Key Features.")
    })?;
    db::write(db, async |txn| {
        match d::set_paragraph_tags(txn, DeclarationId(draft.decl.id), label, &codes)
            .await
            .or_internal()?
        {
            Ok(()) => Ok(ParagraphTagsDto {
                label: label.to_string(),
                codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            }),
            Err(e) => Err(refused(e, "paragraph")),
        }
    })
    .await
}

pub async fn compare(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    from: VersionNumber,
    to: VersionNumber,
) -> Result<ComparisonDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let old = draft.version(db, from.0).await?;
    let new = draft.version(db, to.0).await?;
    let list = version_list(db, &draft).await?;
    Ok(ComparisonDto {
        head: draft.head(),
        from: find_version(&list, from)?,
        to: find_version(&list, to)?,
        diff: diff(
            &old.markdown,
            &d::labels_of(&old),
            &new.markdown,
            &d::labels_of(&new),
        ),
    })
}

pub async fn amendments(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<AmendmentsDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let me = draft.person_id();
    let list = d::amendments(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?;
    let mut colliding = collisions(db, draft.decl.id).await?;
    let bases = version_numbers(db, list.iter().map(|a| a.base_version_id.0)).await?;
    let numbers: HashMap<AmendmentId, AmendmentNumber> = list
        .iter()
        .map(|a| (a.id, AmendmentNumber(a.number.0)))
        .collect();
    let amendments = list
        .into_iter()
        .filter(|a| visible_to(a.status, a.sponsor_person_id, &a.co_sponsor_person_ids, me))
        .map(|a| {
            let (paragraphs, touches_label) = touches_label(&a.touched);
            AmendmentSummaryDto {
                number: AmendmentNumber(a.number.0),
                title: a.title,
                sponsor_name: a.sponsor_name,
                delegation_name: a.delegation_name,
                status: a.status,
                status_label: a.status.label().to_owned(),
                paragraphs,
                touches_label,
                collides_with: colliding.remove(&a.id.0).unwrap_or_default(),
                base_version: VersionNumber(
                    bases.get(&a.base_version_id.0).copied().unwrap_or_default(),
                ),
                mine: me == Some(a.sponsor_person_id),
                created_at: a.created_at.to_rfc3339(),
                updated_at: a.updated_at.to_rfc3339(),
                amends: a.parent_amendment_id.and_then(|p| numbers.get(&p).copied()),
            }
        })
        .collect();
    Ok(AmendmentsDto {
        head: draft.head(),
        amendments,
    })
}

pub async fn amendment(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
) -> Result<AmendmentDetailDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let a = draft.amendment(db, number.0).await?;
    let detail = d::amendment(db, AmendmentId(a.id))
        .await
        .or_internal()?
        .ok_or_else(|| no_amendment(number))?;
    let a = detail.amendment;
    let status = detail.status;
    let numbers = version_numbers(
        db,
        [a.original_base_version_id]
            .into_iter()
            .chain(a.merged_version_id)
            .chain(a.conflict_version_id),
    )
    .await?;
    let subs = subs::related(db, &draft, &a, draft.person_id()).await?;
    let conflict = match (status, a.conflict_markdown, a.conflict_version_id) {
        // a draft holding a conflict stays a draft (see `db::drafting::rebase_pending`)
        (AmendmentStatus::NeedsUpdate | AmendmentStatus::Draft, Some(with_markers), Some(v)) => {
            numbers.get(&v).map(|&version| AmendmentConflictDto {
                version: VersionNumber(version),
                with_markers,
            })
        }
        _ => None,
    };
    // a draft holding a conflict is submitted once its sponsor has resolved it
    let held = conflict.is_some();
    let collides_with = collisions(db, draft.decl.id)
        .await?
        .remove(&a.id)
        .unwrap_or_default();
    let (paragraphs, touches_label) = touches_label(&detail.touched);
    // the proposed text's paragraphs carry the base's labels; new ones are "4 bis"
    let base_labels = d::labels_of(&detail.base);
    let proposed_labels = engine::next_labels(
        &detail.base.markdown,
        &base_labels,
        &a.proposed_markdown,
        &[],
    );
    let me = draft.person_id();
    // an amendment to an amendment shows its change to that amendment's text
    let diff = match &a.parent_markdown {
        Some(amended) if a.parent_amendment_id.is_some() => {
            let amended_labels =
                engine::next_labels(&detail.base.markdown, &base_labels, amended, &[]);
            diff(
                amended,
                &amended_labels,
                &a.proposed_markdown,
                &proposed_labels,
            )
        }
        _ => diff(
            &detail.base.markdown,
            &base_labels,
            &a.proposed_markdown,
            &proposed_labels,
        ),
    };
    let sponsor = me == Some(PersonId(a.sponsor_person_id));
    let drafting = draft.drafting();
    let own = drafting && sponsor && draft.access.may(Action::ProposeAmendment);
    let committee = drafting && draft.access.may(Action::EditDeclaration);
    Ok(AmendmentDetailDto {
        number: AmendmentNumber(a.number),
        title: a.title,
        rationale_html: domain::markdown::render_safe(&a.rationale),
        rationale: a.rationale,
        sponsor_name: detail.sponsor.name,
        delegation_name: detail.delegation.map(|dl| dl.name),
        co_sponsors: detail.co_sponsors.into_iter().map(|p| p.name).collect(),
        status,
        status_label: status.label().to_owned(),
        decision_reason: a.decision_reason,
        base_version: VersionNumber(detail.base.number),
        original_base_version: VersionNumber(
            numbers
                .get(&a.original_base_version_id)
                .copied()
                .unwrap_or_default(),
        ),
        merged_version: a
            .merged_version_id
            .and_then(|v| numbers.get(&v).copied())
            .map(VersionNumber),
        paragraphs,
        touches_label,
        collides_with,
        diff,
        text_sha256: domain::text::sha256_hex(&a.proposed_markdown),
        amended_sha256: a.parent_markdown.as_deref().map(domain::text::sha256_hex),
        amends: subs.amends,
        amendments_to_it: subs.list,
        can_amend: subs.can_amend && draft.head().can_propose,
        proposed_labels,
        proposed_markdown: a.proposed_markdown,
        conflict,
        events: detail
            .events
            .into_iter()
            .map(|e| AmendmentEventDto {
                actor_name: e.actor_name,
                from_label: e.event.from_state().map(|s| s.label().to_owned()),
                from_status: e.event.from_state(),
                to_label: e.event.to_state().label().to_owned(),
                to_status: e.event.to_state(),
                note: e.event.note,
                at: e.event.at.to_rfc3339(),
            })
            .collect(),
        comments: detail
            .comments
            .into_iter()
            .map(|c| AmendmentCommentDto {
                id: CommentId(c.comment.id),
                author_name: c.author_name,
                body_html: domain::markdown::render_safe(&c.comment.body),
                body: c.comment.body,
                created_at: c.comment.created_at.to_rfc3339(),
            })
            .collect(),
        can_edit: own && status.is_pending(),
        can_submit: own && status == AmendmentStatus::Draft && !held,
        can_withdraw: own && status.is_pending(),
        can_decide: committee && status == AmendmentStatus::Submitted,
        can_modify: committee
            && status == AmendmentStatus::Submitted
            && a.parent_amendment_id.is_none(),
        can_reject: committee
            && matches!(
                status,
                AmendmentStatus::Submitted | AmendmentStatus::NeedsUpdate
            ),
        can_comment: drafting && draft.access.may(Action::ViewDraftDeclaration),
        created_at: a.created_at.to_rfc3339(),
        updated_at: a.updated_at.to_rfc3339(),
        head: draft.head(),
    })
}

pub async fn provenance(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<ProvenanceDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let spans = d::provenance(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?
        .into_iter()
        .map(|s| ProvenanceSpanDto {
            text: s.text,
            version: VersionNumber(s.version_number.0),
            author_name: s.author_name,
            amendment: s.amendment.map(|a| AmendmentRefDto {
                number: AmendmentNumber(a.number.0),
                title: a.title,
                sponsor_name: a.sponsor_name,
                delegation_name: a.delegation_name,
            }),
        })
        .collect();
    Ok(ProvenanceDto {
        head: draft.head(),
        spans,
    })
}

pub async fn compilation(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<String, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    d::compilation(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This declaration has no text yet."))
}

// ---------------------------------------------------------------------------------------------
// writes

/// A committee edit of the whole text, written against version `base_version`. A conflict with
/// what was saved in the meantime is an answer, not an error: the editor shows it and keeps
/// the text.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    base_version: VersionNumber,
    markdown: &str,
    message: &str,
) -> Result<SaveResultDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let user = draft.user()?;
    let base = draft.version(db, base_version.0).await?;
    let message = match message.trim() {
        "" => DEFAULT_MESSAGE,
        m => m,
    };
    db::write(db, async |txn| {
        let (dto, version) = save_in(
            db,
            txn,
            &draft,
            user.person(),
            VersionId(base.id),
            markdown,
            message,
        )
        .await?;
        shared::follow(txn, &draft, &version, user.person()).await?;
        Ok(dto)
    })
    .await
}

/// The work of [`save`] in the transaction `txn`: the new version (and the answer), or the
/// refusal (a conflict: 409 with the conflict in its detail).
async fn save_in(
    db: &DatabaseConnection,
    txn: &db::DatabaseTransaction,
    draft: &Draft,
    person: PersonId,
    base: VersionId,
    markdown: &str,
    message: &str,
) -> Result<(SaveResultDto, declaration_version::Model), AppError> {
    match d::save_version(
        txn,
        DeclarationId(draft.decl.id),
        person,
        base,
        markdown,
        message,
    )
    .await
    .or_internal()?
    {
        Ok(saved) => {
            let (rebased, flagged) = rebase_numbers(txn, &saved.rebase).await?;
            tell_version(txn, draft, saved.version.number, &saved.rebase).await?;
            Ok((
                SaveResultDto {
                    saved: Some(VersionNumber(saved.version.number)),
                    merged: saved.merged,
                    conflict: None,
                    current_version: VersionNumber(saved.version.number),
                    rebased,
                    flagged,
                },
                saved.version,
            ))
        }
        // 409, nothing saved; the conflict goes with the refusal, so that the editor can show
        // it and a client that goes by the status does not take it for a save
        Err(DraftingError::Conflict(c)) => {
            let current = d::current(db, DeclarationId(draft.decl.id))
                .await
                .or_internal()?
                .map_or(draft.current.number, |(_, v)| v.number);
            Err(AppError::conflict(format!(
                "Not saved: your edit collides with version {current}, saved in the meantime."
            ))
            .with_detail(SaveResultDto {
                saved: None,
                merged: false,
                conflict: Some(conflict_dto(c)),
                current_version: VersionNumber(current),
                rebased: Vec::new(),
                flagged: Vec::new(),
            }))
        }
        Err(e) => Err(refused(e, "markdown")),
    }
}

/// The delegation the asker proposes for: that of their registration in the conference, while
/// it holds a place (pending or accredited).
async fn delegation_of(
    db: &DatabaseConnection,
    conference_id: i32,
    person_id: i32,
) -> Result<Option<i32>, AppError> {
    Ok(
        db::registrations::of_person(db, ConferenceId(conference_id), PersonId(person_id))
            .await
            .or_internal()?
            .filter(|r| {
                domain::registration::Status::parse(&r.status)
                    .is_some_and(domain::registration::Status::holds_a_place)
            })
            .and_then(|r| r.delegation_id),
    )
}

/// Who may co-sponsor the asker's amendment: the other people who may propose amendments in
/// this conference (delegates, heads of delegation, committee members), each once, with their
/// delegation when they have one. Sorted by name.
async fn co_sponsor_candidates(
    db: &impl ConnectionTrait,
    conference_id: i32,
    me: i32,
) -> Result<Vec<crate::dto::OptionDto>, AppError> {
    let holders = db::accounts::role_holders(db, ConferenceId(conference_id))
        .await
        .or_internal()?;
    let registrations = db::registrations::list(db, ConferenceId(conference_id), None, None)
        .await
        .or_internal()?;
    let mut out: Vec<(i32, String)> = Vec::new();
    for (role, person, _) in holders {
        if person.id == me
            || !role.role_held().is_some_and(permissions::may_co_sponsor)
            || out.iter().any(|(id, _)| *id == person.id)
        {
            continue;
        }
        let delegation = registrations
            .iter()
            .find(|r| {
                r.registration.person_id == person.id
                    && domain::registration::Status::parse(&r.registration.status)
                        .is_some_and(domain::registration::Status::holds_a_place)
            })
            .and_then(|r| r.delegation.as_ref().map(|d| d.name.clone()));
        let label = match delegation {
            Some(d) => format!("{} ({d})", person.name),
            None if role.role_held() == Some(Role::Committee) => {
                format!("{} (drafting committee)", person.name)
            }
            None => person.name.clone(),
        };
        out.push((person.id, label));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out
        .into_iter()
        .map(|(id, label)| crate::dto::OptionDto {
            value: id.to_string(),
            label,
        })
        .collect())
}

/// The people the asker may name as co-sponsors.
pub async fn co_sponsor_options(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Vec<crate::dto::OptionDto>, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    co_sponsor_candidates(db, draft.access.conference.id, user.person_id).await
}

/// Check the chosen co-sponsors against the candidates (422 for anyone else).
async fn chosen_co_sponsors(
    db: &impl ConnectionTrait,
    conference_id: i32,
    me: i32,
    chosen: &[PersonId],
) -> Result<Vec<PersonId>, AppError> {
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let candidates = co_sponsor_candidates(db, conference_id, me).await?;
    let mut out = Vec::new();
    for id in chosen {
        if !candidates.iter().any(|c| c.value == id.to_string()) {
            return Err(AppError::validation(
                "co_sponsors",
                "Co-sponsors are other delegates, heads of delegation or committee members of this conference: choose them from the list.",
            ));
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    Ok(out)
}

/// Proposes an amendment; returns its number.
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    base_version: VersionNumber,
    title: &str,
    rationale: &str,
    proposed_markdown: &str,
    co_sponsors: &[PersonId],
    submit: bool,
    idempotency_key: Option<&str>,
) -> Result<AmendmentNumber, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    let once = crate::idempotency::Once::parse(
        idempotency_key,
        "propose_amendment",
        Some(user.person_id),
    )?;
    let base = draft.version(db, base_version.0).await?;
    let delegation = delegation_of(db, draft.access.conference.id, user.person_id).await?;
    let co_sponsors =
        chosen_co_sponsors(db, draft.access.conference.id, user.person_id, co_sponsors).await?;
    db::write(db, async |txn| {
        if let Some(number) = once.earlier::<AmendmentNumber>(txn).await? {
            return Ok(number);
        }
        draft.proposals_open(txn).await?;
        let outcome = d::create_amendment(
            txn,
            DeclarationId(draft.decl.id),
            NewAmendment {
                sponsor_person_id: PersonId(user.person_id),
                sponsor_delegation_id: delegation.map(DelegationId),
                base_version_id: VersionId(base.id),
                title: title.to_owned(),
                rationale: rationale.to_owned(),
                proposed_markdown: proposed_markdown.to_owned(),
                co_sponsor_person_ids: co_sponsors,
                submit,
            },
        )
        .await
        .or_internal()?;
        match outcome {
            Ok(a) => {
                once.record(txn, &a.number).await?;
                tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
                Ok(AmendmentNumber(a.number))
            }
            Err(e) => Err(draft.refused(e, "proposed_markdown")),
        }
    })
    .await
}

/// The sponsor edits their amendment (and so resolves one that needs an update).
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    base_version: VersionNumber,
    title: &str,
    rationale: &str,
    proposed_markdown: &str,
    amended_sha256: Option<&str>,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    let a = draft.own_amendment(db, number.0).await?;
    let base = draft.version(db, base_version.0).await?;
    let updated = db::write(db, async |txn| {
        draft.proposals_open(txn).await?;
        let subs = subs::pending_ids(txn, a.id).await?;
        let updated = d::update_amendment(
            txn,
            AmendmentId(a.id),
            user.person(),
            AmendmentEdit {
                base_version_id: VersionId(base.id),
                title: title.to_owned(),
                rationale: rationale.to_owned(),
                proposed_markdown: proposed_markdown.to_owned(),
                co_sponsor_person_ids: None,
                amended_sha256: amended_sha256.map(str::to_owned),
            },
        )
        .await?
        .map_err(|e| refused(e, "proposed_markdown"))?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
        subs::tell(txn, &draft, &subs).await?;
        Ok::<_, AppError>(updated)
    })
    .await?;
    let message = if a.state() == AmendmentStatus::NeedsUpdate {
        format!(
            "Amendment {number} is up to date again and {}.",
            if updated.state() == AmendmentStatus::Draft {
                "kept as a draft"
            } else {
                "back before the committee"
            }
        )
    } else {
        format!("Amendment {number} is saved.")
    };
    Ok(Notice { message })
}

pub async fn submit(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    let a = draft.own_amendment(db, number.0).await?;
    db::write(db, async |txn| {
        draft.proposals_open(txn).await?;
        d::submit(txn, AmendmentId(a.id), user.person())
            .await?
            .map_err(|e| refused(e, "proposed_markdown"))?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await
    })
    .await?;
    Ok(Notice {
        message: format!("Amendment {number} is submitted to the drafting committee."),
    })
}

pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    let a = draft.own_amendment(db, number.0).await?;
    db::write(db, async |txn| {
        let subs = subs::pending_ids(txn, a.id).await?;
        d::withdraw(txn, AmendmentId(a.id), user.person())
            .await?
            .map_err(|e| refused(e, "proposed_markdown"))?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
        subs::tell(txn, &draft, &subs).await
    })
    .await?;
    Ok(Notice {
        message: format!("Amendment {number} is withdrawn."),
    })
}

pub async fn reject(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    reason: &str,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let user = draft.user()?;
    if reason.trim().is_empty() {
        return Err(AppError::validation(
            "reason",
            "Give a reason: the sponsor and the delegations will read it.",
        ));
    }
    let a = draft.amendment(db, number.0).await?;
    db::write(db, async |txn| {
        let subs = subs::pending_ids(txn, a.id).await?;
        d::reject(txn, AmendmentId(a.id), user.person(), reason)
            .await?
            .map_err(|e| refused(e, "reason"))?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
        notify_sponsors(txn, &draft, &[a.id]).await?;
        subs::tell(txn, &draft, &subs).await
    })
    .await?;
    Ok(Notice {
        message: format!("Amendment {number} is rejected."),
    })
}

/// The committee accepts an amendment, as proposed or with its own modification (the whole
/// text, written against `modified_base_version`, by default the amendment's base version).
pub async fn accept(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    modified_markdown: Option<&str>,
    modified_base_version: Option<VersionNumber>,
) -> Result<AcceptResultDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let user = draft.user()?;
    let a = draft.amendment(db, number.0).await?;
    if a.parent_amendment_id.is_some() {
        return subs::accept(db, &draft, a, modified_markdown).await;
    }
    let modification = match modified_markdown.filter(|m| !m.trim().is_empty()) {
        None => None,
        Some(markdown) => {
            let base_version_id = match modified_base_version {
                Some(n) => draft.version(db, n.0).await?.id,
                None => a.base_version_id,
            };
            Some(Modification {
                base_version_id: VersionId(base_version_id),
                markdown: markdown.to_owned(),
            })
        }
    };
    db::write(db, async |txn| {
        let subs = subs::pending_ids(txn, a.id).await?;
        let outcome = d::accept(txn, AmendmentId(a.id), user.person(), modification)
            .await
            .or_internal()?;
        let done = match outcome {
            Ok(done) => done,
            Err(DraftingError::Conflict(c)) => {
                let n = c.regions.len();
                return Err(AppError::conflict(format!(
                    "This amendment no longer applies cleanly to the current text: {} collide{} with \
                     changes made since it was written. Nothing was changed. Ask its sponsor to \
                     update it, or accept it with a modification written against the current \
                     version.",
                    if n == 1 {
                        "one passage".to_owned()
                    } else {
                        format!("{n} passages")
                    },
                    if n == 1 { "s" } else { "" },
                )));
            }
            Err(e) => {
                return Err(refused(e, "modified_markdown"));
            }
        };
        let (rebased, flagged) = rebase_numbers(txn, &done.rebase).await?;
        tell_version(txn, &draft, done.version.number, &done.rebase).await?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
        notify_sponsors(txn, &draft, &[a.id]).await?;
        subs::tell(txn, &draft, &subs).await?;
        shared::follow(txn, &draft, &done.version, user.person()).await?;
        let status =
            done.amendment.state();
        Ok(AcceptResultDto {
            version: VersionNumber(done.version.number),
            status,
            status_label: status.label().to_owned(),
            rebased,
            flagged,
            amended: None,
        })
    })
    .await
}

pub async fn comment(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    body: &str,
    idempotency_key: Option<&str>,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let user = draft.user()?;
    let once = crate::idempotency::Once::parse(
        idempotency_key,
        "comment_amendment",
        Some(user.person_id),
    )?;
    let a = draft.amendment(db, number.0).await?;
    let notice = Notice {
        message: "Your comment is added.".into(),
    };
    db::write(db, async |txn| {
        if let Some(earlier) = once.earlier::<Notice>(txn).await? {
            return Ok(earlier);
        }
        d::comment(txn, AmendmentId(a.id), user.person(), body)
            .await?
            .map_err(|e| refused(e, "body"))?;
        tell_amendments(txn, draft.access.conference_id(), [a.id]).await?;
        once.record(txn, &notice).await?;
        Ok(notice)
    })
    .await
}

#[cfg(test)]
mod rewrap_tests {
    use super::*;

    #[test]
    fn a_rewrapped_line_is_not_a_change() {
        let old = "# T\n\nWe commit to learning that\ncontributes to health.\n";
        let new = "# T\n\nWe commit to learning\nthat contributes to health.\n";
        let d = diff(old, &[None, None], new, &[None, None]);
        assert!(d.rows.iter().all(|r| !r.changed), "{:?}", d.rows);
        assert!(
            d.inline.iter().all(|s| s.kind == DiffKind::Equal),
            "{:?}",
            d.inline
        );
        let shown: String = d.inline.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(shown, new);
        // list items and headings keep their lines; a hard break stays
        assert_eq!(
            soft_wraps("# A\nb\n\n- one\n- two\ntext\n"),
            "# A\nb\n\n- one\n- two\ntext\n"
        );
        assert_eq!(
            soft_wraps("one\ntwo  \nthree\nfour\n"),
            "one two  \nthree four\n"
        );
        // a real change beside a re-wrap still shows
        let changed = "# T\n\nWe commit to lifelong learning\nthat contributes to health.\n";
        let d = diff(old, &[None, None], changed, &[None, None]);
        let ins: Vec<&str> = d
            .inline
            .iter()
            .filter(|s| s.kind == DiffKind::Inserted)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(ins.concat().trim(), "lifelong");
        assert!(d.rows.iter().any(|r| r.changed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::drafting::input::{InputField, Invalid};

    #[test]
    fn refusals_map_to_statuses_and_fields() {
        let invalid = |field, message: &str| DraftingError::Invalid(Invalid::new(field, message));
        let e = refused(invalid(InputField::Title, "The title is required."), "x");
        assert_eq!((e.status(), e.field.as_deref()), (422, Some("title")));
        let e = refused(invalid(InputField::Text, "The text is empty."), "markdown");
        assert_eq!(e.field.as_deref(), Some("markdown"));
        // the field is data: a message worded like another field's still lands on its own
        let e = refused(
            invalid(InputField::Comment, "The title of this is odd."),
            "x",
        );
        assert_eq!(e.field.as_deref(), Some("body"));
        assert_eq!(refused(DraftingError::NoSuchVersion, "x").status(), 404);
        assert_eq!(refused(DraftingError::NeedsUpdate, "x").status(), 409);
        assert_eq!(refused(DraftingError::Adopted, "x").status(), 409);
        let e = refused(DraftingError::NothingChanged, "markdown");
        assert_eq!((e.status(), e.field.as_deref()), (422, Some("markdown")));
    }

    #[test]
    fn touched_paragraphs_read_naturally() {
        let p = |number: Option<u32>| ParagraphRef {
            index: 0,
            label: number.map(engine::Label::plain),
        };
        assert_eq!(touches_label(&[p(Some(5))]).1, "amends paragraph 5");
        assert_eq!(
            touches_label(&[p(Some(5)), p(Some(6))]),
            (
                vec!["5".into(), "6".into()],
                "amends paragraphs 5, 6".to_owned()
            )
        );
        let bis = ParagraphRef {
            index: 1,
            label: Some(engine::Label::after(4, 1)),
        };
        assert_eq!(touches_label(&[bis]).1, "amends paragraph 4 bis");
        assert_eq!(touches_label(&[p(None)]).1, "amends a heading");
        assert_eq!(touches_label(&[]).1, "");
    }

    #[test]
    fn diffs_concatenate_to_both_texts() {
        let old = "# T\n\nThe cat sat.\n\nGone.\n";
        let new = "# T\n\nThe dog sat.\n\nNew one.\n";
        let labels = |t: &str| engine::initial_labels(&engine::paragraphs(t));
        let dto = diff(old, &labels(old), new, &labels(new));
        let side = |keep: DiffKind| -> String {
            dto.inline
                .iter()
                .filter(|s| s.kind == DiffKind::Equal || s.kind == keep)
                .map(|s| s.text.as_str())
                .collect()
        };
        assert_eq!(side(DiffKind::Deleted), old);
        assert_eq!(side(DiffKind::Inserted), new);
        assert!(!dto.rows[0].changed);
        assert!(dto.rows.iter().skip(1).all(|r| r.changed));
    }
}
