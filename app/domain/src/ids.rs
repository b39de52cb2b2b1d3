//! Ids as types. A row id of one table cannot be passed where another's is expected, and a
//! version's number (what people see: "version 4") cannot be taken for its row id. On the wire
//! an id is its number (`serde(transparent)`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i32 {
            fn from(id: $name) -> i32 {
                id.0
            }
        }
    };
}

id!(
    /// A conference's row id.
    ConferenceId
);
id!(
    /// A person's row id (every participant is a person; an account belongs to one).
    PersonId
);
id!(
    /// A declaration version's row id.
    VersionId
);
id!(
    /// A version's number within its declaration ("version 4"), as people see it.
    VersionNumber
);
id!(
    /// An amendment's number within its declaration ("amendment 3"), as people see it.
    AmendmentNumber
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_on_the_wire() {
        assert_eq!(serde_json::to_string(&PersonId(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<ConferenceId>("3").unwrap(),
            ConferenceId(3)
        );
        assert_eq!(VersionNumber(4).to_string(), "4");
    }
}
