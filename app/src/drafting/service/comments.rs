//! Comments anchored to a passage of the working draft (not only to an amendment). A comment is
//! written on the version its author read, on words found once in a paragraph; on reading it
//! is followed into the current version word by word (`domain::drafting::anchors`), so it stays
//! with its passage while the text around or inside it changes. Participants read and write
//! them while the declaration is drafted; the author or the committee resolves one, and
//! resolved comments fold away.

use super::{refused, Draft};
use crate::access::Caller;
use crate::drafting::dto::{CommentId, DraftCommentDto, DraftCommentsDto, VersionNumber};
use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, OrInternal};
use db::drafting as d;
use db::DatabaseConnection;
use domain::drafting::anchors::{self, Follower, PassageError};
use domain::ids::{DeclarationId, VersionId};
use domain::live::Event;
use domain::permissions::Action;
use std::collections::HashMap;

/// The comments on the draft, open ones in the order of their passages.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<DraftCommentsDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let decl = DeclarationId(draft.decl.id);
    let comments = d::draft_comments(db, decl).await.or_internal()?;
    let people = d::draft_comment_people(db, &comments).await.or_internal()?;
    let current = &draft.current.markdown;
    let labels = d::labels_of(&draft.current);
    let me = draft.person_id();
    let committee = draft.committee();
    // each version commented on is compared with the current one once
    let mut followers: HashMap<i32, (i32, Option<Follower>)> = HashMap::new();
    let mut open = Vec::new();
    let mut resolved = Vec::new();
    for c in &comments {
        let (number, follower) = match followers.entry(c.version_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let v = draft.version_by_id(db, c.version_id).await?;
                let follower =
                    (v.id != draft.current.id).then(|| Follower::new(&v.markdown, current));
                e.insert((v.number, follower))
            }
        };
        let anchor = c.anchor_start.max(0) as usize..c.anchor_end.max(0) as usize;
        let now = match follower {
            None => Some(anchor).filter(|r| current.get(r.clone()).is_some()),
            Some(f) => f.follow(anchor),
        };
        let place = now.as_ref().map(|r| {
            domain::drafting::label_at(current, r.start, &labels)
                .map_or_else(|| "A heading".to_owned(), |l| format!("Paragraph {l}"))
        });
        let name = |id: Option<i32>| {
            id.and_then(|id| people.get(&id).cloned())
                .unwrap_or_else(|| "A former participant".to_owned())
        };
        let dto = DraftCommentDto {
            id: CommentId(c.id),
            passage: now
                .as_ref()
                .and_then(|r| current.get(r.clone()))
                .map(str::to_owned),
            place,
            quote: c.quote.clone(),
            written_on: VersionNumber(*number),
            author_name: name(c.author_person_id),
            body_html: domain::markdown::render_safe(&c.body),
            created_label: draft.deadline_label(c.created_at),
            resolved_label: c.resolved_at.map(|t| {
                format!(
                    "Resolved by {} on {}",
                    name(c.resolved_by_person_id),
                    draft.deadline_label(t)
                )
            }),
            can_resolve: c.resolved_at.is_none()
                && draft.drafting()
                && (committee || (me.is_some() && c.author_person_id == me.map(|p| p.0))),
        };
        if c.resolved_at.is_some() {
            resolved.push((c.resolved_at, dto));
        } else {
            open.push((now.map_or(usize::MAX, |r| r.start), dto));
        }
    }
    open.sort_by_key(|(at, _)| *at);
    resolved.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let choices = labels
        .iter()
        .flatten()
        .map(|l| OptionDto {
            value: l.to_string(),
            label: format!("Paragraph {l}"),
        })
        .collect();
    Ok(DraftCommentsDto {
        version: VersionNumber(draft.current.number),
        open: open.into_iter().map(|(_, c)| c).collect(),
        resolved: resolved.into_iter().map(|(_, c)| c).collect(),
        can_comment: draft.drafting() && me.is_some(),
        choices,
        head: draft.head(),
    })
}

fn passage_error(e: PassageError) -> AppError {
    let field = match e {
        PassageError::NoSuchParagraph => "paragraph",
        _ => "passage",
    };
    AppError::validation(field, e.to_string())
}

/// A comment on `passage` of paragraph `paragraph` (its label) of version `version` (the one
/// its author read).
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    version: VersionNumber,
    paragraph: &str,
    passage: &str,
    body: &str,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let user = draft.user()?;
    if !draft.drafting() {
        return Err(AppError::conflict(
            "The declaration has been adopted: its draft takes no more comments.",
        ));
    }
    let v = draft.version(db, version.0).await?;
    let label = paragraph.trim();
    let index = d::labels_of(&v)
        .iter()
        .position(|l| l.is_some_and(|l| l.to_string() == label))
        .ok_or_else(|| passage_error(PassageError::NoSuchParagraph))?;
    let range = anchors::locate(&v.markdown, index, passage).map_err(passage_error)?;
    let quote = v.markdown[range.clone()].to_owned();
    db::write(db, async |txn| {
        d::add_draft_comment(
            txn,
            DeclarationId(draft.decl.id),
            VersionId(v.id),
            range,
            &quote,
            user.person(),
            body,
        )
        .await
        .or_internal()?
        .map_err(|e| refused(e, "body"))?;
        db::events::append(txn, draft.access.conference_id(), &Event::draft_commented())
            .await
            .or_internal()
    })
    .await?;
    Ok(Notice {
        message: format!(
            "Your comment on “{}” in paragraph {label} is added.",
            quote.trim()
        ),
    })
}

/// Comment `id` resolved, by its author or the committee.
pub async fn resolve(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: CommentId,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let user = draft.user()?;
    let decl = DeclarationId(draft.decl.id);
    let c = d::draft_comment(db, decl, id)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("There is no such comment on this draft."))?;
    if !(draft.committee() || c.author_person_id == Some(user.person().0)) {
        return Err(AppError::forbidden(
            "Only its author or the drafting committee can resolve a comment.",
        ));
    }
    let now = db::write(db, async |txn| {
        let now = d::resolve_draft_comment(txn, decl, id, user.person())
            .await
            .or_internal()?
            .map_err(|e| refused(e, "id"))?;
        if now {
            db::events::append(txn, draft.access.conference_id(), &Event::draft_commented())
                .await
                .or_internal()?;
        }
        Ok::<bool, AppError>(now)
    })
    .await?;
    if !now {
        return Err(AppError::conflict("This comment is already resolved."));
    }
    Ok(Notice {
        message: "The comment is resolved: it is folded away with the others.".into(),
    })
}
