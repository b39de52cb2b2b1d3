//! Sign-ups for capacity-limited sessions on both engines: no overbooking under concurrency,
//! first come first served, promotion from the waiting list, and the refusals.

use chrono::Utc;
use db::enrolments::{self, Refusal};
use db::entity::{delegation, enrolment, person, registration, session};
use db::testing::TestDb;
use domain::ids::{ConferenceId, RegistrationId, SessionId};
use domain::waiting_list::Seat;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use std::time::Instant;

struct Fixture {
    conference_id: i32,
    forum: session::Model,
}

async fn fixture(db: &DatabaseConnection) -> Fixture {
    db::seed::load_demo(db).await.unwrap();
    let conf = db::queries::conference_by_slug(db, db::seed::DEMO_SLUG)
        .await
        .unwrap()
        .unwrap();
    let forum = db::testing::first_forum(db, conf.id).await;
    Fixture {
        conference_id: conf.id,
        forum,
    }
}

/// `n` people with accredited registrations (in a delegation of `region`), in one transaction.
async fn registrants(
    db: &DatabaseConnection,
    conference_id: i32,
    n: usize,
    status: &str,
    region: Option<&str>,
) -> Vec<i32> {
    let txn = db::begin_write(db).await.unwrap();
    let d = delegation::ActiveModel {
        conference_id: Set(conference_id),
        name: Set(format!("Test delegation {}", region.unwrap_or("none"))),
        kind: Set("member_state".into()),
        country: Set(None),
        region: Set(region.map(str::to_string)),
        lead_organisation: Set(None),
        head_person_id: Set(None),
        ..Default::default()
    }
    .insert(&*txn)
    .await
    .unwrap();
    let now = Utc::now();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let p = person::ActiveModel {
            name: Set(format!("Participant {i}")),
            ..Default::default()
        }
        .insert(&*txn)
        .await
        .unwrap();
        let r = registration::ActiveModel {
            conference_id: Set(conference_id),
            person_id: Set(p.id),
            delegation_id: Set(Some(d.id)),
            category: Set("member_state_delegate".into()),
            member_role: Set(Some("delegate".into())),
            status: Set(status.into()),
            status_reason: Set(None),
            needs: Set(String::new()),
            consent_listed: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await
        .unwrap();
        ids.push(r.id);
    }
    txn.commit().await.unwrap();
    ids
}

/// Another thematic forum at the same hour as the fixture's.
async fn parallel_forum(db: &DatabaseConnection, f: &Fixture) -> session::Model {
    session::Entity::find()
        .filter(session::Column::Kind.eq("thematic_forum"))
        .filter(session::Column::StartsAt.eq(f.forum.starts_at))
        .filter(session::Column::Id.ne(f.forum.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn set_capacity(db: &DatabaseConnection, s: &session::Model, capacity: i32) {
    session::ActiveModel {
        id: Set(s.id),
        capacity: Set(Some(capacity)),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();
}

async fn sign_up(
    db: &DatabaseConnection,
    conference_id: i32,
    session_id: i32,
    registration_id: i32,
) -> Result<enrolments::Change, Refusal> {
    let txn = db::begin_write(db).await.unwrap();
    let r = enrolments::sign_up(
        &*txn,
        ConferenceId(conference_id),
        SessionId(session_id),
        RegistrationId(registration_id),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_sign_ups_for_a_hundred_seats() {
    for t in TestDb::all().await {
        let f = fixture(&t.db).await;
        set_capacity(&t.db, &f.forum, 100).await;
        let regs = registrants(&t.db, f.conference_id, 1000, "accredited", None).await;

        // as the server takes them: through the instance's desk, which writes them in turns
        let desk = enrolments::Desk::new(t.db.clone());
        let events_before = db::events::last_seq(&t.db, ConferenceId(f.conference_id))
            .await
            .unwrap();
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(regs.len());
        for r in regs.clone() {
            let desk = desk.clone();
            let (c, s) = (f.conference_id, f.forum.id);
            tasks.push(tokio::spawn(async move {
                desk.sign_up(ConferenceId(c), SessionId(s), RegistrationId(r))
                    .await
            }));
        }
        let mut confirmed = 0;
        let mut waitlisted = 0;
        let mut positions = HashMap::new();
        for (r, task) in regs.iter().zip(tasks) {
            let change = task.await.unwrap().unwrap().unwrap();
            match change.seat {
                Seat::Confirmed => confirmed += 1,
                Seat::Waitlisted => waitlisted += 1,
                Seat::Cancelled => unreachable!(),
            }
            positions.insert(*r, change.waiting_position);
        }
        let elapsed = started.elapsed();
        // a figure for bench/README.md, not an assertion
        println!(
            "{:?}: 1,000 concurrent sign-ups for 100 seats took {:.2} s",
            t.backend,
            elapsed.as_secs_f64()
        );
        assert_eq!((confirmed, waitlisted), (100, 900), "{:?}", t.backend);

        // in arrival order: the first 100 rows hold the seats, the rest wait in row order
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.eq(f.forum.id))
            .order_by_asc(enrolment::Column::Id)
            .all(&t.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1000);
        assert!(rows[..100].iter().all(|r| r.seat == "confirmed"));
        assert!(rows[100..].iter().all(|r| r.seat == "waitlisted"));
        let mut people: Vec<i32> = rows.iter().map(|r| r.registration_id).collect();
        people.sort();
        people.dedup();
        assert_eq!(people.len(), 1000, "nobody twice");
        // each was told the place their row holds: no place on the list, or the k-th waiting
        for (k, row) in rows.iter().enumerate() {
            let told = positions[&row.registration_id];
            assert_eq!(told, (k >= 100).then(|| k - 99), "row {k}");
        }
        // the seats changed, and the live streams heard of it (one event per turn)
        let events = db::events::last_seq(&t.db, ConferenceId(f.conference_id))
            .await
            .unwrap();
        assert!(events > events_before, "{:?}", t.backend);

        // a seat frees: the first on the waiting list gets it, and only they
        let leaving = rows[37].registration_id;
        let first_waiting = rows[100].registration_id;
        let txn = db::begin_write(&t.db).await.unwrap();
        let change = enrolments::cancel(
            &*txn,
            ConferenceId(f.conference_id),
            SessionId(f.forum.id),
            RegistrationId(leaving),
        )
        .await
        .unwrap()
        .unwrap();
        txn.commit().await.unwrap();
        assert_eq!(change.promoted, vec![first_waiting]);
        let counts = enrolments::counts(&t.db, &[SessionId(f.forum.id)])
            .await
            .unwrap();
        assert_eq!(counts, vec![(f.forum.id, 100, 899)]);
        let mine = enrolments::of_registration(&t.db, RegistrationId(rows[101].registration_id))
            .await
            .unwrap();
        assert_eq!(mine[0].2, Some(1), "next in line");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_change_nothing() {
    for t in TestDb::all().await {
        let f = fixture(&t.db).await;
        set_capacity(&t.db, &f.forum, 2).await;
        let accredited = registrants(&t.db, f.conference_id, 3, "accredited", Some("Europe")).await;
        let pending = registrants(&t.db, f.conference_id, 1, "pending", None).await;
        let count = || async { enrolment::Entity::find().all(&t.db).await.unwrap().len() };

        assert_eq!(
            sign_up(&t.db, f.conference_id, f.forum.id, pending[0]).await,
            Err(Refusal::NotAccredited)
        );
        let plenary = session::Entity::find()
            .filter(session::Column::Kind.eq("plenary"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            sign_up(&t.db, f.conference_id, plenary.id, accredited[0]).await,
            Err(Refusal::NoSignUpNeeded)
        );
        assert_eq!(
            sign_up(&t.db, f.conference_id, 999_999, accredited[0]).await,
            Err(Refusal::NoSuchSession)
        );
        assert_eq!(count().await, 0);

        let first = sign_up(&t.db, f.conference_id, f.forum.id, accredited[0])
            .await
            .unwrap();
        assert_eq!(first.seat, Seat::Confirmed);
        assert_eq!(
            sign_up(&t.db, f.conference_id, f.forum.id, accredited[0]).await,
            Err(Refusal::Roster(
                domain::waiting_list::RosterError::AlreadyEnrolled
            ))
        );
        // another thematic forum at the same time
        let parallel = parallel_forum(&t.db, &f).await;
        match sign_up(&t.db, f.conference_id, parallel.id, accredited[0]).await {
            Err(Refusal::Overlaps(title)) => assert_eq!(title, f.forum.title),
            other => panic!("{other:?}"),
        }
        // a regional forum of another region
        let regional = session::Entity::find()
            .filter(session::Column::Kind.eq("regional_forum"))
            .filter(session::Column::Region.ne("Europe"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            sign_up(&t.db, f.conference_id, regional.id, accredited[1]).await,
            Err(Refusal::WrongRegion(_))
        ));
        assert_eq!(count().await, 1);

        // the waiting list
        sign_up(&t.db, f.conference_id, f.forum.id, accredited[1])
            .await
            .unwrap();
        let third = sign_up(&t.db, f.conference_id, f.forum.id, accredited[2])
            .await
            .unwrap();
        assert_eq!(third.seat, Seat::Waitlisted);
        assert_eq!(third.waiting_position, Some(1));
    }
}

/// One person signing up for two fora at the same hour at once (two tabs, a double tap):
/// exactly one of the two holds, on both engines, however the two interleave.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_person_cannot_take_two_parallel_fora_at_once() {
    for t in TestDb::all().await {
        let f = fixture(&t.db).await;
        let parallel = parallel_forum(&t.db, &f).await;
        let people = registrants(&t.db, f.conference_id, 40, "accredited", None).await;
        let mut pairs = Vec::new();
        for r in people.iter().copied() {
            let (a, b) = (t.db.clone(), t.db.clone());
            let c = f.conference_id;
            let (one, two) = (f.forum.id, parallel.id);
            pairs.push((
                r,
                tokio::spawn(async move { sign_up(&a, c, one, r).await }),
                tokio::spawn(async move { sign_up(&b, c, two, r).await }),
            ));
        }
        for (r, one, two) in pairs {
            let results = [one.await.unwrap(), two.await.unwrap()];
            let held = results.iter().filter(|x| x.is_ok()).count();
            assert_eq!(held, 1, "{:?}: person {r}: {results:?}", t.backend);
            assert!(
                results
                    .iter()
                    .any(|x| matches!(x, Err(Refusal::Overlaps(_)))),
                "{:?}: {results:?}",
                t.backend
            );
            let active = enrolment::Entity::find()
                .filter(enrolment::Column::RegistrationId.eq(r))
                .all(&t.db)
                .await
                .unwrap();
            assert_eq!(active.len(), 1, "{:?}: person {r}", t.backend);
        }
    }
}

/// One turn of the desk: each sign-up answered on its own, in arrival order; a refusal (not
/// accredited, twice in one turn, already holding the parallel forum) changes nothing for the
/// others, and a turn of refusals only writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_answers_each_sign_up_on_its_own() {
    for t in TestDb::all().await {
        let f = fixture(&t.db).await;
        set_capacity(&t.db, &f.forum, 2).await;
        let ok = registrants(&t.db, f.conference_id, 4, "accredited", None).await;
        let pending = registrants(&t.db, f.conference_id, 1, "pending", Some("Africa")).await;
        let parallel = parallel_forum(&t.db, &f).await;
        sign_up(&t.db, f.conference_id, parallel.id, ok[3])
            .await
            .unwrap();
        let turn = [ok[0], pending[0], ok[0], ok[3], ok[1], ok[2]].map(RegistrationId);
        let txn = db::begin_write(&t.db).await.unwrap();
        let answers = enrolments::sign_up_many(
            &*txn,
            ConferenceId(f.conference_id),
            SessionId(f.forum.id),
            &turn,
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        let seats: Vec<_> = answers
            .iter()
            .map(|a| a.as_ref().map(|c| (c.seat, c.waiting_position)))
            .collect();
        assert_eq!(
            seats,
            vec![
                Ok((Seat::Confirmed, None)),
                Err(&Refusal::NotAccredited),
                Err(&Refusal::Roster(
                    domain::waiting_list::RosterError::AlreadyEnrolled
                )),
                Err(&Refusal::Overlaps(parallel.title.clone())),
                Ok((Seat::Confirmed, None)),
                Ok((Seat::Waitlisted, Some(1))),
            ],
            "{:?}",
            t.backend
        );
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.eq(f.forum.id))
            .order_by_asc(enrolment::Column::Id)
            .all(&t.db)
            .await
            .unwrap();
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.registration_id, r.seat.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![
                (ok[0], "confirmed"),
                (ok[1], "confirmed"),
                (ok[2], "waitlisted")
            ]
        );

        // nothing but refusals: nothing written
        let txn = db::begin_write(&t.db).await.unwrap();
        let answers = enrolments::sign_up_many(
            &*txn,
            ConferenceId(f.conference_id),
            SessionId(f.forum.id),
            &[RegistrationId(pending[0]), RegistrationId(ok[0])],
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        assert!(answers.iter().all(Result::is_err));
        assert_eq!(
            enrolment::Entity::find()
                .filter(enrolment::Column::SessionId.eq(f.forum.id))
                .all(&t.db)
                .await
                .unwrap()
                .len(),
            3
        );
    }
}
