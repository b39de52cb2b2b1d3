//! Read queries. Each returns entity models; the application turns them into DTOs.

use crate::entity::*;
use domain::ids::{ConferenceId, SessionId};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub async fn conferences<C: ConnectionTrait>(db: &C) -> Result<Vec<conference::Model>, DbErr> {
    conference::Entity::find()
        .order_by_desc(conference::Column::StartDate)
        .all(db)
        .await
}

pub async fn conference_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<conference::Model>, DbErr> {
    conference::Entity::find()
        .filter(conference::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn rooms<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<room::Model>, DbErr> {
    room::Entity::find()
        .filter(room::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(room::Column::Id)
        .all(db)
        .await
}

pub async fn sessions<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(session::Column::StartsAt)
        .order_by_asc(session::Column::Id)
        .all(db)
        .await
}

/// One session, if it belongs to the conference.
pub async fn session_in<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
    session_id: SessionId,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(session_id.0)
        .filter(session::Column::ConferenceId.eq(conference_id.0))
        .one(db)
        .await
}

/// Key Feature tags of the given sessions, as (session id, code), ordered by code.
pub async fn session_key_features<C: ConnectionTrait>(
    db: &C,
    session_ids: &[SessionId],
) -> Result<Vec<session_key_feature::Model>, DbErr> {
    let session_ids: Vec<i32> = session_ids.iter().map(|x| x.0).collect();
    if session_ids.is_empty() {
        return Ok(vec![]);
    }
    session_key_feature::Entity::find()
        .filter(session_key_feature::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(session_key_feature::Column::KeyFeatureCode)
        .all(db)
        .await
}

/// Chairs and speakers of the given sessions, with the people themselves.
pub async fn session_people<C: ConnectionTrait>(
    db: &C,
    session_ids: &[SessionId],
) -> Result<Vec<(session_person::Model, person::Model)>, DbErr> {
    let session_ids: Vec<i32> = session_ids.iter().map(|x| x.0).collect();
    if session_ids.is_empty() {
        return Ok(vec![]);
    }
    let links = session_person::Entity::find()
        .filter(session_person::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(session_person::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i32> = links.iter().map(|l| l.person_id).collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(links
        .into_iter()
        .filter_map(|l| {
            let p = people.iter().find(|p| p.id == l.person_id)?.clone();
            Some((l, p))
        })
        .collect())
}

/// The conference's declaration and its current version, if it has them.
pub async fn declaration<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Option<(declaration::Model, Option<declaration_version::Model>)>, DbErr> {
    let Some(decl) = declaration::Entity::find()
        .filter(declaration::Column::ConferenceId.eq(conference_id.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let version = match decl.current_version_id {
        Some(id) => declaration_version::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(Some((decl, version)))
}

pub async fn key_features<C: ConnectionTrait>(db: &C) -> Result<Vec<key_feature::Model>, DbErr> {
    key_feature::Entity::find()
        .order_by_asc(key_feature::Column::Tier)
        .order_by_asc(key_feature::Column::Position)
        .all(db)
        .await
}

/// Sets the Key Features of a session of the conference (checked codes); false, with nothing
/// written, when the session is not the conference's.
pub async fn set_session_key_features<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
    session_id: SessionId,
    codes: &[&str],
) -> Result<bool, DbErr> {
    use sea_orm::{ActiveModelTrait, Set};
    let Some(s) = session_in(db, conference_id, session_id).await? else {
        return Ok(false);
    };
    // a session form opened before this change is now stale
    session::ActiveModel {
        id: Set(s.id),
        revision: Set(s.revision + 1),
        ..Default::default()
    }
    .update(db)
    .await?;
    session_key_feature::Entity::delete_many()
        .filter(session_key_feature::Column::SessionId.eq(session_id.0))
        .exec(db)
        .await?;
    for code in codes {
        session_key_feature::ActiveModel {
            session_id: Set(session_id.0),
            key_feature_code: Set((*code).to_owned()),
        }
        .insert(db)
        .await?;
    }
    Ok(true)
}
