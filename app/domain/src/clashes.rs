//! Scheduling clashes: what an organiser must see before a programme is saved or released.
//!
//! Times are plain integers (seconds since the epoch, UTC); the caller converts from the
//! conference's time zone. Intervals are half-open, `[start, end)`: a session ending at 11:00
//! does not clash with one starting at 11:00.

use crate::programme::SessionKind;
use serde::{Deserialize, Serialize};

/// What the clash rules need to know of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub kind: SessionKind,
    pub room: Option<i64>,
    pub start: i64,
    pub end: i64,
    pub capacity: Option<u32>,
    /// chairs and speakers
    pub people: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub id: i64,
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Clash {
    /// Two sessions in one room at once (`a < b`).
    RoomDoubleBooked { room: i64, a: i64, b: i64 },
    /// A chair or speaker in two sessions at once (`a < b`).
    PersonDoubleBooked { person: i64, a: i64, b: i64 },
    /// A session overlapping a plenary or ceremony, which are for everyone.
    DuringPlenary { session: i64, plenary: i64 },
    /// A session that admits more people than its room seats.
    OverRoomCapacity {
        session: i64,
        room: i64,
        capacity: u32,
        room_capacity: u32,
    },
    /// A session that is not wholly within the conference's dates.
    OutsideConference { session: i64 },
}

impl Clash {
    /// A stable name for this clash, under which an organiser's acknowledgement is kept. It
    /// names the rule and the sessions (and room or person), not the times: a clash that is
    /// still the same clash after a small retiming stays acknowledged.
    pub fn key(&self) -> String {
        match *self {
            Clash::RoomDoubleBooked { room, a, b } => format!("room:{room}:{a}:{b}"),
            Clash::PersonDoubleBooked { person, a, b } => format!("person:{person}:{a}:{b}"),
            Clash::DuringPlenary { session, plenary } => format!("plenary:{session}:{plenary}"),
            Clash::OverRoomCapacity {
                session,
                room,
                capacity,
                room_capacity,
            } => format!("capacity:{session}:{room}:{capacity}:{room_capacity}"),
            Clash::OutsideConference { session } => format!("dates:{session}"),
        }
    }

    /// The sessions this clash involves.
    pub fn sessions(&self) -> Vec<i64> {
        match *self {
            Clash::RoomDoubleBooked { a, b, .. } | Clash::PersonDoubleBooked { a, b, .. } => {
                vec![a, b]
            }
            Clash::DuringPlenary { session, plenary } => vec![session, plenary],
            Clash::OverRoomCapacity { session, .. } | Clash::OutsideConference { session } => {
                vec![session]
            }
        }
    }
}

pub fn overlaps(a: &Slot, b: &Slot) -> bool {
    a.start < b.end && b.start < a.end
}

/// Clashes between two sessions, in a canonical order (each pair once).
fn pair_clashes(x: &Slot, y: &Slot, out: &mut Vec<Clash>) {
    if x.id == y.id || !overlaps(x, y) {
        return;
    }
    let (a, b) = if x.id < y.id { (x, y) } else { (y, x) };
    if let (Some(ra), Some(rb)) = (a.room, b.room) {
        if ra == rb {
            out.push(Clash::RoomDoubleBooked {
                room: ra,
                a: a.id,
                b: b.id,
            });
        }
    }
    let mut shared: Vec<i64> = a
        .people
        .iter()
        .filter(|p| b.people.contains(p))
        .copied()
        .collect();
    shared.sort_unstable();
    shared.dedup();
    for person in shared {
        out.push(Clash::PersonDoubleBooked {
            person,
            a: a.id,
            b: b.id,
        });
    }
    for (s, p) in [(a, b), (b, a)] {
        if p.kind.is_for_everyone() && s.kind != SessionKind::Break {
            out.push(Clash::DuringPlenary {
                session: s.id,
                plenary: p.id,
            });
        }
    }
}

fn single_clashes(s: &Slot, rooms: &[Room], window: (i64, i64), out: &mut Vec<Clash>) {
    if let (Some(room), Some(capacity)) = (s.room, s.capacity) {
        if let Some(r) = rooms.iter().find(|r| r.id == room) {
            if capacity > r.capacity {
                out.push(Clash::OverRoomCapacity {
                    session: s.id,
                    room,
                    capacity,
                    room_capacity: r.capacity,
                });
            }
        }
    }
    if s.start < window.0 || s.end > window.1 {
        out.push(Clash::OutsideConference { session: s.id });
    }
}

/// Every clash in a programme. `window` is the conference's span, `[first day 00:00, day after
/// the last 00:00)` in its own time zone. The result is sorted and has no duplicates.
pub fn clashes(sessions: &[Slot], rooms: &[Room], window: (i64, i64)) -> Vec<Clash> {
    let mut out = Vec::new();
    let mut order: Vec<&Slot> = sessions.iter().collect();
    order.sort_by_key(|s| (s.start, s.id));
    for (i, s) in order.iter().enumerate() {
        single_clashes(s, rooms, window, &mut out);
        // sweep: only sessions that start before this one ends can overlap it
        for t in order[i + 1..].iter().take_while(|t| t.start < s.end) {
            pair_clashes(s, t, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The clashes a session being edited would have with the rest of the programme (shown while
/// editing, before saving). `others` may contain the session's saved version: it is skipped.
pub fn clashes_of(
    candidate: &Slot,
    others: &[Slot],
    rooms: &[Room],
    window: (i64, i64),
) -> Vec<Clash> {
    let mut out = Vec::new();
    single_clashes(candidate, rooms, window, &mut out);
    for o in others {
        pair_clashes(candidate, o, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const H: i64 = 3600;

    fn slot(id: i64, kind: SessionKind, room: i64, start_h: i64, end_h: i64) -> Slot {
        Slot {
            id,
            kind,
            room: Some(room),
            start: start_h * H,
            end: end_h * H,
            capacity: None,
            people: vec![],
        }
    }

    const DAY: (i64, i64) = (0, 24 * H);

    #[test]
    fn parallel_fora_in_different_rooms_are_fine() {
        let s = [
            slot(1, SessionKind::ThematicForum, 1, 16, 18),
            slot(2, SessionKind::ThematicForum, 2, 16, 18),
            slot(3, SessionKind::Plenary, 0, 14, 16),
        ];
        assert_eq!(clashes(&s, &[], DAY), vec![]);
    }

    #[test]
    fn each_rule_is_reported() {
        let mut a = slot(1, SessionKind::ThematicForum, 1, 10, 12);
        let mut b = slot(2, SessionKind::RegionalForum, 1, 11, 13);
        a.people = vec![7, 8];
        b.people = vec![8];
        let p = slot(3, SessionKind::Plenary, 0, 12, 14);
        let mut big = slot(4, SessionKind::SideEvent, 2, 20, 21);
        big.capacity = Some(200);
        let late = slot(5, SessionKind::SideEvent, 3, 23, 25);
        let coffee = slot(6, SessionKind::Break, 4, 13, 14);
        let rooms = [Room {
            id: 2,
            capacity: 60,
        }];
        let got = clashes(&[a, b, p, big, late, coffee], &rooms, DAY);
        assert_eq!(
            got,
            vec![
                Clash::RoomDoubleBooked {
                    room: 1,
                    a: 1,
                    b: 2
                },
                Clash::PersonDoubleBooked {
                    person: 8,
                    a: 1,
                    b: 2
                },
                Clash::DuringPlenary {
                    session: 2,
                    plenary: 3
                },
                Clash::OverRoomCapacity {
                    session: 4,
                    room: 2,
                    capacity: 200,
                    room_capacity: 60
                },
                Clash::OutsideConference { session: 5 },
            ]
        );
    }

    #[test]
    fn touching_is_not_overlapping() {
        let s = [
            slot(1, SessionKind::Plenary, 0, 9, 10),
            slot(2, SessionKind::ThematicForum, 0, 10, 11),
        ];
        assert!(clashes(&s, &[], DAY).is_empty());
    }

    #[test]
    fn editing_sees_the_same_clashes() {
        let p = slot(1, SessionKind::Plenary, 0, 11, 12);
        let f = slot(2, SessionKind::ThematicForum, 1, 11, 12);
        assert_eq!(
            clashes_of(&f, &[p.clone(), f.clone()], &[], DAY),
            vec![Clash::DuringPlenary {
                session: 2,
                plenary: 1
            }]
        );
        let moved = slot(2, SessionKind::ThematicForum, 1, 12, 13);
        assert!(clashes_of(&moved, &[p], &[], DAY).is_empty());
    }

    fn naive(sessions: &[Slot], rooms: &[Room], window: (i64, i64)) -> Vec<Clash> {
        let mut out = Vec::new();
        for (i, a) in sessions.iter().enumerate() {
            single_clashes(a, rooms, window, &mut out);
            for b in &sessions[i + 1..] {
                pair_clashes(a, b, &mut out);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn arb_programme() -> impl Strategy<Value = Vec<Slot>> {
        prop::collection::vec(
            (
                0..6usize,
                0..4i64,
                0..48i64,
                1..8i64,
                prop::option::of(10..300u32),
                prop::collection::vec(0..5i64, 0..3),
            ),
            0..30,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (k, room, start, len, capacity, people))| Slot {
                    id: i as i64,
                    kind: SessionKind::ALL[k],
                    room: Some(room),
                    start: start * 900,
                    end: (start + len) * 900,
                    capacity,
                    people,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn clash_free_rooms_never_hold_two_sessions_at_once(s in arb_programme()) {
            let found = clashes(&s, &[], DAY);
            if !found.iter().any(|c| matches!(c, Clash::RoomDoubleBooked { .. })) {
                for (i, a) in s.iter().enumerate() {
                    for b in &s[i + 1..] {
                        prop_assert!(!(a.room == b.room && overlaps(a, b)));
                    }
                }
            }
        }

        #[test]
        fn sweep_agrees_with_checking_every_pair(s in arb_programme()) {
            let rooms = [Room { id: 0, capacity: 100 }, Room { id: 1, capacity: 50 }];
            prop_assert_eq!(clashes(&s, &rooms, DAY), naive(&s, &rooms, DAY));
        }

        #[test]
        fn editing_view_is_the_programme_view_for_that_session(s in arb_programme()) {
            prop_assume!(!s.is_empty());
            let all = clashes(&s, &[], DAY);
            let mine: Vec<Clash> = all.into_iter().filter(|c| c.sessions().contains(&s[0].id)).collect();
            prop_assert_eq!(clashes_of(&s[0], &s, &[], DAY), mine);
        }
    }
}
