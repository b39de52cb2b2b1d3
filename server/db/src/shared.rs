//! The shared draft the committee co-edits: a text started from a version of the declaration
//! and changed by operations that the server orders (`domain::coedit`). Each operation is
//! applied under a lock on the draft's row, transformed against the operations its author had
//! not yet seen, and stored with its revision and its author; one sent again with the same key
//! (a retry after a lost answer) is the same operation, applied once.

use crate::entity::{declaration_version, shared_draft, shared_op};
use chrono::Utc;
use domain::coedit::{transform, OpError, Operation, Typists};
use domain::ids::{DeclarationId, PersonId, VersionId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// The shared draft as an editor loads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub base_version_id: VersionId,
    pub revision: u64,
    pub text: String,
}

/// An operation as the server ordered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub revision: u64,
    pub author: PersonId,
    pub operation: Operation,
    pub key: String,
    /// Where its author's caret is in the text it made (a character index), if they said.
    pub caret: Option<u64>,
    /// It had been applied before (the same key): nothing changed now.
    pub repeated: bool,
}

/// Why an operation was refused (nothing changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It names a revision the draft never had.
    UnknownRevision { revision: u64 },
    /// It does not fit the text of the revision it names.
    DoesNotFit,
    /// The text would be longer than a declaration may be (in bytes).
    TooLong { max: usize },
}

fn shared(m: shared_draft::Model) -> Shared {
    Shared {
        base_version_id: VersionId(m.base_version_id),
        revision: m.revision.max(0) as u64,
        text: m.text,
    }
}

fn to_json(op: &Operation) -> Result<String, DbErr> {
    serde_json::to_string(op).map_err(|e| DbErr::Custom(format!("operation to JSON: {e}")))
}

/// Who typed each character of a stored text (stored empty: nobody, the whole text).
pub fn typists_of(stored: &str, text: &str) -> Typists<PersonId> {
    serde_json::from_str::<Typists<PersonId>>(stored)
        .ok()
        .filter(|t| t.len() == text.chars().count())
        .unwrap_or_else(|| Typists::untyped(text.chars().count()))
}

fn typists_json(t: &Typists<PersonId>) -> Result<String, DbErr> {
    serde_json::to_string(t).map_err(|e| DbErr::Custom(format!("typists to JSON: {e}")))
}

fn from_json(s: &str) -> Result<Operation, DbErr> {
    serde_json::from_str(s).map_err(|e| DbErr::Custom(format!("stored operation unreadable: {e}")))
}

/// The shared draft of `declaration`, started from `version` (the current one) the first time.
pub async fn get_or_start<C: ConnectionTrait>(
    db: &C,
    declaration: DeclarationId,
    version: &declaration_version::Model,
) -> Result<Shared, DbErr> {
    shared_draft::Entity::insert(shared_draft::ActiveModel {
        declaration_id: Set(declaration.0),
        base_version_id: Set(version.id),
        revision: Set(0),
        text: Set(version.markdown.clone()),
        typists: Set(String::new()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(shared_draft::Column::DeclarationId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    shared_draft::Entity::find_by_id(declaration.0)
        .one(db)
        .await?
        .map(shared)
        .ok_or_else(|| DbErr::Custom("shared draft vanished".into()))
}

/// Take the draft's row lock until the transaction ends (PostgreSQL; SQLite's write transaction
/// is exclusive already), so that operations on one draft are ordered one at a time.
async fn lock<C: ConnectionTrait>(txn: &C, declaration: DeclarationId) -> Result<(), DbErr> {
    shared_draft::Entity::update_many()
        .col_expr(
            shared_draft::Column::Revision,
            Expr::col(shared_draft::Column::Revision),
        )
        .filter(shared_draft::Column::DeclarationId.eq(declaration.0))
        .exec(txn)
        .await
        .map(|_| ())
}

/// The operations after revision `seen`, in order.
pub async fn after<C: ConnectionTrait>(
    db: &C,
    declaration: DeclarationId,
    seen: u64,
) -> Result<Vec<Applied>, DbErr> {
    shared_op::Entity::find()
        .filter(shared_op::Column::DeclarationId.eq(declaration.0))
        .filter(shared_op::Column::Revision.gt(seen as i64))
        .order_by_asc(shared_op::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            Ok(Applied {
                revision: o.revision.max(0) as u64,
                author: PersonId(o.person_id),
                operation: from_json(&o.operation)?,
                key: o.client_key,
                caret: o.caret.map(|c| c.max(0) as u64),
                repeated: false,
            })
        })
        .collect()
}

/// Apply `op`, made by `author` on revision `seen`, sent with `key`, in the transaction `txn`
/// (which must have started the draft: [`get_or_start`]). What it inserts is credited to
/// `author` as its typist. `caret`: where the author's caret is in the text the operation made
/// on their copy; it is moved with the operation into the server's text.
#[allow(clippy::too_many_arguments)]
pub async fn apply<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
    author: PersonId,
    seen: u64,
    op: Operation,
    key: &str,
    caret: Option<u64>,
    max_bytes: usize,
) -> Result<Result<Applied, Refusal>, DbErr> {
    let edit = Edit {
        author,
        typist: Some(author),
        seen,
        op,
        key,
        caret,
    };
    apply_crediting(txn, declaration, edit, max_bytes).await
}

/// An operation as it arrives.
struct Edit<'a> {
    author: PersonId,
    /// Who is credited with what it inserts (`None`: nobody, for text that a save or another
    /// version brought in rather than someone typed).
    typist: Option<PersonId>,
    seen: u64,
    op: Operation,
    key: &'a str,
    caret: Option<u64>,
}

/// [`apply`], crediting what the operation inserts to its `typist`.
async fn apply_crediting<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
    edit: Edit<'_>,
    max_bytes: usize,
) -> Result<Result<Applied, Refusal>, DbErr> {
    let Edit {
        author,
        typist,
        seen,
        op,
        key,
        caret,
    } = edit;
    lock(txn, declaration).await?;
    if let Some(earlier) = shared_op::Entity::find()
        .filter(shared_op::Column::DeclarationId.eq(declaration.0))
        .filter(shared_op::Column::ClientKey.eq(key))
        .one(txn)
        .await?
    {
        return Ok(Ok(Applied {
            revision: earlier.revision.max(0) as u64,
            author: PersonId(earlier.person_id),
            operation: from_json(&earlier.operation)?,
            key: earlier.client_key,
            caret: earlier.caret.map(|c| c.max(0) as u64),
            repeated: true,
        }));
    }
    let Some(draft) = shared_draft::Entity::find_by_id(declaration.0)
        .one(txn)
        .await?
    else {
        return Err(DbErr::Custom("no shared draft".into()));
    };
    let revision = draft.revision.max(0) as u64;
    if seen > revision {
        return Ok(Err(Refusal::UnknownRevision { revision: seen }));
    }
    let mut op = op;
    // the caret, in the author's text, clamped to it
    let mut caret = caret.map(|c| (c as usize).min(op.target_len));
    for earlier in after(txn, declaration, seen).await? {
        op = match transform(&earlier.operation, &op) {
            Ok((theirs, mine)) => {
                // what the author had not seen moves the caret as it moves the text
                caret = caret.map(|c| theirs.moved(c, false));
                mine
            }
            Err(OpError::Mismatch | OpError::WrongLength { .. }) => {
                return Ok(Err(Refusal::DoesNotFit))
            }
        };
    }
    let Ok(text) = op.apply(&draft.text) else {
        return Ok(Err(Refusal::DoesNotFit));
    };
    if text.len() > max_bytes {
        return Ok(Err(Refusal::TooLong { max: max_bytes }));
    }
    let next = revision + 1;
    let typists = typists_of(&draft.typists, &draft.text).apply(&op, typist);
    shared_draft::Entity::update_many()
        .col_expr(shared_draft::Column::Text, Expr::value(text))
        .col_expr(
            shared_draft::Column::Typists,
            Expr::value(typists_json(&typists)?),
        )
        .col_expr(shared_draft::Column::Revision, Expr::value(next as i64))
        .col_expr(shared_draft::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(shared_draft::Column::DeclarationId.eq(declaration.0))
        .exec(txn)
        .await?;
    shared_op::Entity::insert(shared_op::ActiveModel {
        declaration_id: Set(declaration.0),
        revision: Set(next as i64),
        person_id: Set(author.0),
        operation: Set(to_json(&op)?),
        client_key: Set(key.to_owned()),
        caret: Set(caret.map(|c| c as i64)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(Ok(Applied {
        revision: next,
        author,
        operation: op,
        key: key.to_owned(),
        caret: caret.map(|c| c as u64),
        repeated: false,
    }))
}

/// The shared draft was saved as `version`, whose text is `text` (the draft's, merged onto the
/// current version if that had moved on): the draft is now written against it. If the saved
/// text differs from the draft's, the difference is one more operation by `author` (returned,
/// to be sent to the editors), so that every copy stays in step.
pub async fn saved_as<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
    version: VersionId,
    text: &str,
    author: PersonId,
    key: &str,
) -> Result<Option<Applied>, DbErr> {
    lock(txn, declaration).await?;
    let Some(draft) = shared_draft::Entity::find_by_id(declaration.0)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    shared_draft::Entity::update_many()
        .col_expr(shared_draft::Column::BaseVersionId, Expr::value(version.0))
        .filter(shared_draft::Column::DeclarationId.eq(declaration.0))
        .exec(txn)
        .await?;
    if draft.text == text {
        return Ok(None);
    }
    let op = Operation::diff(&draft.text, text);
    let seen = draft.revision.max(0) as u64;
    let edit = Edit {
        author,
        typist: None,
        seen,
        op,
        key,
        caret: None,
    };
    match apply_crediting(txn, declaration, edit, usize::MAX).await? {
        Ok(a) => Ok(Some(a)),
        Err(_) => Err(DbErr::Custom(
            "the saved text does not fit the draft".into(),
        )),
    }
}

/// The last revision of the shared draft (0 if it was never started).
pub async fn revision<C: ConnectionTrait>(
    db: &C,
    declaration: DeclarationId,
) -> Result<u64, DbErr> {
    Ok(shared_draft::Entity::find_by_id(declaration.0)
        .select_only()
        .column(shared_draft::Column::Revision)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .map_or(0, |r| r.max(0) as u64))
}

/// The shared draft, read under its row lock (held until the transaction ends).
pub async fn locked<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
) -> Result<Option<Shared>, DbErr> {
    lock(txn, declaration).await?;
    Ok(shared_draft::Entity::find_by_id(declaration.0)
        .one(txn)
        .await?
        .map(shared))
}

/// Who typed each character of the shared draft's text as it is now.
pub async fn typists<C: ConnectionTrait>(
    db: &C,
    declaration: DeclarationId,
) -> Result<Typists<PersonId>, DbErr> {
    Ok(shared_draft::Entity::find_by_id(declaration.0)
        .one(db)
        .await?
        .map(|d| typists_of(&d.typists, &d.text))
        .unwrap_or_default())
}

/// Keep who typed what with `version` (saved from the shared draft, whose text it has).
pub async fn credit_version<C: ConnectionTrait>(
    txn: &C,
    version: VersionId,
    typists: &Typists<PersonId>,
) -> Result<(), DbErr> {
    declaration_version::Entity::update_many()
        .col_expr(
            declaration_version::Column::Typists,
            Expr::value(typists_json(typists)?),
        )
        .filter(declaration_version::Column::Id.eq(version.0))
        .exec(txn)
        .await
        .map(|_| ())
}

/// A version was saved another way (an accepted amendment, a save of a whole text): the shared
/// draft follows it. What the committee typed since the draft's version is merged onto the new
/// one (three-way, as a save merges); if that merges cleanly, the difference is one more
/// operation by `author` (returned, to be sent to the editors) and the draft is written against
/// the new version. If it collides, the draft stays as it is, written against its version, and
/// its own save will show the collision to resolve.
pub async fn follow<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
    version: &declaration_version::Model,
    author: PersonId,
) -> Result<Option<Applied>, DbErr> {
    let Some(draft) = locked(txn, declaration).await? else {
        return Ok(None);
    };
    if draft.base_version_id.0 == version.id {
        return Ok(None);
    }
    let Some(base) = declaration_version::Entity::find_by_id(draft.base_version_id.0)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let merged = domain::drafting::merge3(&base.markdown, &version.markdown, &draft.text)
        .map_err(crate::drafting::fault)?;
    let Some(text) = merged.clean() else {
        return Ok(None);
    };
    let key = format!("follow-{}", version.id);
    saved_as(txn, declaration, VersionId(version.id), text, author, &key).await
}

/// The shared draft's text is now written against `version` (a collision with it was resolved
/// in the editor).
pub async fn set_base<C: ConnectionTrait>(
    txn: &C,
    declaration: DeclarationId,
    version: VersionId,
) -> Result<(), DbErr> {
    lock(txn, declaration).await?;
    shared_draft::Entity::update_many()
        .col_expr(shared_draft::Column::BaseVersionId, Expr::value(version.0))
        .filter(shared_draft::Column::DeclarationId.eq(declaration.0))
        .exec(txn)
        .await
        .map(|_| ())
}
