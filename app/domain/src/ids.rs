//! Ids as types: a row id of one table cannot be passed where another's is expected, and a
//! version's row id is not its number. On the wire an id is its number (`serde(transparent)`).
//! The database layer takes and returns these; its rows keep the plain column values.

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
    /// An account's row id (a person may have none: a nominee, a speaker).
    AccountId
);
id!(
    /// A delegation's row id.
    DelegationId
);
id!(
    /// A registration's row id.
    RegistrationId
);
id!(
    /// A session's row id.
    SessionId
);
id!(
    /// A room's row id.
    RoomId
);
id!(
    /// A held role's row id (`conference_roles.id`), for revoking it.
    RoleId
);
id!(
    /// A declaration's row id (one per conference).
    DeclarationId
);
id!(
    /// A version's row id. Not its number: see [`VersionNumber`].
    VersionId
);
id!(
    /// A version's number within its declaration: 1, 2, 3 … (what people read and addresses
    /// carry).
    VersionNumber
);
id!(
    /// An amendment's row id. Not its number: see [`AmendmentNumber`].
    AmendmentId
);
id!(
    /// An amendment's number within its declaration: 1, 2, 3 … (what people read and
    /// addresses carry).
    AmendmentNumber
);
id!(
    /// A comment's row id (`amendment_comments.id`).
    CommentId
);
id!(
    /// An outbox message's row id.
    MessageId
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
