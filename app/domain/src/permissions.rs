//! Who may do what: the permission rules of the whole product, in one place.
//!
//! Roles are held per conference. Every server function names the [`Action`] it performs and
//! asks [`may`] before it touches anything; the table-driven tests of the server run every
//! action as every role against the same rules.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A role a person holds in one conference. On the wire its stored name (`"head"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A member of a national delegation (or an observer, adviser…), once registered.
    Delegate,
    /// Leads a delegation: nominates and withdraws its members.
    #[serde(rename = "head")]
    HeadOfDelegation,
    /// Member of the drafting committee of the declaration.
    Committee,
    /// The conference secretariat: programme, accreditation, roles, adoption.
    Organiser,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Delegate,
        Role::HeadOfDelegation,
        Role::Committee,
        Role::Organiser,
    ];

    /// The stored name (database column `conference_roles.role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Delegate => "delegate",
            Role::HeadOfDelegation => "head",
            Role::Committee => "committee",
            Role::Organiser => "organiser",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How the role is shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Delegate => "Delegate",
            Role::HeadOfDelegation => "Head of delegation",
            Role::Committee => "Drafting committee member",
            Role::Organiser => "Organiser",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who is asking, as far as permissions are concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    /// Logged in at all.
    pub signed_in: bool,
    /// The roles held in the conference the action is about.
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn visitor() -> Self {
        Actor::default()
    }

    pub fn signed_in(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        Actor {
            signed_in: true,
            roles,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Everything that needs a permission. Reads of public pages (a released programme, a
/// published declaration) need none and are not listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    // programme
    /// Create, edit and delete rooms and sessions, acknowledge clashes, release the programme.
    ManageProgramme,
    /// See the working programme before it is released.
    ViewUnreleasedProgramme,
    // people
    /// Grant and revoke roles, create invitations.
    ManageRoles,
    /// Read the outbox of messages the system sent.
    ReadOutbox,
    /// Set the registration window and caps, accredit or reject registrations, export them.
    ManageRegistrations,
    /// Register oneself for the conference.
    Register,
    /// Nominate and withdraw members of one's own delegation.
    NominateDelegationMembers,
    /// Sign up for sessions (also needs an accredited registration).
    SignUpForSessions,
    // declaration
    /// Read the working draft and the drafting history.
    ViewDraftDeclaration,
    /// Edit the declaration directly and decide on amendments.
    EditDeclaration,
    /// Propose, edit and withdraw one's own amendments; comment on amendments.
    ProposeAmendment,
    /// Adopt and publish the declaration; set the amendment deadline.
    AdoptDeclaration,
    /// Chair the plenary: put a paragraph or an amendment on the hall's screen.
    ChairPlenary,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::ManageProgramme,
        Action::ViewUnreleasedProgramme,
        Action::ManageRoles,
        Action::ReadOutbox,
        Action::ManageRegistrations,
        Action::Register,
        Action::NominateDelegationMembers,
        Action::SignUpForSessions,
        Action::ViewDraftDeclaration,
        Action::EditDeclaration,
        Action::ProposeAmendment,
        Action::AdoptDeclaration,
        Action::ChairPlenary,
    ];
}

/// May `actor` perform `action` in the conference its roles belong to?
/// Whether someone holding `role` may co-sponsor an amendment: whoever may propose one
/// (delegates, heads of delegation, committee members).
pub fn may_co_sponsor(role: Role) -> bool {
    may(&Actor::signed_in([role]), Action::ProposeAmendment)
}

pub fn may(actor: &Actor, action: Action) -> bool {
    use Action::*;
    use Role::*;
    if !actor.signed_in {
        return false;
    }
    let any = |roles: &[Role]| roles.iter().any(|r| actor.has(*r));
    match action {
        ManageProgramme | ManageRoles | ReadOutbox | ManageRegistrations | AdoptDeclaration => {
            any(&[Organiser])
        }
        ViewUnreleasedProgramme => any(&[Organiser]),
        // anyone with an account may register; accreditation decides the rest
        Register => true,
        NominateDelegationMembers => any(&[HeadOfDelegation]),
        SignUpForSessions => any(&[Delegate, HeadOfDelegation]),
        ViewDraftDeclaration => any(&[Delegate, HeadOfDelegation, Committee, Organiser]),
        EditDeclaration => any(&[Committee]),
        ProposeAmendment => any(&[Delegate, HeadOfDelegation, Committee]),
        ChairPlenary => any(&[Committee, Organiser]),
    }
}

/// The reason given when [`may`] says no, phrased for the person asking.
pub fn refusal(actor: &Actor, action: Action) -> &'static str {
    use Action::*;
    if !actor.signed_in {
        return "Please log in first.";
    }
    match action {
        ManageProgramme | ViewUnreleasedProgramme => {
            "Only the conference's organisers can change the programme."
        }
        ManageRoles => "Only the conference's organisers can grant and revoke roles.",
        ReadOutbox => "Only organisers can read the outbox.",
        ManageRegistrations => "Only the conference's organisers can handle registrations.",
        Register => "You cannot register for this conference.",
        NominateDelegationMembers => "Only the head of a delegation can nominate its members.",
        SignUpForSessions => "Only accredited delegates can sign up for sessions.",
        ViewDraftDeclaration => "The working draft is open to participants of the conference.",
        EditDeclaration => "Only members of the drafting committee can edit the declaration.",
        ProposeAmendment => "Only delegates and committee members can propose amendments.",
        AdoptDeclaration => "Only the conference's organisers can adopt the declaration.",
        ChairPlenary => {
            "Only the chair (the drafting committee or the organisers) drives the screen."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Role::*;

    #[test]
    fn a_role_is_its_stored_name_on_the_wire() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), r);
        }
    }

    /// The rules as a table: for each action, the single roles that may perform it.
    const TABLE: &[(Action, &[Role])] = &[
        (ManageProgramme, &[Organiser]),
        (ViewUnreleasedProgramme, &[Organiser]),
        (ManageRoles, &[Organiser]),
        (ReadOutbox, &[Organiser]),
        (ManageRegistrations, &[Organiser]),
        (
            Register,
            &[Delegate, HeadOfDelegation, Committee, Organiser],
        ),
        (NominateDelegationMembers, &[HeadOfDelegation]),
        (SignUpForSessions, &[Delegate, HeadOfDelegation]),
        (
            ViewDraftDeclaration,
            &[Delegate, HeadOfDelegation, Committee, Organiser],
        ),
        (EditDeclaration, &[Committee]),
        (ProposeAmendment, &[Delegate, HeadOfDelegation, Committee]),
        (AdoptDeclaration, &[Organiser]),
        (ChairPlenary, &[Committee, Organiser]),
    ];

    #[test]
    fn the_table_covers_every_action() {
        for a in Action::ALL {
            assert!(TABLE.iter().any(|(t, _)| *t == a), "{a:?} missing");
        }
    }

    #[test]
    fn each_role_alone_is_allowed_exactly_what_the_table_says() {
        for (action, allowed) in TABLE {
            for role in Role::ALL {
                let actor = Actor::signed_in([role]);
                assert_eq!(
                    may(&actor, *action),
                    allowed.contains(&role),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn visitors_may_do_nothing_and_are_asked_to_log_in() {
        for a in Action::ALL {
            assert!(!may(&Actor::visitor(), a));
            assert_eq!(refusal(&Actor::visitor(), a), "Please log in first.");
        }
    }

    #[test]
    fn an_account_without_roles_may_only_register() {
        let nobody = Actor::signed_in([]);
        for a in Action::ALL {
            assert_eq!(may(&nobody, a), a == Register, "{a:?}");
        }
    }

    #[test]
    fn roles_add_up() {
        let both = Actor::signed_in([Committee, Organiser]);
        assert!(may(&both, EditDeclaration));
        assert!(may(&both, AdoptDeclaration));
        assert!(!may(&both, SignUpForSessions));
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
