//! The shared draft the committee co-edits (`db::shared`, `domain::coedit`): loading it,
//! applying an editor's operation (ordered, told to the other editors on the live stream), and
//! saving it as a version by the usual path (labels, provenance, rebasing of pending
//! amendments), after which it is written against that version.

use super::{save_in, Draft};
use crate::access::Caller;
use crate::drafting::dto::{SaveResultDto, SharedDraftDto, SharedEditDto, SharedOpDto};
use crate::error::{AppError, OrInternal};
use db::entity::declaration_version;
use db::DatabaseConnection;
use domain::coedit::Operation;
use domain::drafting::amendment::DeclarationStatus;
use domain::ids::{DeclarationId, VersionId, VersionNumber};
use domain::live::Event;
use domain::permissions::Action;
use sea_orm::EntityTrait;

fn refused_adopted(draft: &Draft) -> Result<(), AppError> {
    if draft.decl.state() == DeclarationStatus::Drafting {
        Ok(())
    } else {
        Err(AppError::conflict(
            "The declaration is adopted: its text can no longer change.",
        ))
    }
}

/// A key as an editor makes one per operation: 1 to 64 letters, digits, `-` or `_`.
fn checked_key(key: &str) -> Result<&str, AppError> {
    if (1..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(key)
    } else {
        Err(AppError::validation(
            "key",
            "Each operation needs a key of 1 to 64 letters, digits, - or _.",
        ))
    }
}

async fn version_number(db: &DatabaseConnection, id: VersionId) -> Result<VersionNumber, AppError> {
    declaration_version::Entity::find_by_id(id.0)
        .one(db)
        .await
        .or_internal()?
        .map(|v| VersionNumber(v.number))
        .ok_or_else(AppError::internal)
}

/// The shared draft (started from the current version the first time): committee only.
pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<SharedDraftDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let decl = DeclarationId(draft.decl.id);
    let shared = db::write(db, async |txn| {
        db::shared::get_or_start(txn, decl, &draft.current).await
    })
    .await
    .or_internal()?;
    let me = draft.user()?.person();
    let editors = db::accounts::role_holders(db, draft.access.conference_id())
        .await
        .or_internal()?
        .into_iter()
        .filter(|(r, _, _)| r.role == domain::permissions::Role::Committee.as_str())
        .map(|(_, p, _)| (domain::ids::PersonId(p.id), p.name))
        .collect();
    Ok(SharedDraftDto {
        revision: shared.revision,
        base_version: version_number(db, shared.base_version_id).await?,
        text: shared.text,
        me,
        editors,
    })
}

/// A committee member's operation (`operation`, JSON of `domain::coedit::Operation`), made on
/// revision `seen` and sent with `key`: applied in the server's order and told to the other
/// editors. The same key again (a retry) is answered with the first answer and changes nothing.
pub async fn edit(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    seen: u64,
    operation: &str,
    key: &str,
    caret: Option<u64>,
) -> Result<SharedEditDto, AppError> {
    let key = checked_key(key)?;
    let op: Operation = serde_json::from_str(operation).map_err(|_| {
        AppError::validation("operation", "The operation is not one the editor makes.")
    })?;
    // typed text with a NUL or another control character is refused, as a whole text is
    for step in &op.steps {
        if let domain::coedit::Step::Insert(typed) = step {
            domain::drafting::input::refuse_controls(
                typed,
                domain::drafting::input::InputField::Text,
            )
            .map_err(|e| AppError::validation("operation", e.message))?;
        }
    }
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    refused_adopted(&draft)?;
    let user = draft.user()?.person();
    let decl = DeclarationId(draft.decl.id);
    let conference = draft.access.conference_id();
    let applied = db::write(db, async |txn| {
        db::shared::get_or_start(txn, decl, &draft.current)
            .await
            .or_internal()?;
        let applied = db::shared::apply(
            txn,
            decl,
            user,
            seen,
            op,
            key,
            caret,
            domain::drafting::input::MAX_MARKDOWN_BYTES,
        )
        .await
        .or_internal()?
        .map_err(refused)?;
        if !applied.repeated {
            let event = Event::draft_edited(
                applied.revision,
                applied.author,
                applied.operation.clone(),
                applied.key.clone(),
                applied.caret,
            );
            db::events::append(txn, conference, &event)
                .await
                .or_internal()?;
        }
        Ok::<_, AppError>(applied)
    })
    .await?;
    Ok(SharedEditDto {
        revision: applied.revision,
        repeated: applied.repeated,
    })
}

fn refused(r: db::shared::Refusal) -> AppError {
    use db::shared::Refusal::*;
    match r {
        UnknownRevision { revision } => AppError::conflict(format!(
            "The shared draft has no revision {revision}: load it again."
        )),
        DoesNotFit => AppError::validation(
            "operation",
            "The operation does not fit the text it names: load the shared draft again.",
        ),
        TooLong { max } => AppError::validation(
            "operation",
            format!("The text would be longer than a declaration may be ({max} bytes)."),
        ),
    }
}

/// Save the shared draft as a version, as it is now (no operation can slip in between: the
/// draft's row is locked for the save). The draft is then written against the new version; if
/// the save merged it onto a newer version, the difference reaches every editor as one more
/// operation.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    message: &str,
    base_version: Option<VersionNumber>,
) -> Result<SaveResultDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    refused_adopted(&draft)?;
    let rebased_on = match base_version {
        Some(n) => Some(VersionId(draft.version(db, n.0).await?.id)),
        None => None,
    };
    let user = draft.user()?.person();
    let decl = DeclarationId(draft.decl.id);
    let conference = draft.access.conference_id();
    let message = match message.trim() {
        "" => super::DEFAULT_MESSAGE,
        m => m,
    };
    db::write(db, async |txn| {
        let shared = db::shared::get_or_start(txn, decl, &draft.current)
            .await
            .or_internal()?;
        if let Some(v) = rebased_on {
            db::shared::set_base(txn, decl, v).await.or_internal()?;
        }
        // the lock, before the text is read for the save
        let shared = db::shared::locked(txn, decl)
            .await
            .or_internal()?
            .unwrap_or(shared);
        let (dto, version) = save_in(
            db,
            txn,
            &draft,
            user,
            shared.base_version_id,
            &shared.text,
            message,
        )
        .await?;
        // who typed what goes with the version: the draft's typists, once the draft has the
        // version's text (a merge onto a newer version brings in text nobody typed here)
        let key = format!("save-{}", version.id);
        let applied = db::shared::saved_as(
            txn,
            decl,
            VersionId(version.id),
            &version.markdown,
            user,
            &key,
        )
        .await
        .or_internal()?;
        let typists = db::shared::typists(txn, decl).await.or_internal()?;
        db::shared::credit_version(txn, VersionId(version.id), &typists)
            .await
            .or_internal()?;
        if let Some(a) = applied {
            let event = Event::draft_edited(a.revision, a.author, a.operation, a.key, a.caret);
            db::events::append(txn, conference, &event)
                .await
                .or_internal()?;
        }
        Ok(dto)
    })
    .await
}

/// A version was saved another way (a whole text, an accepted amendment): the shared draft
/// follows it if what the committee typed merges onto it cleanly (`db::shared::follow`), and
/// the editors hear the difference as one more operation.
pub(super) async fn follow(
    txn: &db::DatabaseTransaction,
    draft: &Draft,
    version: &declaration_version::Model,
    person: domain::ids::PersonId,
) -> Result<(), AppError> {
    let decl = DeclarationId(draft.decl.id);
    if let Some(a) = db::shared::follow(txn, decl, version, person)
        .await
        .or_internal()?
    {
        let event = Event::draft_edited(a.revision, a.author, a.operation, a.key, a.caret);
        db::events::append(txn, draft.access.conference_id(), &event)
            .await
            .or_internal()?;
    }
    Ok(())
}

/// The operations after revision `after` (at most [`MAX_OPS`]), for an editor catching up:
/// committee only.
pub async fn ops(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    after: u64,
) -> Result<Vec<SharedOpDto>, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    let decl = DeclarationId(draft.decl.id);
    Ok(db::shared::after(db, decl, after)
        .await
        .or_internal()?
        .into_iter()
        .take(MAX_OPS)
        .map(|a| SharedOpDto {
            revision: a.revision,
            author: a.author,
            operation: a.operation,
            key: a.key,
            caret: a.caret,
        })
        .collect())
}

/// How many operations one catch-up returns (an editor further behind asks again).
pub const MAX_OPS: usize = 500;
