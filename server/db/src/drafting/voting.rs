//! The rows behind the voting order ([`domain::drafting::voting`]): which amendment depends on
//! which (recorded by the committee), and the committee's ranks where it changed the proposed
//! order. Writes lock the declaration, as every drafting write does.

use super::*;
use crate::entity::amendment_dependency;
use domain::ids::{AmendmentId, AmendmentNumber, DeclarationId};

/// What the voting order is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    pub current: declaration_version::Model,
    /// Submitted amendments written against the current version, and submitted amendments to
    /// them, by number: those put to the vote.
    pub pending: Vec<amendment::Model>,
    /// Amendments waiting for their sponsor to update them (needs update), by number.
    pub waiting: Vec<amendment::Model>,
    /// (amendment id, the id it depends on), both in this declaration, any status.
    pub dependencies: Vec<(i32, i32)>,
    /// (amendment to an amendment, the amendment it amends), both in `pending`: it is voted
    /// before the amendment it amends.
    pub amends: Vec<(i32, i32)>,
}

async fn read_floor(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    current: declaration_version::Model,
) -> Result<Floor, DbErr> {
    let mut pending = submitted_on(db, declaration_id, current.id).await?;
    let on_floor: HashSet<i32> = pending.iter().map(|a| a.id).collect();
    let subs: Vec<amendment::Model> = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .filter(amendment::Column::Status.eq(AmendmentStatus::Submitted.as_str()))
        .filter(amendment::Column::ParentAmendmentId.is_not_null())
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.parent_amendment_id.is_some_and(|p| on_floor.contains(&p)))
        .collect();
    let amends = subs
        .iter()
        .filter_map(|s| s.parent_amendment_id.map(|p| (s.id, p)))
        .collect();
    pending.extend(subs);
    pending.sort_by_key(|a| a.number);
    let waiting = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .filter(amendment::Column::Status.eq(AmendmentStatus::NeedsUpdate.as_str()))
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<i32> = amendment::Entity::find()
        .select_only()
        .column(amendment::Column::Id)
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .into_tuple()
        .all(db)
        .await?;
    let dependencies = amendment_dependency::Entity::find()
        .filter(amendment_dependency::Column::AmendmentId.is_in(ids))
        .order_by_asc(amendment_dependency::Column::AmendmentId)
        .order_by_asc(amendment_dependency::Column::DependsOnId)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.amendment_id, d.depends_on_id))
        .collect();
    Ok(Floor {
        current,
        pending,
        waiting,
        dependencies,
        amends,
    })
}

/// The floor as it stands (`None`: no declaration or no version yet).
pub async fn floor(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Option<Floor>, DbErr> {
    match current(db, declaration_id).await? {
        Some((_, v)) => Ok(Some(read_floor(db, declaration_id.0, v).await?)),
        None => Ok(None),
    }
}

/// The floor read under the declaration's lock, for a write that depends on it (refused once
/// the declaration is adopted).
pub async fn lock_floor(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Outcome<Floor> {
    finish(
        async {
            let (_, current) = lock_for_writing(db, declaration_id.0).await?;
            Ok(read_floor(db, declaration_id.0, current).await?)
        }
        .await,
    )
}

/// Records that `amendment` only makes sense if `depends_on` passes. Both must be before the
/// committee (submitted or needing an update); a dependency that would close a circle is
/// refused. Recording it again changes nothing.
pub async fn add_dependency(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    depends_on_id: AmendmentId,
) -> Outcome<()> {
    finish(
        async {
            let (decl, current, a, status) = lock_amendment(db, amendment_id.0).await?;
            let other = amendment::Entity::find_by_id(depends_on_id.0)
                .filter(amendment::Column::DeclarationId.eq(decl.id))
                .one(db)
                .await?
                .ok_or(DraftingError::NoSuchAmendment)?;
            for s in [status, status_of(&other)?] {
                if !matches!(s, AmendmentStatus::Submitted | AmendmentStatus::NeedsUpdate) {
                    return Err(DraftingError::NotOnTheFloor(s).into());
                }
            }
            let floor = read_floor(db, decl.id, current).await?;
            if floor.dependencies.contains(&(a.id, other.id)) {
                return Ok(());
            }
            if domain::drafting::voting::would_circle(&floor.dependencies, (a.id, other.id)) {
                return Err(DraftingError::DependencyCircle {
                    amendment: AmendmentNumber(a.number),
                    depends_on: AmendmentNumber(other.number),
                }
                .into());
            }
            amendment_dependency::ActiveModel {
                amendment_id: Set(a.id),
                depends_on_id: Set(other.id),
            }
            .insert(db)
            .await?;
            Ok(())
        }
        .await,
    )
}

/// Forgets that `amendment` depends on `depends_on`; whether there was such a record.
pub async fn remove_dependency(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    depends_on_id: AmendmentId,
) -> Outcome<bool> {
    finish(
        async {
            lock_amendment(db, amendment_id.0).await?;
            let r = amendment_dependency::Entity::delete_many()
                .filter(amendment_dependency::Column::AmendmentId.eq(amendment_id.0))
                .filter(amendment_dependency::Column::DependsOnId.eq(depends_on_id.0))
                .exec(db)
                .await?;
            Ok(r.rows_affected > 0)
        }
        .await,
    )
}

/// Sets the committee's ranks (`None`: back to the proposed place), in the transaction that
/// read the floor with [`lock_floor`].
pub async fn set_vote_ranks(
    db: &impl ConnectionTrait,
    ranks: &[(AmendmentId, Option<i32>)],
) -> Result<(), DbErr> {
    for (id, rank) in ranks {
        amendment::Entity::update_many()
            .col_expr(amendment::Column::VoteRank, Expr::value(*rank))
            .filter(amendment::Column::Id.eq(id.0))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The chair puts an amendment (by id) or a paragraph (by label) on the hall's screen, or
/// clears it (both `None`). Refused once the declaration is adopted.
pub async fn set_screen(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    amendment_id: Option<AmendmentId>,
    paragraph: Option<String>,
) -> Outcome<declaration::Model> {
    finish(
        async {
            let (decl, _) = lock_for_writing(db, declaration_id.0).await?;
            let mut d: declaration::ActiveModel = decl.into();
            d.screen_amendment_id = Set(amendment_id.map(|a| a.0));
            d.screen_paragraph = Set(paragraph);
            d.screen_changed_at = Set(Some(Utc::now()));
            Ok(d.update(db).await?)
        }
        .await,
    )
}

/// Who proposed each of `amendments`, by amendment id: the sponsor's name and delegation (two
/// queries, without reading texts or computing diffs as [`amendments`] does).
pub async fn sponsors<'a>(
    db: &impl ConnectionTrait,
    amendments: impl IntoIterator<Item = &'a amendment::Model> + Clone,
) -> Result<HashMap<i32, (String, Option<String>)>, DbErr> {
    let who = names(
        db,
        amendments.clone().into_iter().map(|a| a.sponsor_person_id),
    )
    .await?;
    let delegations = delegation_names(
        db,
        amendments
            .clone()
            .into_iter()
            .filter_map(|a| a.sponsor_delegation_id),
    )
    .await?;
    Ok(amendments
        .into_iter()
        .map(|a| {
            (
                a.id,
                (
                    who.get(&a.sponsor_person_id).cloned().unwrap_or_default(),
                    a.sponsor_delegation_id
                        .and_then(|d| delegations.get(&d).cloned()),
                ),
            )
        })
        .collect())
}
