//! The messages a person may receive about what happened to their things, each of which they
//! may turn off on their account page.

use serde::{Deserialize, Serialize};

/// A kind of notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Notification {
    /// An amendment you sponsor was accepted as proposed.
    AmendmentAccepted,
    /// An amendment you sponsor was accepted with the committee's modification.
    AmendmentModified,
    /// An amendment you sponsor was rejected.
    AmendmentRejected,
    /// A new version collided with an amendment you sponsor: it needs your update.
    AmendmentNeedsUpdate,
    /// A session you have a seat in moved to another room or time (in a programme release).
    SessionMoved,
    /// A seat freed up and you were promoted from the waiting list.
    Promoted,
    /// The conference adopted its declaration.
    DeclarationAdopted,
}

impl Notification {
    pub const ALL: [Notification; 7] = [
        Notification::AmendmentAccepted,
        Notification::AmendmentModified,
        Notification::AmendmentRejected,
        Notification::AmendmentNeedsUpdate,
        Notification::SessionMoved,
        Notification::Promoted,
        Notification::DeclarationAdopted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Notification::AmendmentAccepted => "amendment_accepted",
            Notification::AmendmentModified => "amendment_modified",
            Notification::AmendmentRejected => "amendment_rejected",
            Notification::AmendmentNeedsUpdate => "amendment_needs_update",
            Notification::SessionMoved => "session_moved",
            Notification::Promoted => "promoted",
            Notification::DeclarationAdopted => "declaration_adopted",
        }
    }

    pub fn parse(s: &str) -> Option<Notification> {
        Notification::ALL.into_iter().find(|n| n.as_str() == s)
    }

    /// What the account page says of it ("E-mail me when …").
    pub fn label(self) -> &'static str {
        match self {
            Notification::AmendmentAccepted => "an amendment I sponsor is accepted",
            Notification::AmendmentModified => {
                "an amendment I sponsor is accepted with the committee's modification"
            }
            Notification::AmendmentRejected => "an amendment I sponsor is rejected",
            Notification::AmendmentNeedsUpdate => {
                "an amendment I sponsor needs my update after a new version"
            }
            Notification::SessionMoved => {
                "a session I have a seat in moves to another room or changes time"
            }
            Notification::Promoted => "I get a seat from a waiting list",
            Notification::DeclarationAdopted => "the declaration is adopted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_and_has_its_own_name() {
        let mut seen = std::collections::HashSet::new();
        for n in Notification::ALL {
            assert_eq!(Notification::parse(n.as_str()), Some(n));
            assert!(seen.insert(n.as_str()));
            assert!(!n.label().is_empty());
        }
        assert_eq!(Notification::parse("everything"), None);
    }
}
