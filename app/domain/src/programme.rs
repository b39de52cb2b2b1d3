//! Words of the programme.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Plenary,
    ThematicForum,
    RegionalForum,
    SideEvent,
    Ceremony,
    Break,
}

impl SessionKind {
    pub const ALL: [SessionKind; 6] = [
        SessionKind::Plenary,
        SessionKind::ThematicForum,
        SessionKind::RegionalForum,
        SessionKind::SideEvent,
        SessionKind::Ceremony,
        SessionKind::Break,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Plenary => "plenary",
            SessionKind::ThematicForum => "thematic_forum",
            SessionKind::RegionalForum => "regional_forum",
            SessionKind::SideEvent => "side_event",
            SessionKind::Ceremony => "ceremony",
            SessionKind::Break => "break",
        }
    }

    pub fn parse(s: &str) -> Option<SessionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Plenary => "Plenary",
            SessionKind::ThematicForum => "Thematic forum",
            SessionKind::RegionalForum => "Regional forum",
            SessionKind::SideEvent => "Side event",
            SessionKind::Ceremony => "Ceremony",
            SessionKind::Break => "Break",
        }
    }

    /// Sessions for everyone, drawn across all rooms.
    pub fn is_for_everyone(self) -> bool {
        matches!(self, SessionKind::Plenary | SessionKind::Ceremony)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in SessionKind::ALL {
            assert_eq!(SessionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(SessionKind::parse("party"), None);
    }
}
