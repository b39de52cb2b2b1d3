//! Comments anchored to passages of the working draft. Written under the declaration's lock
//! (as every drafting write), refused once the declaration is adopted.

use super::*;
use crate::entity::draft_comment;
use domain::ids::{DeclarationId, VersionId};

/// A new comment on passage `anchor` (bytes) of version `version_id`, whose words are `quote`.
pub async fn add_draft_comment(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    version_id: VersionId,
    anchor: std::ops::Range<usize>,
    quote: &str,
    author: PersonId,
    body: &str,
) -> Outcome<draft_comment::Model> {
    finish(
        async {
            let body = check_prose(body, InputField::Comment, true)?;
            let (decl, _) = lock_for_writing(db, declaration_id.0).await?;
            let to_i32 = |n: usize| {
                i32::try_from(n).map_err(|_| DbErr::Custom(format!("anchor {n} out of range")))
            };
            Ok(draft_comment::ActiveModel {
                declaration_id: Set(decl.id),
                version_id: Set(version_id.0),
                anchor_start: Set(to_i32(anchor.start)?),
                anchor_end: Set(to_i32(anchor.end)?),
                quote: Set(quote.to_owned()),
                author_person_id: Set(Some(author.0)),
                body: Set(body),
                created_at: Set(Utc::now()),
                resolved_at: Set(None),
                resolved_by_person_id: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?)
        }
        .await,
    )
}

/// The declaration's comments on its draft, oldest first.
pub async fn draft_comments(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<draft_comment::Model>, DbErr> {
    draft_comment::Entity::find()
        .filter(draft_comment::Column::DeclarationId.eq(declaration_id.0))
        .order_by_asc(draft_comment::Column::Id)
        .all(db)
        .await
}

/// One comment of the declaration, by id.
pub async fn draft_comment(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    id: domain::ids::CommentId,
) -> Result<Option<draft_comment::Model>, DbErr> {
    draft_comment::Entity::find_by_id(id.0)
        .filter(draft_comment::Column::DeclarationId.eq(declaration_id.0))
        .one(db)
        .await
}

/// Marks comment `id` resolved by `person`, once: whether it was resolved now (`false`: it was
/// already, by an earlier or a simultaneous call).
pub async fn resolve_draft_comment(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    id: domain::ids::CommentId,
    person: PersonId,
) -> Outcome<bool> {
    finish(
        async {
            lock_for_writing(db, declaration_id.0).await?;
            let done = draft_comment::Entity::update_many()
                .col_expr(draft_comment::Column::ResolvedAt, Expr::value(Utc::now()))
                .col_expr(
                    draft_comment::Column::ResolvedByPersonId,
                    Expr::value(person.0),
                )
                .filter(draft_comment::Column::Id.eq(id.0))
                .filter(draft_comment::Column::DeclarationId.eq(declaration_id.0))
                .filter(draft_comment::Column::ResolvedAt.is_null())
                .exec(db)
                .await?;
            Ok(done.rows_affected == 1)
        }
        .await,
    )
}

/// The names of the people who wrote or resolved `comments`, by person id.
pub async fn draft_comment_people(
    db: &impl ConnectionTrait,
    comments: &[draft_comment::Model],
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: Vec<i32> = comments
        .iter()
        .flat_map(|c| [c.author_person_id, c.resolved_by_person_id])
        .flatten()
        .collect();
    super::reads::names(db, ids).await
}
