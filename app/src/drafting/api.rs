//! Server functions for drafting the declaration. Thin: the rules, the transaction and the
//! shaping are in [`crate::drafting::service`]. Version and amendment numbers are the ones people see
//! ("version 4", "amendment 3"), within the conference's declaration.
// propose_amendment takes a form's eight fields; the server macro's client side, generated
// for the browser, carries no attribute of ours, so the allowance is the module's
#![allow(clippy::too_many_arguments)]

use crate::drafting::dto::*;
use crate::dto::Notice;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    drafting::service as svc,
    public::api::{caller, db, ticked},
};

// reads: any participant of the conference (visitors 401, others 403)

/// The declaration's versions, newest first.
#[server(prefix = "/fn")]
pub async fn get_versions(slug: String) -> Result<VersionsDto, AppError> {
    svc::versions(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// One version with its text (`number`, or the current one): what the editor and the amendment
/// form start from.
#[server(prefix = "/fn")]
pub async fn get_draft(slug: String, number: Option<VersionNumber>) -> Result<DraftDto, AppError> {
    svc::draft(&db()?, &caller().await?, &slug, number)
        .await
        .map_err(AppError::with_status)
}

/// Word-by-word comparison of two versions, by number.
#[server(prefix = "/fn")]
pub async fn compare_versions(
    slug: String,
    from: VersionNumber,
    to: VersionNumber,
) -> Result<ComparisonDto, AppError> {
    svc::compare(&db()?, &caller().await?, &slug, from, to)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_amendments(slug: String) -> Result<AmendmentsDto, AppError> {
    svc::amendments(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_amendment(
    slug: String,
    number: AmendmentNumber,
) -> Result<AmendmentDetailDto, AppError> {
    svc::amendment(&db()?, &caller().await?, &slug, number)
        .await
        .map_err(AppError::with_status)
}

/// "Who wrote this": the current text attributed to versions and amendments.
#[server(prefix = "/fn")]
pub async fn get_provenance(slug: String) -> Result<ProvenanceDto, AppError> {
    svc::provenance(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// The current text with every submitted amendment inline, as Markdown.
#[server(prefix = "/fn")]
pub async fn get_compilation(slug: String) -> Result<String, AppError> {
    svc::compilation(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

// writes

/// The committee saves the whole text, written against version `base_version`. A conflict
/// with a version saved in the meantime comes back in the result (200), not as an error.
#[server(prefix = "/fn")]
pub async fn save_declaration(
    slug: String,
    base_version: VersionNumber,
    markdown: String,
    message: Option<String>,
) -> Result<SaveResultDto, AppError> {
    svc::save(
        &db()?,
        &caller().await?,
        &slug,
        base_version,
        &markdown,
        message.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(AppError::with_status)
}

/// The text the committee co-edits, at its revision (committee only).
#[server(prefix = "/fn")]
pub async fn get_shared_draft(slug: String) -> Result<SharedDraftDto, AppError> {
    svc::shared::get(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// A committee member's operation on the shared draft (`operation`: JSON of
/// `domain::coedit::Operation`), made on revision `seen`, with a key of its own (a retry with
/// the same key changes nothing), and where the caret is once it is applied (`caret`, a
/// character index). The other editors hear of it on the live stream.
#[server(prefix = "/fn")]
pub async fn edit_shared_draft(
    slug: String,
    seen: u64,
    operation: String,
    key: String,
    caret: Option<u64>,
) -> Result<SharedEditDto, AppError> {
    svc::shared::edit(
        &db()?,
        &caller().await?,
        &slug,
        seen,
        &operation,
        &key,
        caret,
    )
    .await
    .map_err(AppError::with_status)
}

/// The operations on the shared draft after revision `after`, in order (committee only): what
/// an editor that heard of them on the live stream, or was offline, applies to catch up.
#[server(prefix = "/fn")]
pub async fn get_shared_ops(slug: String, after: u64) -> Result<Vec<SharedOpDto>, AppError> {
    svc::shared::ops(&db()?, &caller().await?, &slug, after)
        .await
        .map_err(AppError::with_status)
}

/// Save the shared draft as a version (merged onto the current one if that moved on).
/// `base_version`: after a collision was resolved in the editor, the version its text is now
/// written against.
#[server(prefix = "/fn")]
pub async fn save_shared_draft(
    slug: String,
    message: Option<String>,
    base_version: Option<VersionNumber>,
) -> Result<SaveResultDto, AppError> {
    svc::shared::save(
        &db()?,
        &caller().await?,
        &slug,
        message.as_deref().unwrap_or_default(),
        base_version,
    )
    .await
    .map_err(AppError::with_status)
}

/// Proposes an amendment (the whole text as it would be, written against `base_version`);
/// kept as a draft unless `submit` is ticked. Returns its number.
#[server(prefix = "/fn")]
pub async fn propose_amendment(
    slug: String,
    base_version: VersionNumber,
    title: String,
    rationale: Option<String>,
    proposed_markdown: String,
    co_sponsors: Option<Vec<domain::ids::PersonId>>,
    submit: Option<String>,
    idempotency_key: Option<String>,
) -> Result<AmendmentNumber, AppError> {
    svc::propose(
        &db()?,
        &caller().await?,
        &slug,
        base_version,
        &title,
        rationale.as_deref().unwrap_or_default(),
        &proposed_markdown,
        &co_sponsors.unwrap_or_default(),
        ticked(submit.as_deref()),
        idempotency_key.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

/// Proposes an amendment to amendment `number` (the whole text as that amendment would have
/// it, written on its text whose SHA-256 is `amended_sha256`); kept as a draft unless `submit`
/// is ticked. Returns the new amendment's number.
#[server(prefix = "/fn")]
pub async fn propose_sub_amendment(
    slug: String,
    number: AmendmentNumber,
    amended_sha256: String,
    title: String,
    rationale: Option<String>,
    proposed_markdown: String,
    co_sponsors: Option<Vec<domain::ids::PersonId>>,
    submit: Option<String>,
    idempotency_key: Option<String>,
) -> Result<AmendmentNumber, AppError> {
    svc::subs::propose(
        &db()?,
        &caller().await?,
        &slug,
        number,
        &amended_sha256,
        &title,
        rationale.as_deref().unwrap_or_default(),
        &proposed_markdown,
        &co_sponsors.unwrap_or_default(),
        ticked(submit.as_deref()),
        idempotency_key.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

/// The people the asker may name as co-sponsors of an amendment (person id, name and
/// delegation).
#[server(prefix = "/fn")]
pub async fn get_co_sponsor_options(slug: String) -> Result<Vec<crate::dto::OptionDto>, AppError> {
    svc::co_sponsor_options(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// The sponsor edits their amendment; for one that needs an update, `base_version` is the
/// version its conflict was shown against.
#[server(prefix = "/fn")]
pub async fn update_amendment(
    slug: String,
    number: AmendmentNumber,
    base_version: VersionNumber,
    title: String,
    rationale: Option<String>,
    proposed_markdown: String,
    amended_sha256: Option<String>,
) -> Result<Notice, AppError> {
    svc::update(
        &db()?,
        &caller().await?,
        &slug,
        number,
        base_version,
        &title,
        rationale.as_deref().unwrap_or_default(),
        &proposed_markdown,
        amended_sha256.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn submit_amendment(slug: String, number: AmendmentNumber) -> Result<Notice, AppError> {
    svc::submit(&db()?, &caller().await?, &slug, number)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn withdraw_amendment(slug: String, number: AmendmentNumber) -> Result<Notice, AppError> {
    svc::withdraw(&db()?, &caller().await?, &slug, number)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn reject_amendment(
    slug: String,
    number: AmendmentNumber,
    reason: Option<String>,
) -> Result<Notice, AppError> {
    svc::reject(
        &db()?,
        &caller().await?,
        &slug,
        number,
        reason.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(AppError::with_status)
}

/// The committee accepts an amendment; with `modified_markdown`, as modified (the whole text,
/// written against `modified_base_version`, by default the amendment's own base version).
#[server(prefix = "/fn")]
pub async fn accept_amendment(
    slug: String,
    number: AmendmentNumber,
    modified_markdown: Option<String>,
    modified_base_version: Option<VersionNumber>,
) -> Result<AcceptResultDto, AppError> {
    svc::accept(
        &db()?,
        &caller().await?,
        &slug,
        number,
        modified_markdown.as_deref(),
        modified_base_version,
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn comment_amendment(
    slug: String,
    number: AmendmentNumber,
    body: Option<String>,
    idempotency_key: Option<String>,
) -> Result<Notice, AppError> {
    svc::comment(
        &db()?,
        &caller().await?,
        &slug,
        number,
        body.as_deref().unwrap_or_default(),
        idempotency_key.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

/// The committee tags a paragraph of the current version (by its label, "4 bis") with Key
/// Features (codes; none clears them).
#[server(prefix = "/fn")]
pub async fn tag_paragraph(
    slug: String,
    paragraph: String,
    key_features: Option<Vec<String>>,
) -> Result<ParagraphTagsDto, AppError> {
    svc::tag_paragraph(
        &db()?,
        &caller().await?,
        &slug,
        &paragraph,
        &key_features.unwrap_or_default(),
    )
    .await
    .map_err(AppError::with_status)
}

// the voting order: read by participants, arranged by the committee

/// The pending amendments, passage by passage, in the order they are put to the vote.
#[server(prefix = "/fn")]
pub async fn get_voting_order(slug: String) -> Result<VotingOrderDto, AppError> {
    svc::voting::order(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// Move an amendment one place earlier (`direction` "up") or later ("down") in its passage.
#[server(prefix = "/fn")]
pub async fn move_in_voting_order(
    slug: String,
    number: AmendmentNumber,
    direction: String,
) -> Result<Notice, AppError> {
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => {
            return Err(
                AppError::validation("direction", "Move an amendment up or down.").with_status(),
            )
        }
    };
    svc::voting::move_amendment(&db()?, &caller().await?, &slug, number, up)
        .await
        .map_err(AppError::with_status)
}

/// Record that amendment `number` only makes sense if `depends_on` passes (`remove` ticked:
/// forget it).
#[server(prefix = "/fn")]
pub async fn set_vote_dependency(
    slug: String,
    number: AmendmentNumber,
    depends_on: AmendmentNumber,
    remove: Option<String>,
) -> Result<Notice, AppError> {
    svc::voting::dependency(
        &db()?,
        &caller().await?,
        &slug,
        number,
        depends_on,
        !ticked(remove.as_deref()),
    )
    .await
    .map_err(AppError::with_status)
}

// the plenary hall's screen: read by participants, driven by the chair

/// What the screen shows now.
#[server(prefix = "/fn")]
pub async fn get_screen(slug: String) -> Result<ScreenDto, AppError> {
    svc::screen::screen(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// Put amendment `number` or paragraph `paragraph` (its label) on the screen; neither clears it.
#[server(prefix = "/fn")]
pub async fn put_on_screen(
    slug: String,
    number: Option<String>,
    paragraph: Option<String>,
) -> Result<Notice, AppError> {
    let number = match number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(n.parse::<i32>().map(AmendmentNumber).map_err(|_| {
            AppError::validation("number", "Choose one of the amendments.").with_status()
        })?),
    };
    svc::screen::put_on_screen(
        &db()?,
        &caller().await?,
        &slug,
        number,
        paragraph.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

// square brackets: the status read by participants, the marks set by the committee

/// Where the current text stands, paragraph by paragraph (only those tagged with Key Feature
/// `feature`, when one is given).
#[server(prefix = "/fn")]
pub async fn get_brackets(slug: String, feature: Option<String>) -> Result<BracketsDto, AppError> {
    svc::brackets::status(&db()?, &caller().await?, &slug, feature.as_deref())
        .await
        .map_err(AppError::with_status)
}

/// The committee puts `passage` of paragraph `paragraph` (its label) of version `version` in
/// brackets, with `alternatives` (one per line) after it.
#[server(prefix = "/fn")]
pub async fn bracket_passage(
    slug: String,
    version: VersionNumber,
    paragraph: String,
    passage: String,
    alternatives: Option<String>,
) -> Result<Notice, AppError> {
    svc::brackets::bracket(
        &db()?,
        &caller().await?,
        &slug,
        version,
        &paragraph,
        &passage,
        alternatives.as_deref().unwrap_or(""),
    )
    .await
    .map_err(AppError::with_status)
}

/// The committee settles mark `bracket` of version `version`: `decision` "ad_ref", "agreed" or
/// "reopen"; `choice` the alternative agreed (1, 2 …) when the passage has several.
#[server(prefix = "/fn")]
pub async fn settle_bracket(
    slug: String,
    version: VersionNumber,
    bracket: usize,
    decision: String,
    choice: Option<String>,
) -> Result<Notice, AppError> {
    let decision = svc::brackets::Decision::parse(&decision).ok_or_else(|| {
        AppError::validation(
            "decision",
            "Agree the passage, agree it ad ref, or put it back in brackets.",
        )
        .with_status()
    })?;
    let choice = match choice.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(c.parse::<usize>().map_err(|_| {
            AppError::validation("choice", "Choose one of the alternatives.").with_status()
        })?),
    };
    svc::brackets::settle(
        &db()?,
        &caller().await?,
        &slug,
        version,
        bracket,
        decision,
        choice,
    )
    .await
    .map_err(AppError::with_status)
}

// comments anchored to passages of the draft: participants comment, the author or the
// committee resolves

/// The comments on passages of the working draft.
#[server(prefix = "/fn")]
pub async fn get_draft_comments(slug: String) -> Result<DraftCommentsDto, AppError> {
    svc::comments::list(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// A comment on `passage` of paragraph `paragraph` (its label) of version `version`.
#[server(prefix = "/fn")]
pub async fn comment_on_draft(
    slug: String,
    version: VersionNumber,
    paragraph: String,
    passage: String,
    body: String,
) -> Result<Notice, AppError> {
    svc::comments::add(
        &db()?,
        &caller().await?,
        &slug,
        version,
        &paragraph,
        &passage,
        &body,
    )
    .await
    .map_err(AppError::with_status)
}

/// Resolve comment `id` on the draft (its author or the committee).
#[server(prefix = "/fn")]
pub async fn resolve_draft_comment(slug: String, id: CommentId) -> Result<Notice, AppError> {
    svc::comments::resolve(&db()?, &caller().await?, &slug, id)
        .await
        .map_err(AppError::with_status)
}
