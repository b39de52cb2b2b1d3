//! The plenary hall's screen: what the chair (the drafting committee or the organisers) puts on
//! it — the amendment on the floor as a word diff of the paragraphs it changes, or a paragraph
//! of the working draft — and, once the amendment is decided, the result. Participants read it;
//! the page follows the live stream, so the projector changes when the chair does.

use super::{no_amendment, Draft};
use crate::access::Caller;
use crate::drafting::dto::{
    AmendmentStatus, DiffKind, DiffSpanDto, ScreenAmendmentDto, ScreenDto, ScreenParagraphDto,
};
use crate::dto::Notice;
use crate::error::{AppError, OrInternal};
use db::drafting as d;
use db::entity::{amendment, declaration_version};
use db::DatabaseConnection;
use domain::drafting as engine;
use domain::ids::{AmendmentId, AmendmentNumber, DeclarationId};
use domain::live::Event;
use domain::permissions::Action;
use sea_orm::EntityTrait;

fn cell_text(c: &engine::Cell) -> String {
    c.spans.iter().map(|s| s.text.as_str()).collect()
}

/// The paragraphs an amendment changes, each as one inline word diff, labelled as in its base.
fn changed_paragraphs(
    base: &declaration_version::Model,
    amended: Option<&str>,
    proposed: &str,
) -> Vec<ScreenParagraphDto> {
    // an amendment to an amendment: its change to that amendment's text
    let (old_text, labels) = match amended {
        Some(text) => (
            text,
            engine::next_labels(&base.markdown, &d::labels_of(base), text, &[]),
        ),
        None => (base.markdown.as_str(), d::labels_of(base)),
    };
    engine::side_by_side(old_text, proposed)
        .into_iter()
        .filter(|row| match (&row.old, &row.new) {
            (Some(o), Some(n)) => cell_text(o) != cell_text(n),
            _ => true,
        })
        .map(|row| {
            let old = row.old.as_ref().map(cell_text).unwrap_or_default();
            let new = row.new.as_ref().map(cell_text).unwrap_or_default();
            ScreenParagraphDto {
                label: match &row.old {
                    Some(o) => labels
                        .get(o.index)
                        .copied()
                        .flatten()
                        .map(|l| format!("Paragraph {l}")),
                    None => Some("New paragraph".into()),
                },
                spans: super::inline(&old, &new),
            }
        })
        .collect()
}

/// The result the screen shows for a decided amendment.
fn result_of(status: AmendmentStatus) -> Option<&'static str> {
    match status {
        AmendmentStatus::Accepted => Some("Adopted"),
        AmendmentStatus::AcceptedWithModification => Some("Adopted as modified"),
        AmendmentStatus::Rejected => Some("Rejected"),
        AmendmentStatus::Withdrawn => Some("Withdrawn"),
        AmendmentStatus::Lapsed => Some("Lapsed"),
        _ => None,
    }
}

/// What is on the screen now.
pub async fn screen(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<ScreenDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let can_chair = draft.drafting() && draft.access.may(Action::ChairPlenary);
    let mut out = ScreenDto {
        head: draft.head(),
        can_chair,
        amendment: None,
        paragraphs: Vec::new(),
        changed_at: draft.decl.screen_changed_at.map(|t| t.to_rfc3339()),
    };
    if let Some(id) = draft.decl.screen_amendment_id {
        let a = amendment::Entity::find_by_id(id)
            .one(db)
            .await
            .or_internal()?
            .filter(|a| a.state() != AmendmentStatus::Draft);
        if let Some(a) = a {
            let base = declaration_version::Entity::find_by_id(a.base_version_id)
                .one(db)
                .await
                .or_internal()?
                .ok_or_else(AppError::internal)?;
            let names = d::sponsors(db, [&a]).await.or_internal()?;
            let (sponsor_name, delegation_name) = names.get(&a.id).cloned().unwrap_or_default();
            let amended = a
                .parent_markdown
                .as_deref()
                .filter(|_| a.parent_amendment_id.is_some());
            out.paragraphs = changed_paragraphs(&base, amended, &a.proposed_markdown);
            out.amendment = Some(ScreenAmendmentDto {
                number: AmendmentNumber(a.number),
                title: a.title.clone(),
                sponsor_name,
                delegation_name,
                status: a.state(),
                result: result_of(a.state()).map(str::to_owned),
            });
        }
    } else if let Some(label) = &draft.decl.screen_paragraph {
        let labels = d::labels_of(&draft.current);
        let paragraphs = engine::paragraphs(&draft.current.markdown);
        if let Some(k) = labels
            .iter()
            .position(|l| l.is_some_and(|l| l.to_string() == *label))
        {
            if let Some(p) = paragraphs.get(k) {
                out.paragraphs = vec![ScreenParagraphDto {
                    label: Some(format!("Paragraph {label}")),
                    spans: vec![DiffSpanDto {
                        kind: DiffKind::Equal,
                        text: p.text.clone(),
                    }],
                }];
            }
        }
    }
    Ok(out)
}

/// The chair puts an amendment (`number`) or a paragraph (`paragraph`, its label) on the
/// screen, or clears it (neither).
pub async fn put_on_screen(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: Option<AmendmentNumber>,
    paragraph: Option<&str>,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ChairPlenary).await?;
    let paragraph = paragraph.map(str::trim).filter(|p| !p.is_empty());
    let (amendment_id, paragraph, message) = match (number, paragraph) {
        (Some(_), Some(_)) => {
            return Err(AppError::validation(
                "paragraph",
                "Put either an amendment or a paragraph on the screen, not both.",
            ))
        }
        (Some(n), None) => {
            let a = draft.amendment(db, n.0).await?;
            if a.state() == AmendmentStatus::Draft {
                return Err(no_amendment(n));
            }
            (
                Some(AmendmentId(a.id)),
                None,
                format!("Amendment {n} is on the screen."),
            )
        }
        (None, Some(label)) => {
            let known = d::labels_of(&draft.current)
                .iter()
                .any(|l| l.is_some_and(|l| l.to_string() == label));
            if !known {
                return Err(AppError::validation(
                    "paragraph",
                    format!("The current text has no paragraph {label}."),
                ));
            }
            (
                None,
                Some(label.to_owned()),
                format!("Paragraph {label} is on the screen."),
            )
        }
        (None, None) => (None, None, "The screen is cleared.".to_owned()),
    };
    db::write(db, async |txn| {
        d::set_screen(txn, DeclarationId(draft.decl.id), amendment_id, paragraph)
            .await
            .or_internal()?
            .map_err(|e| super::refused(e, "number"))?;
        db::events::append(txn, draft.access.conference_id(), &Event::screen_changed())
            .await
            .or_internal()
    })
    .await?;
    Ok(Notice { message })
}
