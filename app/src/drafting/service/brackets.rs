//! Square brackets (`domain::drafting::brackets`): where the negotiation of the current text
//! stands, and the committee's marks. Everyone who reads the draft reads the status; the
//! committee brackets passages and settles them. A mark is part of the text, so each change is
//! a new version of the declaration (saved as a committee edit: pending amendments are rebased
//! onto it, the shared draft follows it, open pages hear of it), written against the version
//! the committee member saw: if another version came first, the change is merged onto it as
//! any edit is, or refused as a conflict.

use super::{save_in, shared, Draft};
use crate::access::Caller;
use crate::drafting::dto::{BracketDto, BracketParagraphDto, BracketsDto, VersionNumber};
use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, OrInternal};
use db::drafting as d;
use db::DatabaseConnection;
use domain::drafting::brackets::{
    self as b, quote, BracketError, BracketState, ParagraphStatus, Settle,
};
use domain::ids::{DeclarationId, VersionId};
use domain::permissions::Action;

/// Where the current text stands, paragraph by paragraph; only the paragraphs tagged with
/// Key Feature `feature` when one is given.
pub async fn status(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    feature: Option<&str>,
) -> Result<BracketsDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let feature = match feature.map(str::trim).filter(|f| !f.is_empty()) {
        None => None,
        Some(code) => Some(
            domain::key_features::by_code(code)
                .ok_or_else(|| {
                    AppError::validation("feature", "Choose one of the twelve Key Features.")
                })?
                .code,
        ),
    };
    let text = &draft.current.markdown;
    let labels = d::labels_of(&draft.current);
    let paragraphs = domain::drafting::paragraphs(text);
    let statuses = b::statuses(text);
    let marks = b::brackets(text);
    let tags = d::paragraph_tags(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?;
    let mut out = Vec::new();
    let mut choices = Vec::new();
    for (i, (p, label)) in paragraphs.iter().zip(&labels).enumerate() {
        let Some(label) = label else { continue };
        let label = label.to_string();
        choices.push(OptionDto {
            value: label.clone(),
            label: format!("Paragraph {label}"),
        });
        let codes: Vec<String> = tags
            .iter()
            .filter(|(l, _)| *l == label)
            .map(|(_, c)| c.clone())
            .collect();
        if feature.is_some_and(|f| !codes.iter().any(|c| c == f)) {
            continue;
        }
        out.push(BracketParagraphDto {
            html: domain::markdown::render_draft(&p.text),
            status: statuses.get(i).copied().unwrap_or(ParagraphStatus::Agreed),
            brackets: marks
                .iter()
                .enumerate()
                .filter(|(_, m)| m.paragraph == i)
                .map(|(index, m)| BracketDto {
                    index,
                    state: m.state,
                    alternatives: m
                        .alternatives(text)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                })
                .collect(),
            codes: domain::key_features::parse_codes(&codes)
                .unwrap_or_default()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            label,
        });
    }
    let count = |f: fn(&ParagraphStatus) -> bool| {
        statuses
            .iter()
            .zip(&labels)
            .filter(|(s, l)| l.is_some() && f(s))
            .count()
    };
    let (bracketed_words, total_words) = b::bracketed_words(text);
    Ok(BracketsDto {
        version: VersionNumber(draft.current.number),
        paragraphs: out,
        bracketed_words,
        total_words,
        agreed: count(|s| *s == ParagraphStatus::Agreed),
        ad_ref: count(|s| *s == ParagraphStatus::AdRef),
        bracketed: count(|s| matches!(s, ParagraphStatus::Bracketed(_))),
        feature: feature.map(str::to_owned),
        features: domain::key_features::KEY_FEATURES
            .iter()
            .map(|k| OptionDto {
                value: k.code.to_owned(),
                label: format!("{} {}", k.code, k.title),
            })
            .collect(),
        can_edit: draft.head().can_edit,
        choices,
        head: draft.head(),
    })
}

fn invalid(field: &str, e: BracketError) -> AppError {
    match e {
        BracketError::NoSuchBracket => AppError::conflict(e.to_string()),
        e => AppError::validation(field, e.to_string()),
    }
}

/// Saves `text` as the next version, made by the asker from version `seen` (the current one
/// when they looked).
async fn save(
    db: &DatabaseConnection,
    draft: &Draft,
    text: &str,
    message: &str,
) -> Result<VersionNumber, AppError> {
    let user = draft.user()?;
    db::write(db, async |txn| {
        let (saved, version) = save_in(
            db,
            txn,
            draft,
            user.person(),
            VersionId(draft.current.id),
            text,
            message,
        )
        .await?;
        shared::follow(txn, draft, &version, user.person()).await?;
        Ok(saved.current_version)
    })
    .await
}

/// The committee member's draft, checked to be at `seen`: a mark is placed on the text its
/// author saw, and the index of a mark means nothing on another text.
async fn at_version(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    seen: VersionNumber,
) -> Result<Draft, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    if !draft.drafting() {
        return Err(AppError::conflict(
            "The declaration has been adopted: its text no longer changes.",
        ));
    }
    if seen.0 != draft.current.number {
        return Err(AppError::conflict(format!(
            "The text changed since you looked (it is now version {}): look again.",
            draft.current.number
        )));
    }
    Ok(draft)
}

/// The label of paragraph `label` as the index of its paragraph in the current text.
fn paragraph_index(draft: &Draft, label: &str) -> Result<usize, AppError> {
    let label = label.trim();
    d::labels_of(&draft.current)
        .iter()
        .position(|l| l.is_some_and(|l| l.to_string() == label))
        .ok_or_else(|| AppError::validation("paragraph", "Choose a paragraph of the current text."))
}

/// The committee puts `passage` of paragraph `paragraph` (its label) in brackets, with the
/// alternatives in `alternatives` (one per line) after it.
pub async fn bracket(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    seen: VersionNumber,
    paragraph: &str,
    passage: &str,
    alternatives: &str,
) -> Result<Notice, AppError> {
    let draft = at_version(db, caller, slug, seen).await?;
    let index = paragraph_index(&draft, paragraph)?;
    let alternatives: Vec<&str> = alternatives.lines().collect();
    let text = b::bracket(&draft.current.markdown, index, passage, &alternatives).map_err(|e| {
        let field = match e {
            BracketError::Unusable
                if b::bracket(&draft.current.markdown, index, passage, &[]).is_ok() =>
            {
                "alternatives"
            }
            _ => "passage",
        };
        invalid(field, e)
    })?;
    let label = paragraph.trim();
    let version = save(
        db,
        &draft,
        &text,
        &format!("Bracketed {} in paragraph {label}", quote(passage)),
    )
    .await?;
    let with = match alternatives
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .count()
    {
        0 => String::new(),
        1 => " with one alternative".to_owned(),
        n => format!(" with {n} alternatives"),
    };
    Ok(Notice {
        message: format!(
            "{} is in brackets in paragraph {label}{with} (version {version}).",
            quote(passage)
        ),
    })
}

/// What the committee decided about a mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    AdRef,
    Agreed,
    Reopen,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "ad_ref" => Some(Decision::AdRef),
            "agreed" => Some(Decision::Agreed),
            "reopen" => Some(Decision::Reopen),
            _ => None,
        }
    }
}

/// The committee settles mark number `index` of the current text: agreed ad referendum,
/// agreed (the mark goes) or back in brackets; `choice` (1-based) is the alternative agreed
/// when the passage has several.
pub async fn settle(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    seen: VersionNumber,
    index: usize,
    decision: Decision,
    choice: Option<usize>,
) -> Result<Notice, AppError> {
    let draft = at_version(db, caller, slug, seen).await?;
    let current = &draft.current.markdown;
    let mark = b::brackets(current)
        .into_iter()
        .nth(index)
        .ok_or_else(|| invalid("bracket", BracketError::NoSuchBracket))?;
    let how = match (decision, mark.state) {
        (Decision::AdRef, BracketState::Open) => Settle::AdRef(choice),
        (Decision::Agreed, _) => Settle::Agreed(choice),
        (Decision::Reopen, BracketState::AdRef) => Settle::Reopen,
        (Decision::AdRef, BracketState::AdRef) => {
            return Err(AppError::conflict(
                "This passage is already agreed ad referendum.",
            ))
        }
        (Decision::Reopen, BracketState::Open) => {
            return Err(AppError::conflict("This passage is already in brackets."))
        }
    };
    let text = b::settle(current, index, how).map_err(|e| invalid("choice", e))?;
    let label = d::labels_of(&draft.current)
        .get(mark.paragraph)
        .copied()
        .flatten()
        .map_or_else(|| "the title".to_owned(), |l| format!("paragraph {l}"));
    let passage = quote(&current[mark.inner.clone()]);
    let (message, told) = match decision {
        Decision::AdRef => (
            format!("Agreed ad ref {passage} in {label}"),
            format!("{passage} in {label} is agreed ad referendum"),
        ),
        Decision::Agreed => (
            format!("Agreed {passage} in {label}"),
            format!("{passage} in {label} is agreed: its brackets are gone"),
        ),
        Decision::Reopen => (
            format!("Put {passage} in {label} back in brackets"),
            format!("{passage} in {label} is in brackets again"),
        ),
    };
    let version = save(db, &draft, &text, &message).await?;
    Ok(Notice {
        message: format!("{told} (version {version})."),
    })
}
