//! The live conference: what the event stream of a conference carries, and who may receive
//! each event.
//!
//! Every change worth showing on an open page is recorded as an [`Event`] in the same
//! transaction as the change itself, numbered 1, 2, … per conference. The event names what
//! changed (a [`Change`], sent to the browser) and who may hear of it (an [`Audience`], kept on
//! the server): the permission rules of [`crate::permissions`] decide, as for server functions.

use crate::coedit::Operation;
use crate::drafting::amendment::AmendmentStatus;
use crate::ids::{AmendmentNumber, PersonId, SessionId, VersionNumber};
use crate::permissions::{may, Action, Actor};
use serde::{Deserialize, Serialize};

/// What changed, as the browser hears it (the SSE event's name is [`Change::name`], its data
/// this value as JSON). It carries only what its audience may read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The organisers released the programme (its release number, 1, 2, …).
    ProgrammeReleased { release: u32 },
    /// Seats were taken or freed in a session, or its capacity changed: seats left and
    /// waiting-list positions may differ.
    SeatsChanged { session: SessionId },
    /// The declaration was published: its final text is public.
    DeclarationPublished,
    /// The declaration was adopted (a version of it is now final).
    DeclarationAdopted { version: VersionNumber },
    /// A new version of the working draft (pending amendments were rebased on it: their
    /// collisions and "needs an update" flags may differ).
    VersionSaved { number: VersionNumber },
    /// An amendment was proposed, edited, submitted, withdrawn or decided, or commented on.
    AmendmentChanged {
        number: AmendmentNumber,
        status: AmendmentStatus,
    },
    /// The organisers set, moved or cleared the amendment deadline.
    DeadlineChanged,
    /// The committee arranged the voting order (moved an amendment, recorded a dependency).
    VotingOrderChanged,
    /// The chair put something else on the plenary hall's screen.
    ScreenChanged,
    /// A comment on a passage of the working draft was added or resolved.
    DraftCommented,
    /// The accreditation queue changed (a registration came in, was decided or withdrawn).
    RegistrationsChanged,
    /// A message went into the outbox.
    OutboxChanged,
    /// Someone arrived at a place (the editor, an amendment's page) or moved to another
    /// paragraph there. Who is there is read with the place's list (people leave by not coming
    /// back: see `db::presence::FRESH`).
    PresenceChanged { place: Place },
    /// A committee member typed in the shared draft: the operation as the server ordered it
    /// (its revision), who typed it, and the key it was sent with (its author's editor knows
    /// its own operation coming back by it).
    DraftEdited {
        revision: u64,
        author: PersonId,
        operation: Operation,
        key: String,
        /// Where its author's caret is once it is applied (a character index in the text of
        /// that revision): the others draw it there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caret: Option<u64>,
    },
}

/// Where people can see each other: the editor of the working draft, or an amendment's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "page", rename_all = "snake_case")]
pub enum Place {
    Editor,
    Amendment { number: AmendmentNumber },
}

impl Place {
    /// As stored and as a form sends it: `editor`, `amendment:3`.
    pub fn key(self) -> String {
        match self {
            Place::Editor => "editor".into(),
            Place::Amendment { number } => format!("amendment:{}", number.0),
        }
    }

    pub fn parse(s: &str) -> Option<Place> {
        match s {
            "editor" => Some(Place::Editor),
            _ => {
                let n = s.strip_prefix("amendment:")?.parse::<i32>().ok()?;
                (n > 0).then_some(Place::Amendment {
                    number: AmendmentNumber(n),
                })
            }
        }
    }
}

impl Change {
    /// Every SSE event name a change can have (what the browser listens for).
    pub const NAMES: [&'static str; 14] = [
        "programme_released",
        "seats_changed",
        "declaration_published",
        "declaration_adopted",
        "version_saved",
        "amendment_changed",
        "deadline_changed",
        "voting_order_changed",
        "screen_changed",
        "draft_commented",
        "registrations_changed",
        "outbox_changed",
        "presence_changed",
        "draft_edited",
    ];

    /// The SSE event name (one of [`Change::NAMES`]).
    pub fn name(&self) -> &'static str {
        match self {
            Change::ProgrammeReleased { .. } => "programme_released",
            Change::SeatsChanged { .. } => "seats_changed",
            Change::DeclarationPublished => "declaration_published",
            Change::DeclarationAdopted { .. } => "declaration_adopted",
            Change::VersionSaved { .. } => "version_saved",
            Change::AmendmentChanged { .. } => "amendment_changed",
            Change::DeadlineChanged => "deadline_changed",
            Change::VotingOrderChanged => "voting_order_changed",
            Change::ScreenChanged => "screen_changed",
            Change::DraftCommented => "draft_commented",
            Change::RegistrationsChanged => "registrations_changed",
            Change::OutboxChanged => "outbox_changed",
            Change::PresenceChanged { .. } => "presence_changed",
            Change::DraftEdited { .. } => "draft_edited",
        }
    }

    /// What part of the product the change touches: a page reloads what it shows when a
    /// change of its topic arrives.
    pub fn topic(&self) -> Topic {
        match self {
            Change::ProgrammeReleased { .. } => Topic::Programme,
            Change::SeatsChanged { .. } => Topic::Seats,
            Change::DeclarationPublished
            | Change::DeclarationAdopted { .. }
            | Change::VersionSaved { .. }
            | Change::AmendmentChanged { .. }
            | Change::DeadlineChanged
            | Change::VotingOrderChanged
            | Change::ScreenChanged
            | Change::DraftCommented => Topic::Declaration,
            Change::RegistrationsChanged => Topic::Registrations,
            Change::OutboxChanged => Topic::Outbox,
            Change::PresenceChanged { .. } => Topic::Presence,
            Change::DraftEdited { .. } => Topic::SharedDraft,
        }
    }
}

/// The parts of the product a page can follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Programme,
    Seats,
    Declaration,
    Registrations,
    Outbox,
    Presence,
    SharedDraft,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Programme,
        Topic::Seats,
        Topic::Declaration,
        Topic::Registrations,
        Topic::Outbox,
        Topic::Presence,
        Topic::SharedDraft,
    ];
}

/// Who may receive an event. Kept on the server with the event, never sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone, visitors included (what public pages show).
    Everyone,
    /// Whoever may perform the action in the conference.
    Allowed(Action),
    /// These people only (a draft amendment: its sponsor and co-sponsors).
    People(Vec<PersonId>),
}

/// Who is listening: their roles in the conference and, when logged in, who they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listener {
    pub actor: Actor,
    pub person: Option<PersonId>,
}

impl Audience {
    /// Whether `listener` may receive an event meant for this audience.
    pub fn admits(&self, listener: &Listener) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Allowed(action) => may(&listener.actor, *action),
            Audience::People(people) => listener.person.is_some_and(|p| people.contains(&p)),
        }
    }
}

/// One event: what changed and who may hear of it. Built only by the constructors below, so
/// that each kind of change always goes to the same audience.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub change: Change,
    pub audience: Audience,
}

impl Event {
    pub fn programme_released(release: u32) -> Event {
        Event::public(Change::ProgrammeReleased { release })
    }

    pub fn seats_changed(session: SessionId) -> Event {
        Event::public(Change::SeatsChanged { session })
    }

    pub fn declaration_published() -> Event {
        Event::public(Change::DeclarationPublished)
    }

    /// Adoption is news for participants; the public hears of the publication.
    pub fn declaration_adopted(version: VersionNumber) -> Event {
        Event::participants(Change::DeclarationAdopted { version })
    }

    pub fn version_saved(number: VersionNumber) -> Event {
        Event::participants(Change::VersionSaved { number })
    }

    /// An amendment changed. A draft is heard of only by its sponsor and co-sponsors, like the
    /// draft itself ([`crate::drafting::amendment::visible_to`]); anything else by participants.
    pub fn amendment_changed(
        number: AmendmentNumber,
        status: AmendmentStatus,
        sponsor: PersonId,
        co_sponsors: &[PersonId],
    ) -> Event {
        let change = Change::AmendmentChanged { number, status };
        if status == AmendmentStatus::Draft {
            let mut people = vec![sponsor];
            people.extend(co_sponsors.iter().copied().filter(|p| *p != sponsor));
            Event {
                change,
                audience: Audience::People(people),
            }
        } else {
            Event::participants(change)
        }
    }

    /// The amendment deadline is news for participants (who propose and read amendments).
    pub fn deadline_changed() -> Event {
        Event::participants(Change::DeadlineChanged)
    }

    /// The voting order is read by participants, as the amendments are.
    pub fn voting_order_changed() -> Event {
        Event::participants(Change::VotingOrderChanged)
    }

    /// The screen shows the working draft: participants hear of it.
    pub fn screen_changed() -> Event {
        Event::participants(Change::ScreenChanged)
    }

    /// Comments on the draft are read by participants, as the draft is.
    pub fn draft_commented() -> Event {
        Event::participants(Change::DraftCommented)
    }

    pub fn registrations_changed() -> Event {
        Event {
            change: Change::RegistrationsChanged,
            audience: Audience::Allowed(Action::ManageRegistrations),
        }
    }

    pub fn outbox_changed() -> Event {
        Event {
            change: Change::OutboxChanged,
            audience: Audience::Allowed(Action::ReadOutbox),
        }
    }

    /// An operation on the shared draft: heard by whoever may edit it (the committee).
    pub fn draft_edited(
        revision: u64,
        author: PersonId,
        operation: Operation,
        key: String,
        caret: Option<u64>,
    ) -> Event {
        Event {
            change: Change::DraftEdited {
                revision,
                author,
                operation,
                key,
                caret,
            },
            audience: Audience::Allowed(Action::EditDeclaration),
        }
    }

    /// Someone is in the editor: heard by whoever may use it (the committee).
    pub fn presence_in_editor() -> Event {
        Event {
            change: Change::PresenceChanged {
                place: Place::Editor,
            },
            audience: Audience::Allowed(Action::EditDeclaration),
        }
    }

    /// Someone is on an amendment's page: heard by whoever may see the amendment (a draft: its
    /// sponsors only).
    pub fn presence_on_amendment(
        number: AmendmentNumber,
        status: AmendmentStatus,
        sponsor: PersonId,
        co_sponsors: &[PersonId],
    ) -> Event {
        let audience = Event::amendment_changed(number, status, sponsor, co_sponsors).audience;
        Event {
            change: Change::PresenceChanged {
                place: Place::Amendment { number },
            },
            audience,
        }
    }

    fn public(change: Change) -> Event {
        Event {
            change,
            audience: Audience::Everyone,
        }
    }

    fn participants(change: Change) -> Event {
        Event {
            change,
            audience: Audience::Allowed(Action::ViewDraftDeclaration),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::Role::{self, *};

    /// The listeners of the table below: a visitor, each role alone, and the sponsor and a
    /// co-sponsor of a draft amendment (delegates, from one delegation) and a delegate of
    /// another delegation.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Who {
        Visitor,
        Only(Role),
        Sponsor,
        CoSponsor,
        OtherDelegate,
    }

    const SPONSOR: PersonId = PersonId(1);
    const CO_SPONSOR: PersonId = PersonId(2);
    const OTHER: PersonId = PersonId(3);
    const SOMEONE: PersonId = PersonId(9);

    fn listener(who: Who) -> Listener {
        match who {
            Who::Visitor => Listener::default(),
            Who::Only(role) => Listener {
                actor: Actor::signed_in([role]),
                person: Some(SOMEONE),
            },
            Who::Sponsor => Listener {
                actor: Actor::signed_in([Delegate]),
                person: Some(SPONSOR),
            },
            Who::CoSponsor => Listener {
                actor: Actor::signed_in([Delegate]),
                person: Some(CO_SPONSOR),
            },
            Who::OtherDelegate => Listener {
                actor: Actor::signed_in([Delegate]),
                person: Some(OTHER),
            },
        }
    }

    const EVERYONE: &[Who] = &[
        Who::Visitor,
        Who::Only(Delegate),
        Who::Only(HeadOfDelegation),
        Who::Only(Committee),
        Who::Only(Organiser),
        Who::Sponsor,
        Who::CoSponsor,
        Who::OtherDelegate,
    ];

    /// Every kind of event, and exactly who hears of it.
    fn table() -> Vec<(Event, Vec<Who>)> {
        let participants = vec![
            Who::Only(Delegate),
            Who::Only(HeadOfDelegation),
            Who::Only(Committee),
            Who::Only(Organiser),
            Who::Sponsor,
            Who::CoSponsor,
            Who::OtherDelegate,
        ];
        let mut rows = vec![
            (Event::programme_released(2), EVERYONE.to_vec()),
            (Event::seats_changed(SessionId(4)), EVERYONE.to_vec()),
            (Event::declaration_published(), EVERYONE.to_vec()),
            (
                Event::declaration_adopted(VersionNumber(3)),
                participants.clone(),
            ),
            (Event::version_saved(VersionNumber(3)), participants.clone()),
            (
                Event::amendment_changed(
                    AmendmentNumber(5),
                    AmendmentStatus::Draft,
                    SPONSOR,
                    &[CO_SPONSOR],
                ),
                vec![Who::Sponsor, Who::CoSponsor],
            ),
            (Event::deadline_changed(), participants.clone()),
            (Event::voting_order_changed(), participants.clone()),
            (Event::screen_changed(), participants.clone()),
            (Event::draft_commented(), participants.clone()),
            (Event::registrations_changed(), vec![Who::Only(Organiser)]),
            (Event::outbox_changed(), vec![Who::Only(Organiser)]),
            (Event::presence_in_editor(), vec![Who::Only(Committee)]),
            (
                Event::draft_edited(
                    3,
                    SOMEONE,
                    Operation::new().insert("x"),
                    "k".into(),
                    Some(1),
                ),
                vec![Who::Only(Committee)],
            ),
            (
                Event::presence_on_amendment(
                    AmendmentNumber(5),
                    AmendmentStatus::Draft,
                    SPONSOR,
                    &[CO_SPONSOR],
                ),
                vec![Who::Sponsor, Who::CoSponsor],
            ),
            (
                Event::presence_on_amendment(
                    AmendmentNumber(5),
                    AmendmentStatus::Submitted,
                    SPONSOR,
                    &[CO_SPONSOR],
                ),
                participants.clone(),
            ),
        ];
        for status in AmendmentStatus::ALL
            .into_iter()
            .filter(|s| *s != AmendmentStatus::Draft)
        {
            rows.push((
                Event::amendment_changed(AmendmentNumber(5), status, SPONSOR, &[CO_SPONSOR]),
                participants.clone(),
            ));
        }
        rows
    }

    #[test]
    fn each_kind_of_event_reaches_exactly_its_audience() {
        let rows = table();
        // every kind of change is in the table, and every name is one the browser listens for
        for name in Change::NAMES {
            assert!(rows.iter().any(|(e, _)| e.change.name() == name), "{name}");
        }
        for (e, _) in &rows {
            assert!(Change::NAMES.contains(&e.change.name()), "{:?}", e.change);
        }
        for (event, hears) in rows {
            for who in EVERYONE {
                assert_eq!(
                    event.audience.admits(&listener(*who)),
                    hears.contains(who),
                    "{:?} to {who:?}",
                    event.change
                );
            }
        }
    }

    #[test]
    fn a_draft_is_heard_of_by_no_one_but_its_sponsors_whatever_their_role() {
        let e = Event::amendment_changed(AmendmentNumber(1), AmendmentStatus::Draft, SPONSOR, &[]);
        for role in Role::ALL {
            let l = Listener {
                actor: Actor::signed_in([role]),
                person: Some(OTHER),
            };
            assert!(!e.audience.admits(&l), "{role:?}");
        }
        // the sponsor hears of it even without a role left (say, after withdrawing)
        let sponsor = Listener {
            actor: Actor::signed_in([]),
            person: Some(SPONSOR),
        };
        assert!(e.audience.admits(&sponsor));
    }

    #[test]
    fn the_wire_form_names_the_kind_and_carries_no_audience() {
        let e = Event::amendment_changed(
            AmendmentNumber(7),
            AmendmentStatus::Accepted,
            SPONSOR,
            &[CO_SPONSOR],
        );
        let json = serde_json::to_string(&e.change).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"amendment_changed","number":7,"status":"accepted"}"#
        );
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), e.change);
        let audience = serde_json::to_string(&Audience::People(vec![SPONSOR])).unwrap();
        assert_eq!(audience, r#"{"people":[1]}"#);
    }

    #[test]
    fn every_change_has_a_topic() {
        for (e, _) in table() {
            assert!(Topic::ALL.contains(&e.change.topic()));
        }
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn places_read_back_and_refuse_nonsense() {
        for p in [
            Place::Editor,
            Place::Amendment {
                number: AmendmentNumber(12),
            },
        ] {
            assert_eq!(Place::parse(&p.key()), Some(p));
        }
        for bad in [
            "",
            "amendment:",
            "amendment:0",
            "amendment:-1",
            "amendment:x",
            "editor2",
        ] {
            assert_eq!(Place::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&Change::PresenceChanged {
            place: Place::Amendment {
                number: AmendmentNumber(3),
            },
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"kind":"presence_changed","place":{"page":"amendment","number":3}}"#
        );
    }
}
