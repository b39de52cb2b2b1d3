//! The amendments as a table (for the CSV and PDF downloads): number, paragraph, title,
//! sponsor, co-sponsors, state and decision. Drafts are left out, even one's own: the table is
//! passed around, and a draft is its sponsors' own.

use super::touches_label;
use crate::access::Access;
use crate::drafting::dto::{AmendmentTableDto, AmendmentTableRowDto};
use crate::error::{AppError, OrInternal};
use db::drafting::{self as d, AmendmentStatus};
use db::entity::{amendment, declaration, person};
use db::DatabaseConnection;
use domain::ids::DeclarationId;
use domain::permissions::Action;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The table of the conference's amendments, for those who may read the working draft.
pub async fn amendments_table(
    db: &DatabaseConnection,
    access: &Access,
) -> Result<AmendmentTableDto, AppError> {
    access.require(Action::ViewDraftDeclaration)?;
    let decl = declaration::Entity::find()
        .filter(declaration::Column::ConferenceId.eq(access.conference.id))
        .one(db)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))?;
    let list: Vec<_> = d::amendments(db, DeclarationId(decl.id))
        .await
        .or_internal()?
        .into_iter()
        .filter(|a| a.status != AmendmentStatus::Draft)
        .collect();
    let rows: HashMap<i32, amendment::Model> = amendment::Entity::find()
        .filter(amendment::Column::Id.is_in(list.iter().map(|a| a.id.0)))
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let numbers: HashMap<i32, i32> = rows.values().map(|a| (a.id, a.number)).collect();
    let names: HashMap<i32, String> = person::Entity::find()
        .filter(
            person::Column::Id.is_in(
                list.iter()
                    .flat_map(|a| a.co_sponsor_person_ids.iter().map(|p| p.0)),
            ),
        )
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let table = list
        .into_iter()
        .map(|a| {
            let row = rows.get(&a.id.0);
            let paragraph = match a.parent_amendment_id.and_then(|p| numbers.get(&p.0)) {
                Some(n) => format!("amendment {n}"),
                None => {
                    let (labels, label) = touches_label(&a.touched);
                    if labels.is_empty() {
                        label.trim_start_matches("amends ").to_owned()
                    } else {
                        labels.join(", ")
                    }
                }
            };
            let reason = row
                .and_then(|r| r.decision_reason.clone())
                .filter(|r| !r.trim().is_empty());
            let decision = match a.status {
                AmendmentStatus::Accepted => "Accepted as proposed".to_owned(),
                AmendmentStatus::AcceptedWithModification => {
                    "Accepted with a modification".to_owned()
                }
                AmendmentStatus::Rejected => match reason {
                    Some(r) => format!("Rejected: {r}"),
                    None => "Rejected".to_owned(),
                },
                AmendmentStatus::Withdrawn => "Withdrawn by its sponsor".to_owned(),
                AmendmentStatus::Lapsed => "Lapsed with the amendment it amends".to_owned(),
                AmendmentStatus::Draft
                | AmendmentStatus::Submitted
                | AmendmentStatus::NeedsUpdate => String::new(),
            };
            AmendmentTableRowDto {
                number: a.number.0,
                paragraph,
                title: a.title,
                sponsor: match a.delegation_name {
                    Some(d) => format!("{} ({d})", a.sponsor_name),
                    None => a.sponsor_name,
                },
                co_sponsors: a
                    .co_sponsor_person_ids
                    .iter()
                    .filter_map(|p| names.get(&p.0).cloned())
                    .collect::<Vec<_>>()
                    .join("; "),
                state: a.status.label().to_owned(),
                decision,
            }
        })
        .collect();
    Ok(AmendmentTableDto {
        conference_title: access.conference.title.clone(),
        declaration_title: decl.title,
        rows: table,
    })
}
