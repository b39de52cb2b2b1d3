//! The voting order of the pending amendments (`domain::drafting::voting`): proposed by the
//! rule, arranged by the committee (moves within a passage, dependencies between amendments).
//! Everyone who reads the draft reads the order; the committee arranges it. Every arrangement
//! is checked and written under the declaration's lock, so two committee members moving
//! amendments at once take turns and neither move is lost.

use super::{refused, Draft};
use crate::access::Caller;
use crate::drafting::dto::{VoteItemDto, VotePassageDto, VotingOrderDto};
use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, OrInternal};
use db::drafting::{self as d, Floor};
use db::entity::amendment;
use db::DatabaseConnection;
use domain::drafting::voting::{self, Motion};
use domain::ids::{AmendmentId, AmendmentNumber, DeclarationId};
use domain::live::Event;
use domain::permissions::Action;
use std::collections::HashMap;

/// One passage as it will be voted: the proposed order, and the order in force (the
/// committee's, when it arranged this passage and the arrangement still keeps every
/// dependency; otherwise the proposed one).
struct Arranged {
    paragraphs: Vec<usize>,
    proposed: Vec<i32>,
    order: Vec<i32>,
    groups: Vec<Vec<i32>>,
    /// Words changed, by amendment number (the measure of the rule).
    distance: HashMap<i32, usize>,
    by_committee: bool,
    /// The committee's arrangement no longer keeps a dependency, so the proposed order is used.
    set_aside: bool,
}

/// Dependencies among the pending amendments recorded by the committee, by amendment number.
fn depends_by_number(floor: &Floor) -> HashMap<i32, Vec<i32>> {
    by_number(floor, &floor.dependencies)
}

/// Pairs of amendment ids as pairs of numbers, grouped by the first (pairs with an amendment
/// not on the floor left out).
fn by_number(floor: &Floor, pairs: &[(i32, i32)]) -> HashMap<i32, Vec<i32>> {
    let number: HashMap<i32, i32> = floor.pending.iter().map(|a| (a.id, a.number)).collect();
    let mut out: HashMap<i32, Vec<i32>> = HashMap::new();
    for (a, b) in pairs {
        if let (Some(&a), Some(&b)) = (number.get(a), number.get(b)) {
            out.entry(a).or_default().push(b);
        }
    }
    out
}

/// The order's constraints: the committee's dependencies, and each amendment after the
/// amendments to it (they are voted first).
fn constraints(floor: &Floor) -> HashMap<i32, Vec<i32>> {
    let mut deps = depends_by_number(floor);
    let reversed: Vec<(i32, i32)> = floor.amends.iter().map(|&(sub, p)| (p, sub)).collect();
    for (parent, subs) in by_number(floor, &reversed) {
        deps.entry(parent).or_default().extend(subs);
    }
    deps
}

fn arrange(floor: &Floor) -> Result<Vec<Arranged>, AppError> {
    let deps = constraints(floor);
    let motions: Vec<Motion<i32>> = floor
        .pending
        .iter()
        .map(|a| {
            voting::motion(
                a.number,
                &floor.current.markdown,
                &a.proposed_markdown,
                deps.get(&a.number).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let passages = voting::voting_order(&motions).map_err(|c| {
        tracing::error!(amendments = ?c.0, "a dependency circle among pending amendments");
        AppError::internal()
    })?;
    let distance: HashMap<i32, usize> = motions.iter().map(|m| (m.id, m.distance)).collect();
    let rank: HashMap<i32, Option<i32>> = floor
        .pending
        .iter()
        .map(|a| (a.number, a.vote_rank))
        .collect();
    Ok(passages
        .into_iter()
        .map(|p| {
            let by_committee = p
                .order
                .iter()
                .any(|n| rank.get(n).copied().flatten().is_some());
            let mut order = p.order.clone();
            if by_committee {
                let place = |n: &i32| p.order.iter().position(|x| x == n).unwrap_or(usize::MAX);
                order.sort_by_key(|n| {
                    let r = rank.get(n).copied().flatten();
                    (r.is_none(), r, place(n))
                });
            }
            let set_aside = by_committee
                && voting::breaks_dependency(&order, |n| deps.get(n).cloned().unwrap_or_default())
                    .is_some();
            if set_aside {
                order = p.order.clone();
            }
            Arranged {
                paragraphs: p.paragraphs,
                distance: p
                    .order
                    .iter()
                    .map(|n| (*n, distance.get(n).copied().unwrap_or_default()))
                    .collect(),
                proposed: p.order,
                order,

                groups: p.groups,
                by_committee: by_committee && !set_aside,
                set_aside,
            }
        })
        .collect())
}

/// "Paragraph 3", "Paragraphs 3 and 3 bis", "A heading".
fn passage_label(paragraphs: &[usize], labels: &[Option<domain::drafting::Label>]) -> String {
    let named: Vec<String> = paragraphs
        .iter()
        .filter_map(|&p| labels.get(p).copied().flatten().map(|l| l.to_string()))
        .collect();
    let headings = paragraphs.len() - named.len();
    let list = match named.len() {
        0 => String::new(),
        1 => named[0].clone(),
        n => format!("{} and {}", named[..n - 1].join(", "), named[n - 1]),
    };
    match (named.len(), headings) {
        (0, 0) => "New text".into(),
        (0, _) => "A heading".into(),
        (1, 0) => format!("Paragraph {list}"),
        (1, _) => format!("Paragraph {list} and a heading"),
        (_, 0) => format!("Paragraphs {list}"),
        (_, _) => format!("Paragraphs {list} and a heading"),
    }
}

/// The voting order, for everyone who reads the draft.
pub async fn order(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<VotingOrderDto, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ViewDraftDeclaration).await?;
    let floor = d::floor(db, DeclarationId(draft.decl.id))
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This declaration has no text yet."))?;
    let arranged = arrange(&floor)?;
    let names = d::sponsors(db, &floor.pending).await.or_internal()?;
    let deps = depends_by_number(&floor);
    let amends: HashMap<i32, i32> = by_number(&floor, &floor.amends)
        .into_iter()
        .filter_map(|(sub, parents)| parents.first().map(|p| (sub, *p)))
        .collect();
    let labels = d::labels_of(&floor.current);
    let by_number: HashMap<i32, &amendment::Model> =
        floor.pending.iter().map(|a| (a.number, a)).collect();
    let item = |n: i32, passage: &Arranged| -> Option<VoteItemDto> {
        let a = by_number.get(&n)?;
        let (sponsor_name, delegation_name) = names.get(&a.id).cloned().unwrap_or_default();
        Some(VoteItemDto {
            number: AmendmentNumber(n),
            title: a.title.clone(),
            sponsor_name,
            delegation_name,
            words_changed: passage.distance.get(&n).copied().unwrap_or_default(),
            collides_with: passage
                .groups
                .iter()
                .find(|g| g.contains(&n))
                .map(|g| {
                    // an amendment to an amendment changes its words without excluding it
                    g.iter()
                        .filter(|x| {
                            **x != n && amends.get(&n) != Some(*x) && amends.get(*x) != Some(&n)
                        })
                        .map(|x| AmendmentNumber(*x))
                        .collect()
                })
                .unwrap_or_default(),
            depends_on: deps
                .get(&n)
                .map(|v| v.iter().map(|x| AmendmentNumber(*x)).collect())
                .unwrap_or_default(),
            proposed_place: passage.proposed.iter().position(|x| *x == n).unwrap_or(0) + 1,
            amends: amends.get(&n).copied().map(AmendmentNumber),
        })
    };
    let passages = arranged
        .iter()
        .map(|p| VotePassageDto {
            label: passage_label(&p.paragraphs, &labels),
            by_committee: p.by_committee,
            set_aside: p.set_aside,
            items: p.order.iter().filter_map(|n| item(*n, p)).collect(),
        })
        .collect();
    let can_arrange = draft.drafting() && draft.committee();
    Ok(VotingOrderDto {
        head: draft.head(),
        passages,
        waiting: floor
            .waiting
            .iter()
            .map(|a| OptionDto {
                value: a.number.to_string(),
                label: format!("Amendment {}: {}", a.number, a.title),
            })
            .collect(),
        can_arrange,
        can_chair: draft.drafting() && draft.access.may(Action::ChairPlenary),
        paragraphs: labels
            .iter()
            .flatten()
            .map(|l| OptionDto {
                value: l.to_string(),
                label: format!("Paragraph {l}"),
            })
            .collect(),
        amendments: floor
            .pending
            .iter()
            .chain(floor.waiting.iter())
            .map(|a| OptionDto {
                value: a.number.to_string(),
                label: format!("Amendment {}: {}", a.number, a.title),
            })
            .collect(),
    })
}

/// The pending amendment of this number, or 404 (a draft is not on the floor: 404 too, as it
/// does not exist for anyone but its sponsors).
fn on_floor(floor: &Floor, number: AmendmentNumber) -> Result<&amendment::Model, AppError> {
    floor
        .pending
        .iter()
        .chain(floor.waiting.iter())
        .find(|a| a.number == number.0)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Amendment {number} is not before the committee, so it has no place in the voting order."
            ))
        })
}

/// The committee moves an amendment one place earlier (`up`) or later within its passage.
pub async fn move_amendment(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    up: bool,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    db::write(db, async |txn| {
        let floor = d::lock_floor(txn, DeclarationId(draft.decl.id))
            .await
            .or_internal()?
            .map_err(|e| refused(e, "number"))?;
        if floor.waiting.iter().any(|a| a.number == number.0) {
            return Err(AppError::conflict(format!(
                "Amendment {number} waits for its sponsor to update it; it takes its place in the order once updated."
            )));
        }
        on_floor(&floor, number)?;
        let arranged = arrange(&floor)?;
        let passage = arranged
            .iter()
            .find(|p| p.order.contains(&number.0))
            .ok_or_else(AppError::internal)?;
        let mut order = passage.order.clone();
        let k = order.iter().position(|x| *x == number.0).unwrap_or(0);
        let other = if up { k.checked_sub(1) } else { Some(k + 1).filter(|j| *j < order.len()) };
        let Some(j) = other else {
            return Ok(Notice {
                message: format!(
                    "Amendment {number} is already {} in its passage.",
                    if up { "first" } else { "last" }
                ),
            });
        };
        order.swap(k, j);
        let deps = constraints(&floor);
        if let Some((a, b)) =
            voting::breaks_dependency(&order, |n| deps.get(n).cloned().unwrap_or_default())
        {
            let amended = floor
                .amends
                .iter()
                .any(|&(sub, p)| number_of(&floor, sub) == Some(b) && number_of(&floor, p) == Some(a));
            return Err(AppError::conflict(if amended {
                format!("Amendment {b} amends amendment {a}, so it is voted before it.")
            } else {
                format!("Amendment {a} depends on amendment {b}, so it is voted after it.")
            }));
        }
        let ids: HashMap<i32, i32> = floor.pending.iter().map(|a| (a.number, a.id)).collect();
        let ranks: Vec<(AmendmentId, Option<i32>)> = order
            .iter()
            .enumerate()
            .filter_map(|(r, n)| ids.get(n).map(|id| (AmendmentId(*id), i32::try_from(r).ok())))
            .collect();
        d::set_vote_ranks(txn, &ranks).await.or_internal()?;
        db::events::append(txn, draft.access.conference_id(), &Event::voting_order_changed())
            .await
            .or_internal()?;
        let place = order.iter().position(|x| *x == number.0).unwrap_or(0) + 1;
        Ok(Notice {
            message: format!(
                "Amendment {number} is now voted {} in its passage.",
                ordinal(place)
            ),
        })
    })
    .await
}

fn number_of(floor: &Floor, id: i32) -> Option<i32> {
    floor.pending.iter().find(|a| a.id == id).map(|a| a.number)
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The committee records that `number` only makes sense if `depends_on` passes (or forgets it,
/// `add == false`).
pub async fn dependency(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    depends_on: AmendmentNumber,
    add: bool,
) -> Result<Notice, AppError> {
    let draft = Draft::load(db, caller, slug, Action::EditDeclaration).await?;
    if number == depends_on {
        return Err(AppError::validation(
            "depends_on",
            "Choose another amendment: one amendment cannot depend on itself.",
        ));
    }
    db::write(db, async |txn| {
        let floor = d::lock_floor(txn, DeclarationId(draft.decl.id))
            .await
            .or_internal()?
            .map_err(|e| refused(e, "number"))?;
        let a = on_floor(&floor, number)?.id;
        let b = on_floor(&floor, depends_on)
            .map_err(|e| AppError::validation("depends_on", e.message))?
            .id;
        let message = if add {
            d::add_dependency(txn, AmendmentId(a), AmendmentId(b))
                .await
                .or_internal()?
                .map_err(|e| refused(e, "depends_on"))?;
            format!(
                "Amendment {number} is voted after amendment {depends_on}, on which it depends."
            )
        } else {
            d::remove_dependency(txn, AmendmentId(a), AmendmentId(b))
                .await
                .or_internal()?
                .map_err(|e| refused(e, "depends_on"))?;
            format!("Amendment {number} no longer depends on amendment {depends_on}.")
        };
        db::events::append(
            txn,
            draft.access.conference_id(),
            &Event::voting_order_changed(),
        )
        .await
        .or_internal()?;
        Ok(Notice { message })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).to_vec();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
        );
    }
}
