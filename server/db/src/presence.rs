//! Who is where: people on the editor or an amendment's page, refreshed by their open page
//! every [`BEAT`]; someone not seen for [`FRESH`] has left.

use crate::entity::{amendment, amendment_sponsor, declaration, person, presence};
use chrono::{DateTime, Utc};
use domain::ids::{AmendmentNumber, ConferenceId, PersonId};
use domain::live::{Event, Place};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

/// How often an open page says that its person is still there.
pub const BEAT: std::time::Duration = std::time::Duration::from_secs(20);
/// Someone not seen for this long has left.
pub const FRESH: chrono::Duration = chrono::Duration::seconds(45);

/// One person at a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Present {
    pub person: PersonId,
    pub name: String,
    pub paragraph: Option<String>,
}

/// Note that `person` is at `place` (at `paragraph`) now. Returns whether that is news for the
/// others: they were not there (or had left), or moved to another paragraph.
pub async fn here<C: ConnectionTrait>(
    txn: &C,
    conference: ConferenceId,
    who: PersonId,
    place: Place,
    paragraph: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let key = place.key();
    let before = presence::Entity::find_by_id((conference.0, who.0, key.clone()))
        .one(txn)
        .await?;
    let news = match &before {
        None => true,
        Some(b) => b.seen_at < now - FRESH || b.paragraph.as_deref() != paragraph,
    };
    presence::Entity::insert(presence::ActiveModel {
        conference_id: Set(conference.0),
        person_id: Set(who.0),
        place: Set(key),
        paragraph: Set(paragraph.map(str::to_owned)),
        seen_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            presence::Column::ConferenceId,
            presence::Column::PersonId,
            presence::Column::Place,
        ])
        .update_columns([presence::Column::Paragraph, presence::Column::SeenAt])
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(news)
}

/// Who is at `place` now (seen within [`FRESH`]), by name.
pub async fn at<C: ConnectionTrait>(
    db: &C,
    conference: ConferenceId,
    place: Place,
    now: DateTime<Utc>,
) -> Result<Vec<Present>, DbErr> {
    let rows = presence::Entity::find()
        .filter(presence::Column::ConferenceId.eq(conference.0))
        .filter(presence::Column::Place.eq(place.key()))
        .filter(presence::Column::SeenAt.gte(now - FRESH))
        .order_by_asc(presence::Column::PersonId)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.person_id).collect();
    let names: std::collections::HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out: Vec<Present> = rows
        .into_iter()
        .map(|r| Present {
            person: PersonId(r.person_id),
            name: names.get(&r.person_id).cloned().unwrap_or_default(),
            paragraph: r.paragraph,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The presence event of amendment `number`'s page (heard by whoever may see the amendment),
/// or `None` if the conference has no such amendment.
pub async fn amendment_event<C: ConnectionTrait>(
    db: &C,
    conference: ConferenceId,
    number: AmendmentNumber,
) -> Result<Option<Event>, DbErr> {
    let Some(decl) = declaration::Entity::find()
        .filter(declaration::Column::ConferenceId.eq(conference.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(a) = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(decl.id))
        .filter(amendment::Column::Number.eq(number.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let co: Vec<PersonId> = amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(a.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| PersonId(s.person_id))
        .collect();
    Ok(Some(Event::presence_on_amendment(
        number,
        a.state(),
        PersonId(a.sponsor_person_id),
        &co,
    )))
}
