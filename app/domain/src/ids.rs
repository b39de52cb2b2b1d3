//! Ids as types: a row id of one table cannot be passed where another's is expected. On the
//! wire an id is its number (`serde(transparent)`). So far the conference and the person (the
//! pair that `roles_in` and `grant` took in opposite orders); the versions' ids and numbers,
//! amendments and the rest follow.

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
        assert_eq!(PersonId(4).to_string(), "4");
    }
}
