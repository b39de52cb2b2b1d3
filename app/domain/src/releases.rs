//! Programme releases: what changed from one released version to the next, and the iCalendar
//! SEQUENCE each session carries (raised whenever a release changes it, so calendar apps that
//! imported an earlier release replace their copy).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A session as a release sees it. Times are seconds since the epoch (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub title: String,
    pub room: Option<String>,
    pub start: i64,
    pub end: i64,
    /// Everything else a participant reads (kind, description, people, capacity…), reduced by
    /// the caller to a fingerprint: when it differs the session counts as updated.
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Added {
        id: i64,
        title: String,
        start: i64,
        room: Option<String>,
    },
    Removed {
        id: i64,
        title: String,
        start: i64,
    },
    Retimed {
        id: i64,
        title: String,
        from: (i64, i64),
        to: (i64, i64),
    },
    Moved {
        id: i64,
        title: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Title, description, people or capacity changed (the title shown is the new one).
    Updated {
        id: i64,
        title: String,
    },
}

/// What a change did to its session, in a word. On the wire `"added"`, `"retimed"`…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Retimed,
    Moved,
    Updated,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Retimed => "retimed",
            ChangeKind::Moved => "moved",
            ChangeKind::Updated => "updated",
        }
    }
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Added { .. } => ChangeKind::Added,
            Change::Removed { .. } => ChangeKind::Removed,
            Change::Retimed { .. } => ChangeKind::Retimed,
            Change::Moved { .. } => ChangeKind::Moved,
            Change::Updated { .. } => ChangeKind::Updated,
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            Change::Added { id, .. }
            | Change::Removed { id, .. }
            | Change::Retimed { id, .. }
            | Change::Moved { id, .. }
            | Change::Updated { id, .. } => *id,
        }
    }
}

/// The changes from `prev` to `next`, in the order of the sessions' (new, else old) start.
pub fn changes(prev: &[Entry], next: &[Entry]) -> Vec<Change> {
    let old: HashMap<i64, &Entry> = prev.iter().map(|e| (e.id, e)).collect();
    let new: HashMap<i64, &Entry> = next.iter().map(|e| (e.id, e)).collect();
    let mut out: Vec<(i64, i64, usize, Change)> = Vec::new();
    for n in next {
        match old.get(&n.id) {
            None => out.push((
                n.start,
                n.id,
                0,
                Change::Added {
                    id: n.id,
                    title: n.title.clone(),
                    start: n.start,
                    room: n.room.clone(),
                },
            )),
            Some(o) => {
                if (o.start, o.end) != (n.start, n.end) {
                    out.push((
                        n.start,
                        n.id,
                        1,
                        Change::Retimed {
                            id: n.id,
                            title: n.title.clone(),
                            from: (o.start, o.end),
                            to: (n.start, n.end),
                        },
                    ));
                }
                if o.room != n.room {
                    out.push((
                        n.start,
                        n.id,
                        2,
                        Change::Moved {
                            id: n.id,
                            title: n.title.clone(),
                            from: o.room.clone(),
                            to: n.room.clone(),
                        },
                    ));
                }
                if o.title != n.title || o.details != n.details {
                    out.push((
                        n.start,
                        n.id,
                        3,
                        Change::Updated {
                            id: n.id,
                            title: n.title.clone(),
                        },
                    ));
                }
            }
        }
    }
    for o in prev.iter().filter(|o| !new.contains_key(&o.id)) {
        out.push((
            o.start,
            o.id,
            4,
            Change::Removed {
                id: o.id,
                title: o.title.clone(),
                start: o.start,
            },
        ));
    }
    out.sort_by_key(|(start, id, rank, _)| (*start, *id, *rank));
    out.into_iter().map(|(_, _, _, c)| c).collect()
}

/// The SEQUENCE of each session of a new release: its previous value, plus one if the release
/// changed it (new sessions start at 0).
pub fn sequences(
    prev: &BTreeMap<i64, u32>,
    changes: &[Change],
    next: &[Entry],
) -> BTreeMap<i64, u32> {
    next.iter()
        .map(|e| {
            let before = prev.get(&e.id).copied();
            let touched = changes
                .iter()
                .any(|c| c.id() == e.id && !matches!(c, Change::Added { .. }));
            let seq = match before {
                Some(s) if touched => s + 1,
                Some(s) => s,
                None => 0,
            };
            (e.id, seq)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_change_kind_is_its_word_on_the_wire() {
        for k in [
            ChangeKind::Added,
            ChangeKind::Removed,
            ChangeKind::Retimed,
            ChangeKind::Moved,
            ChangeKind::Updated,
        ] {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        let c = Change::Removed {
            id: 1,
            title: "x".into(),
            start: 0,
        };
        assert_eq!(c.kind(), ChangeKind::Removed);
    }

    fn e(id: i64, start: i64, room: &str) -> Entry {
        Entry {
            id,
            title: format!("S{id}"),
            room: Some(room.into()),
            start,
            end: start + 60,
            details: String::new(),
        }
    }

    #[test]
    fn each_kind_of_change_is_seen() {
        let prev = [e(1, 0, "A"), e(2, 100, "B"), e(3, 200, "C"), e(4, 300, "D")];
        let mut moved = e(2, 100, "Z");
        moved.details = "new chair".into();
        let next = [e(1, 0, "A"), moved, e(3, 250, "C"), e(5, 50, "E")];
        let c = changes(&prev, &next);
        assert_eq!(
            c,
            vec![
                Change::Added {
                    id: 5,
                    title: "S5".into(),
                    start: 50,
                    room: Some("E".into())
                },
                Change::Moved {
                    id: 2,
                    title: "S2".into(),
                    from: Some("B".into()),
                    to: Some("Z".into())
                },
                Change::Updated {
                    id: 2,
                    title: "S2".into()
                },
                Change::Retimed {
                    id: 3,
                    title: "S3".into(),
                    from: (200, 260),
                    to: (250, 310)
                },
                Change::Removed {
                    id: 4,
                    title: "S4".into(),
                    start: 300
                },
            ]
        );
        let seq = sequences(&BTreeMap::from([(1, 2), (2, 0), (3, 1)]), &c, &next);
        assert_eq!(seq, BTreeMap::from([(1, 2), (2, 1), (3, 2), (5, 0)]));
    }

    fn arb_release() -> impl Strategy<Value = Vec<Entry>> {
        prop::collection::btree_map(0..12i64, (0..4i64, 0..3u8, 0..2u8), 0..10).prop_map(|m| {
            m.into_iter()
                .map(|(id, (start, room, d))| Entry {
                    id,
                    title: format!("S{id}"),
                    room: Some(format!("R{room}")),
                    start: start * 60,
                    end: start * 60 + 60,
                    details: d.to_string(),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn a_release_against_itself_changes_nothing(r in arb_release()) {
            prop_assert!(changes(&r, &r).is_empty());
        }

        #[test]
        fn changes_name_exactly_the_sessions_that_differ(a in arb_release(), b in arb_release()) {
            let c = changes(&a, &b);
            for id in 0..12i64 {
                let x = a.iter().find(|e| e.id == id);
                let y = b.iter().find(|e| e.id == id);
                let mine: Vec<&Change> = c.iter().filter(|c| c.id() == id).collect();
                match (x, y) {
                    (None, None) => prop_assert!(mine.is_empty()),
                    (None, Some(_)) => { let ok = matches!(mine[..], [Change::Added { .. }]); prop_assert!(ok) },
                    (Some(_), None) => { let ok = matches!(mine[..], [Change::Removed { .. }]); prop_assert!(ok) },
                    (Some(x), Some(y)) => prop_assert_eq!(mine.is_empty(), x == y),
                }
            }
        }

        #[test]
        fn sequences_never_go_down(a in arb_release(), b in arb_release(), c in arb_release()) {
            let s1 = sequences(&BTreeMap::new(), &changes(&[], &a), &a);
            let s2 = sequences(&s1, &changes(&a, &b), &b);
            let s3 = sequences(&s2, &changes(&b, &c), &c);
            for (id, n) in &s3 {
                if let Some(before) = s2.get(id) {
                    prop_assert!(n >= before);
                    let same = b.iter().find(|e| e.id == *id) == c.iter().find(|e| e.id == *id);
                    prop_assert_eq!(*n == *before, same);
                }
            }
        }
    }
}
