//! The demo data: the second International Conference on Learning Cities (Mexico City, 2015),
//! built from the facts in `shared/seed/`, and the 2013 Beijing conference as a past one.
//!
//! Loading is idempotent: whatever already exists (a conference by slug, an account by e-mail,
//! a Key Feature by code) is left as it is.

use crate::entity::*;
use crate::queries;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use domain::ids::{ConferenceId, PersonId};
use domain::key_features::KEY_FEATURES;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

pub const DEMO_SLUG: &str = "mexico-city-2015";
pub const BEIJING_SLUG: &str = "beijing-2013";

/// A demo login, printed by the run command.
#[derive(Debug, Clone, Copy)]
pub struct DemoLogin {
    pub role: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        role: "organiser (secretariat)",
        name: "Sofía Ramírez",
        email: "organiser@example.org",
        password: "demo-organiser",
    },
    DemoLogin {
        role: "drafting committee member",
        name: "Kwame Mensah",
        email: "committee@example.org",
        password: "demo-committee",
    },
    DemoLogin {
        role: "head of the Danish delegation",
        name: "Trine Bendix Knudsen",
        email: "trine@example.org",
        password: "demo-delegate",
    },
    DemoLogin {
        role: "delegate (Denmark)",
        name: "Niels Johan Juhl-Nielsen",
        email: "niels@example.org",
        password: "demo-delegate",
    },
    DemoLogin {
        role: "delegate (Denmark)",
        name: "Mette Lund",
        email: "mette@example.org",
        password: "demo-delegate",
    },
    DemoLogin {
        role: "delegate (Denmark)",
        name: "Jonas Holm",
        email: "jonas@example.org",
        password: "demo-delegate",
    },
];

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub conferences_created: Vec<String>,
    pub accounts_created: usize,
}

pub fn hash_password(password: &str) -> Result<String, DbErr> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbErr::Custom(format!("password hashing failed: {e}")))
}

/// Load the demo conference (and Beijing 2013) in one transaction; safe to run again.
pub async fn load_demo(db: &sea_orm::DatabaseConnection) -> Result<SeedReport, DbErr> {
    // hash outside the transaction: it is the slow part
    let mut hashes = Vec::new();
    for login in DEMO_LOGINS {
        let exists = account::Entity::find()
            .filter(account::Column::Email.eq(login.email))
            .one(db)
            .await?
            .is_some();
        hashes.push(if exists {
            None
        } else {
            Some(hash_password(login.password)?)
        });
    }

    crate::write(db, async |txn| {
        let mut report = SeedReport::default();
        key_features(txn).await?;

        let mut people = Vec::new();
        for (login, hash) in DEMO_LOGINS.iter().zip(hashes) {
            let existing = account::Entity::find()
                .filter(account::Column::Email.eq(login.email))
                .one(txn)
                .await?;
            let person_id = match (existing, hash) {
                (Some(a), _) => a.person_id,
                (None, Some(hash)) => {
                    let org = if login.role.contains("Danish") || login.role.contains("Denmark") {
                        Some("Dansk Folkeoplysnings Samråd".to_string())
                    } else if login.role.starts_with("organiser") {
                        Some("UNESCO Institute for Lifelong Learning".to_string())
                    } else {
                        None
                    };
                    let country = if org.as_deref() == Some("Dansk Folkeoplysnings Samråd") {
                        Some("Denmark".to_string())
                    } else {
                        None
                    };
                    let p = person(txn, login.name, org, country).await?;
                    account::ActiveModel {
                        person_id: Set(p),
                        email: Set(login.email.to_string()),
                        password_hash: Set(hash),
                        created_at: Set(Utc::now()),
                        confirmed_at: Set(Some(Utc::now())),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                    report.accounts_created += 1;
                    p
                }
                (None, None) => {
                    return Err(DbErr::Custom("account vanished during seeding".into()))
                }
            };
            people.push(person_id);
        }

        if queries::conference_by_slug(txn, BEIJING_SLUG)
            .await?
            .is_none()
        {
            beijing(txn).await?;
            report.conferences_created.push(BEIJING_SLUG.to_string());
        }
        if queries::conference_by_slug(txn, DEMO_SLUG).await?.is_none() {
            mexico_city(txn, &people).await?;
            if let Some(c) = queries::conference_by_slug(txn, DEMO_SLUG).await? {
                crate::programme::release(
                    txn,
                    ConferenceId(c.id),
                    Some(PersonId(people[0])),
                    "The programme as first published.",
                )
                .await?;
            }
            report.conferences_created.push(DEMO_SLUG.to_string());
        }
        Ok(report)
    })
    .await
}

/// The slug of the generated conference used to measure the programme at scale.
pub const SCALE_SLUG: &str = "scale-2030";

/// A generated conference for load measurements: 5 days, 20 rooms, 400 sessions (a plenary
/// across all rooms, three breaks and 76 parallel sessions each day), released once.
/// Idempotent: nothing happens if it exists.
pub async fn load_scale(db: &sea_orm::DatabaseConnection) -> Result<bool, DbErr> {
    crate::write(db, async |txn| {
        if queries::conference_by_slug(txn, SCALE_SLUG)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        key_features(txn).await?;
        let tz: Tz = chrono_tz::Europe::Vienna;
        let first = date(2030, 6, 3)?;
        let days: Vec<NaiveDate> = first.iter_days().take(5).collect();
        let id = conference(
            txn,
            NewConference {
                slug: SCALE_SLUG,
                title: "Generated conference: 5 days, 20 rooms, 400 sessions",
                theme: "Load measurement",
                city: "Vienna",
                country: "Austria",
                venue: "Generated",
                start: days[0],
                end: days[4],
                timezone: "Europe/Vienna",
                description: "A conference generated to measure the programme at scale.",
            },
        )
        .await?;
        let mut rooms = Vec::new();
        for i in 0..20 {
            let (name, capacity) = if i == 0 {
                ("Plenary Hall".to_string(), 2000)
            } else {
                (format!("Room {i:02}"), 60 + (i * 13) % 240)
            };
            rooms.push(
                room::ActiveModel {
                    conference_id: Set(id),
                    name: Set(name),
                    capacity: Set(capacity),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id,
            );
        }
        let codes = [
            "P1", "P2", "P3", "C1", "C2", "C3", "C4", "C5", "C6", "F1", "F2", "F3",
        ];
        let kinds = ["thematic_forum", "regional_forum", "side_event"];
        let mut n = 0usize;
        for (d, day) in days.iter().enumerate() {
            let mut day_sessions: Vec<(&str, String, usize, &str, &str)> = vec![
                (
                    "plenary",
                    format!("Plenary {}: the day's questions", d + 1),
                    0,
                    "09:00",
                    "10:00",
                ),
                ("break", "Coffee break".into(), 0, "10:00", "10:30"),
                ("break", "Lunch".into(), 0, "12:00", "13:30"),
                ("break", "Coffee break".into(), 0, "15:00", "15:30"),
            ];
            for (slot, (start, end)) in [
                ("10:30", "12:00"),
                ("13:30", "15:00"),
                ("15:30", "17:00"),
                ("17:30", "19:00"),
            ]
            .into_iter()
            .enumerate()
            {
                for r in 1..20 {
                    let k = kinds[(r + slot) % 3];
                    day_sessions.push((
                        k,
                        format!(
                            "Session {}-{}-{r:02}: learning in the city, case {}",
                            d + 1,
                            slot + 1,
                            n
                        ),
                        r,
                        start,
                        end,
                    ));
                    n += 1;
                }
            }
            for (i, (kind, title, room, start, end)) in day_sessions.into_iter().enumerate() {
                let sid = session::ActiveModel {
                    conference_id: Set(id),
                    kind: Set(kind.into()),
                    title: Set(title),
                    description: Set(format!(
                        "A generated session on day {} for measuring the programme: how cities \
                         organise *lifelong learning* for all, with partners from the region. \
                         Number {i} of the day.",
                        d + 1
                    )),
                    room_id: Set(Some(rooms[room])),
                    starts_at: Set(at(tz, *day, start)?),
                    ends_at: Set(at(tz, *day, end)?),
                    capacity: Set((kind != "break" && kind != "plenary").then_some(50)),
                    region: Set(
                        (kind == "regional_forum").then(|| "Europe and North America".into())
                    ),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id;
                if kind != "break" {
                    for code in [codes[i % 12], codes[(i + 5) % 12]] {
                        session_key_feature::Entity::insert(session_key_feature::ActiveModel {
                            session_id: Set(sid),
                            key_feature_code: Set(code.into()),
                        })
                        .exec(txn)
                        .await?;
                    }
                }
            }
        }
        crate::programme::release(txn, ConferenceId(id), None, "The generated programme.").await?;
        Ok(true)
    })
    .await
}

/// For the desk's bench (`bench/desk`): 2,100 registrations in the generated conference (made
/// by [`load_scale`] if it is not there), 2,000 of them accredited and the rest pending,
/// rejected or withdrawn, in 40 delegations of the five UNESCO regions, over 30 days, in every
/// category, half with a seat or a place on a waiting list in its fora, and the demo organiser
/// as its organiser. Returns `false` when they are there already.
pub async fn load_desk_scale(db: &sea_orm::DatabaseConnection) -> Result<bool, DbErr> {
    load_scale(db).await?;
    crate::write(db, async |txn| {
        let c = queries::conference_by_slug(txn, SCALE_SLUG)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(SCALE_SLUG.into()))?;
        let already = registration::Entity::find()
            .filter(registration::Column::ConferenceId.eq(c.id))
            .one(txn)
            .await?;
        if already.is_some() {
            return Ok(false);
        }
        if let Some(organiser) = account::Entity::find()
            .filter(account::Column::Email.eq("organiser@example.org"))
            .one(txn)
            .await?
        {
            conference_role::ActiveModel {
                conference_id: Set(c.id),
                person_id: Set(organiser.person_id),
                role: Set("organiser".into()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        let regions = domain::registration::REGIONS;
        let mut delegations = Vec::new();
        for i in 0..40 {
            delegations.push(
                delegation::ActiveModel {
                    conference_id: Set(c.id),
                    name: Set(format!("Member state {i:02}")),
                    kind: Set("member_state".into()),
                    country: Set(Some(format!("Country {i:02}"))),
                    region: Set(Some(regions[i % regions.len()].into())),
                    lead_organisation: Set(None),
                    head_person_id: Set(None),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id,
            );
        }
        let fora: Vec<i32> = session::Entity::find()
            .filter(session::Column::ConferenceId.eq(c.id))
            .filter(session::Column::Capacity.is_not_null())
            .all(txn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .take(40)
            .collect();
        let categories = domain::registration::Category::ALL;
        let start = Utc::now() - chrono::Duration::days(30);
        for i in 0..2100usize {
            let p = person::ActiveModel {
                name: Set(format!("Participant {i:04} Generated-Surname")),
                organisation: Set(Some(format!("Organisation {}", i % 97))),
                country: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let category = categories[i % categories.len()];
            // 2,000 accredited; one in 21 pending, rejected or withdrawn
            let status = if i % 21 == 0 {
                ["pending", "rejected", "withdrawn"][(i / 21) % 3]
            } else {
                "accredited"
            };
            let at = start + chrono::Duration::minutes((i as i64) * 21);
            let r = registration::ActiveModel {
                conference_id: Set(c.id),
                person_id: Set(p.id),
                delegation_id: Set(category
                    .needs_delegation()
                    .then(|| delegations[i % delegations.len()])),
                category: Set(category.as_str().into()),
                member_role: Set(None),
                status: Set(status.into()),
                status_reason: Set((status == "rejected").then(|| "Generated".into())),
                needs: Set(String::new()),
                consent_listed: Set(false),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if status == "accredited" && !fora.is_empty() && i % 2 == 0 {
                enrolment::ActiveModel {
                    session_id: Set(fora[i % fora.len()]),
                    registration_id: Set(r.id),
                    seat: Set(if i % 10 == 0 {
                        "waitlisted"
                    } else {
                        "confirmed"
                    }
                    .into()),
                    created_at: Set(at),
                    updated_at: Set(at),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
        }
        Ok(true)
    })
    .await
}

async fn key_features<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    for k in KEY_FEATURES.iter() {
        if key_feature::Entity::find_by_id(k.code.to_string())
            .one(db)
            .await?
            .is_none()
        {
            key_feature::ActiveModel {
                code: Set(k.code.to_string()),
                tier: Set(k.tier.as_str().to_string()),
                position: Set(k.position as i32),
                title: Set(k.title.to_string()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

async fn person<C: ConnectionTrait>(
    db: &C,
    name: &str,
    organisation: Option<String>,
    country: Option<String>,
) -> Result<i32, DbErr> {
    Ok(person::ActiveModel {
        name: Set(name.to_string()),
        organisation: Set(organisation),
        country: Set(country),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id)
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, DbErr> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DbErr::Custom(format!("bad date {y}-{m}-{d}")))
}

/// A local wall-clock time in `tz`, as UTC.
fn at(tz: Tz, day: NaiveDate, hm: &str) -> Result<chrono::DateTime<Utc>, DbErr> {
    let t = chrono::NaiveTime::parse_from_str(hm, "%H:%M")
        .map_err(|e| DbErr::Custom(format!("bad time {hm}: {e}")))?;
    tz.from_local_datetime(&day.and_time(t))
        .single()
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| DbErr::Custom(format!("ambiguous local time {day} {hm}")))
}

struct NewConference<'a> {
    slug: &'a str,
    title: &'a str,
    theme: &'a str,
    city: &'a str,
    country: &'a str,
    venue: &'a str,
    start: NaiveDate,
    end: NaiveDate,
    timezone: &'a str,
    description: &'a str,
}

async fn conference<C: ConnectionTrait>(db: &C, c: NewConference<'_>) -> Result<i32, DbErr> {
    Ok(conference::ActiveModel {
        slug: Set(c.slug.into()),
        title: Set(c.title.into()),
        theme: Set(c.theme.into()),
        city: Set(c.city.into()),
        country: Set(c.country.into()),
        venue: Set(c.venue.into()),
        start_date: Set(c.start),
        end_date: Set(c.end),
        timezone: Set(c.timezone.into()),
        description: Set(c.description.into()),
        created_at: Set(Utc::now()),
        // UNESCO's rule: five delegates and five alternates per delegation
        cap_delegates: Set(Some(5)),
        cap_alternates: Set(Some(5)),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id)
}

async fn declaration<C: ConnectionTrait>(
    db: &C,
    conference_id: i32,
    title: &str,
    status: &str,
    markdown: &str,
    author: Option<i32>,
    message: &str,
) -> Result<(), DbErr> {
    let decl = declaration::ActiveModel {
        conference_id: Set(conference_id),
        title: Set(title.into()),
        status: Set(status.into()),
        current_version_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let v = declaration_version::ActiveModel {
        declaration_id: Set(decl.id),
        number: Set(1),
        parent_id: Set(None),
        author_person_id: Set(author),
        message: Set(message.into()),
        source: Set("direct_edit".into()),
        amendment_id: Set(None),
        markdown: Set(markdown.into()),
        sha256: Set(domain::text::sha256_hex(markdown)),
        paragraph_labels: Set(domain::drafting::encode_labels(
            &domain::drafting::initial_labels(&domain::drafting::paragraphs(markdown)),
        )),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut decl: declaration::ActiveModel = decl.into();
    decl.current_version_id = Set(Some(v.id));
    decl.update(db).await?;
    Ok(())
}

async fn beijing<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let id = conference(
        db,
        NewConference {
            slug: BEIJING_SLUG,
            title: "International Conference on Learning Cities",
            theme: "Lifelong learning for all: inclusion, prosperity and sustainability in cities",
            city: "Beijing",
            country: "China",
            venue: "Beijing",
            start: date(2013, 10, 21)?,
            end: date(2013, 10, 23)?,
            timezone: "Asia/Shanghai",
            description: BEIJING_DESCRIPTION,
        },
    )
    .await?;
    declaration(
        db,
        id,
        "Beijing Declaration on Building Learning Cities",
        "published",
        BEIJING_DECLARATION,
        None,
        "Adopted text (summary, as recalled in the Danish delegation's notes)",
    )
    .await
}

struct S<'a> {
    kind: &'a str,
    title: &'a str,
    description: &'a str,
    room: usize,
    day: usize,
    start: &'a str,
    end: &'a str,
    capacity: Option<i32>,
    region: Option<&'a str>,
    tags: &'a [&'a str],
    chairs: &'a [usize],
}

async fn mexico_city<C: ConnectionTrait>(db: &C, people: &[i32]) -> Result<(), DbErr> {
    let tz: Tz = chrono_tz::America::Mexico_City;
    let days = [date(2015, 9, 28)?, date(2015, 9, 29)?, date(2015, 9, 30)?];
    let id = conference(
        db,
        NewConference {
            slug: DEMO_SLUG,
            title: "Second International Conference on Learning Cities",
            theme: "Building sustainable learning cities",
            city: "Mexico City",
            country: "Mexico",
            venue: "Conference centre, Mexico City",
            start: days[0],
            end: days[2],
            timezone: "America/Mexico_City",
            description: MEXICO_DESCRIPTION,
        },
    )
    .await?;

    let mut rooms = Vec::new();
    for (name, capacity) in [
        ("Plenary Hall", 900),
        ("Sala Tenochtitlan", 150),
        ("Sala Xochimilco", 150),
        ("Sala Coyoacán", 120),
        ("Sala Chapultepec", 120),
        ("Sala Tlatelolco", 60),
    ] {
        rooms.push(
            room::ActiveModel {
                conference_id: Set(id),
                name: Set(name.into()),
                capacity: Set(capacity),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id,
        );
    }

    // people[]: 0 organiser, 1 committee, 2 head (Trine), 3 Niels, 4 Mette, 5 Jonas
    let sessions = [
        S { kind: "ceremony", title: "Opening ceremony", description: "Welcome by the host city and UNESCO; presentation of the conference theme, *Building sustainable learning cities*.", room: 0, day: 0, start: "09:00", end: "10:30", capacity: None, region: None, tags: &[], chairs: &[0] },
        S { kind: "break", title: "Coffee break", description: "", room: 0, day: 0, start: "10:30", end: "11:00", capacity: None, region: None, tags: &[], chairs: &[] },
        S { kind: "plenary", title: "Plenary 1: Working strategies for a sustainable learning city", description: "How cities turn the commitment to lifelong learning into working strategies for sustainable development.", room: 0, day: 0, start: "11:00", end: "12:30", capacity: None, region: None, tags: &["P3", "F1", "F2"], chairs: &[] },
        S { kind: "break", title: "Lunch", description: "", room: 0, day: 0, start: "12:30", end: "14:00", capacity: None, region: None, tags: &[], chairs: &[] },
        S { kind: "plenary", title: "Plenary 2: Developing sustainable learning cities around the world", description: "Cities from every region report on two years of building learning cities since Beijing 2013.", room: 0, day: 0, start: "14:00", end: "15:30", capacity: None, region: None, tags: &["P1", "P2", "P3"], chairs: &[] },
        S { kind: "thematic_forum", title: "Thematic forum 1: How can learning cities foster global citizenship?", description: "Learning for active, responsible citizens of their city and of the world.", room: 1, day: 0, start: "16:00", end: "17:30", capacity: Some(150), region: None, tags: &["P1", "C2", "C6"], chairs: &[1] },
        S { kind: "thematic_forum", title: "Thematic forum 2: How can learning cities contribute to health and well-being?", description: "Learning in families, communities and workplaces as a way to healthier lives.", room: 2, day: 0, start: "16:00", end: "17:30", capacity: Some(150), region: None, tags: &["P1", "C2", "C3"], chairs: &[] },
        S { kind: "thematic_forum", title: "Thematic forum 3: How can learning cities encourage environmental stewardship?", description: "Education for sustainable development in the city: from schools to neighbourhoods.", room: 3, day: 0, start: "16:00", end: "17:30", capacity: Some(120), region: None, tags: &["P3", "C1", "C6"], chairs: &[] },
        S { kind: "thematic_forum", title: "Thematic forum 4: How can learning cities stimulate inclusive and sustainable economic growth?", description: "Skills, work and learning for an economy that includes everyone.", room: 4, day: 0, start: "16:00", end: "17:30", capacity: Some(120), region: None, tags: &["P2", "C3", "C4"], chairs: &[] },
        S { kind: "plenary", title: "Plenary 3: Strengthening partnerships and networks for developing sustainable learning cities", description: "The Global Network of Learning Cities, and how cities learn from each other.", room: 0, day: 1, start: "09:00", end: "10:30", capacity: None, region: None, tags: &["F2", "F3"], chairs: &[] },
        S { kind: "break", title: "Coffee break", description: "", room: 0, day: 1, start: "10:30", end: "11:00", capacity: None, region: None, tags: &[], chairs: &[] },
        S { kind: "regional_forum", title: "Regional forum: Europe and North America", description: "European and North American cities compare their learning-city strategies. Chaired by the Danish delegation.", room: 1, day: 1, start: "11:00", end: "12:30", capacity: Some(80), region: Some("Europe and North America"), tags: &["F1", "F2"], chairs: &[2] },
        S { kind: "regional_forum", title: "Regional forum: Latin America and the Caribbean", description: "Learning cities of the host region.", room: 2, day: 1, start: "11:00", end: "12:30", capacity: Some(120), region: Some("Latin America and the Caribbean"), tags: &["F1", "F2"], chairs: &[] },
        S { kind: "regional_forum", title: "Regional forum: Asia and the Pacific", description: "Learning cities of Asia and the Pacific, two years after Beijing.", room: 3, day: 1, start: "11:00", end: "12:30", capacity: Some(120), region: Some("Asia and the Pacific"), tags: &["F1", "F2"], chairs: &[] },
        S { kind: "regional_forum", title: "Regional forum: Africa", description: "Learning cities of Africa.", room: 4, day: 1, start: "11:00", end: "12:30", capacity: Some(120), region: Some("Africa"), tags: &["F1", "F2"], chairs: &[] },
        S { kind: "break", title: "Lunch", description: "", room: 0, day: 1, start: "12:30", end: "14:00", capacity: None, region: None, tags: &[], chairs: &[] },
        S { kind: "plenary", title: "Plenary 4: Implementing the Key Features for sustainable learning cities", description: "The Key Features of Learning Cities adopted in Beijing: what cities measured, what they learned.", room: 0, day: 1, start: "14:00", end: "15:30", capacity: None, region: None, tags: &["P1", "P2", "P3", "C1", "C2", "C3", "C4", "C5", "C6", "F1", "F2", "F3"], chairs: &[] },
        S { kind: "side_event", title: "Side event: Nordic folk high schools and the learning city", description: "An informal meeting hosted by Dansk Folkeoplysnings Samråd.", room: 5, day: 1, start: "16:00", end: "17:00", capacity: Some(40), region: None, tags: &["C2", "C6"], chairs: &[3] },
        S { kind: "ceremony", title: "Closing ceremony and adoption of the declaration", description: "Reports from the fora, adoption of the **Mexico City Declaration on Sustainable Learning Cities**, and the UNESCO Learning City Awards.", room: 0, day: 2, start: "10:00", end: "12:30", capacity: None, region: None, tags: &["P3"], chairs: &[0] },
    ];
    for s in sessions.iter() {
        let sid = session::ActiveModel {
            conference_id: Set(id),
            kind: Set(s.kind.into()),
            title: Set(s.title.into()),
            description: Set(s.description.into()),
            room_id: Set(Some(rooms[s.room])),
            starts_at: Set(at(tz, days[s.day], s.start)?),
            ends_at: Set(at(tz, days[s.day], s.end)?),
            capacity: Set(s.capacity),
            region: Set(s.region.map(Into::into)),
            ..Default::default()
        }
        .insert(db)
        .await?
        .id;
        for code in s.tags {
            session_key_feature::Entity::insert(session_key_feature::ActiveModel {
                session_id: Set(sid),
                key_feature_code: Set((*code).into()),
            })
            .exec_without_returning(db)
            .await?;
        }
        for (pos, who) in s.chairs.iter().enumerate() {
            session_person::Entity::insert(session_person::ActiveModel {
                session_id: Set(sid),
                person_id: Set(people[*who]),
                role: Set("chair".into()),
                position: Set(pos as i32),
            })
            .exec_without_returning(db)
            .await?;
        }
    }

    // roles
    let roles = [
        (0, "organiser"),
        (1, "committee"),
        (2, "head"),
        (2, "delegate"),
        (3, "delegate"),
        (4, "delegate"),
        (5, "delegate"),
    ];
    for (who, role) in roles {
        conference_role::ActiveModel {
            conference_id: Set(id),
            person_id: Set(people[who]),
            role: Set(role.into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }

    // the Danish delegation: four persons, led by Dansk Folkeoplysnings Samråd
    let delegation = delegation::ActiveModel {
        conference_id: Set(id),
        name: Set("Denmark".into()),
        kind: Set("member_state".into()),
        country: Set(Some("Denmark".into())),
        region: Set(Some("Europe and North America".into())),
        lead_organisation: Set(Some("Dansk Folkeoplysnings Samråd".into())),
        head_person_id: Set(Some(people[2])),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for who in [2, 3, 4, 5] {
        let now = Utc::now();
        registration::ActiveModel {
            conference_id: Set(id),
            person_id: Set(people[who]),
            delegation_id: Set(Some(delegation.id)),
            category: Set("member_state_delegate".into()),
            member_role: Set(Some("delegate".into())),
            status: Set("accredited".into()),
            status_reason: Set(None),
            needs: Set(String::new()),
            consent_listed: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }

    declaration(
        db,
        id,
        "Mexico City Declaration on Sustainable Learning Cities",
        "drafting",
        MEXICO_ZERO_DRAFT,
        Some(people[1]),
        "Zero draft",
    )
    .await
}

const MEXICO_DESCRIPTION: &str = "\
The second International Conference on Learning Cities takes stock of two years of work since \
the first conference in Beijing (2013), under the headline **Building sustainable learning \
cities**.

Four plenary sessions, four parallel thematic fora and fora for the regions of the world \
prepare a declaration on sustainable learning cities, to be adopted at the closing session.";

const BEIJING_DESCRIPTION: &str = "\
The first International Conference on Learning Cities adopted the *Beijing Declaration on \
Building Learning Cities* and the *Key Features of Learning Cities*, and called for a global \
network of learning cities and regions.";

const BEIJING_DECLARATION: &str = "\
# Beijing Declaration on Building Learning Cities

We, the participants of the International Conference on Learning Cities, Beijing, 2013,
affirm that learning communities, learning cities and learning regions are pillars of
sustainable development.

Cities should be both architects and executors of strategies that foster lifelong learning and
sustainable development.

A learning city facilitates individual empowerment, builds social cohesion, nurtures active
citizenship, promotes economic and cultural prosperity, and lays the foundation for sustainable
development.

To transform our cities, we commit to:

1. Empowering individuals and promoting social cohesion
2. Enhancing economic development and cultural prosperity
3. Promoting sustainable development
4. Promoting inclusive learning in the education system
5. Revitalising learning in families and communities
6. Facilitating learning for and in the workplace
7. Extending the use of modern learning technologies
8. Enhancing quality in learning
9. Fostering a culture of learning throughout life
10. Strengthening political will and commitment
11. Improving governance and participation of all stakeholders
12. Boosting resource mobilisation and utilisation

We call for a network of learning cities and regions to support and accelerate the practice of
lifelong learning in the world's communities.
";

/// The zero draft the drafting committee starts from.
pub const MEXICO_ZERO_DRAFT: &str = "\
# Mexico City Declaration on Sustainable Learning Cities

## Preamble

We, the mayors, city representatives, delegates of member states and partners gathered in
Mexico City from 28 to 30 September 2015 for the second International Conference on Learning
Cities, recall the Beijing Declaration on Building Learning Cities and the Key Features of
Learning Cities adopted in 2013.

We affirm that learning communities, learning cities and learning regions are pillars of
sustainable development, and that cities are both architects and executors of strategies that
foster lifelong learning.

We recognise the work done since Beijing by cities in every region, and the Global Network of
Learning Cities that has grown from it.

## Commitments

We commit to building learning cities that foster global citizenship, so that every
inhabitant can take part in the life of the city and of the world.

We commit to learning that contributes to health and well-being, in families, communities and
workplaces.

We commit to encouraging environmental stewardship through education for sustainable
development, from early childhood to old age.

We commit to stimulating inclusive and sustainable economic growth by opening learning for and
in the workplace to all.

## Implementation

We will use the Key Features of Learning Cities to plan, monitor and evaluate our progress,
and share what we learn with other cities.

We will strengthen partnerships between local government, civil society, educational
institutions, the private sector and international organisations.

We invite UNESCO to continue to coordinate the Global Network of Learning Cities and to report
on progress at the next International Conference on Learning Cities.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_times_are_local() {
        let tz: Tz = chrono_tz::America::Mexico_City;
        let t = at(tz, date(2015, 9, 28).unwrap(), "09:00").unwrap();
        // Mexico City kept daylight saving time in 2015: UTC-5 in September
        assert_eq!(t.to_rfc3339(), "2015-09-28T14:00:00+00:00");
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let h = hash_password("demo-delegate").unwrap();
        assert!(h.starts_with("$argon2id$"));
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(argon2::Argon2::default()
            .verify_password(b"demo-delegate", &parsed)
            .is_ok());
        assert!(argon2::Argon2::default()
            .verify_password(b"wrong", &parsed)
            .is_err());
    }
}
