//! Registration for a conference: the categories of participant, the states a registration
//! goes through, and the checks on the registration form.

use serde::{Deserialize, Serialize};

/// The category a participant registers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    MemberStateDelegate,
    Alternate,
    Adviser,
    Observer,
    Ngo,
    Speaker,
    Press,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::MemberStateDelegate,
        Category::Alternate,
        Category::Adviser,
        Category::Observer,
        Category::Ngo,
        Category::Speaker,
        Category::Press,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::MemberStateDelegate => "member_state_delegate",
            Category::Alternate => "alternate",
            Category::Adviser => "adviser",
            Category::Observer => "observer",
            Category::Ngo => "ngo",
            Category::Speaker => "speaker",
            Category::Press => "press",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::MemberStateDelegate => "Member-state delegate",
            Category::Alternate => "Alternate",
            Category::Adviser => "Adviser",
            Category::Observer => "Observer",
            Category::Ngo => "NGO representative",
            Category::Speaker => "Speaker",
            Category::Press => "Press",
        }
    }

    /// Delegates, alternates and advisers come as members of a delegation.
    pub fn needs_delegation(self) -> bool {
        matches!(
            self,
            Category::MemberStateDelegate | Category::Alternate | Category::Adviser
        )
    }
}

/// The place a member holds in a delegation (`registrations.member_role`,
/// `invitations.member_role`): each has its own cap per delegation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Delegate,
    Alternate,
    Adviser,
}

impl MemberRole {
    pub const ALL: [MemberRole; 3] = [
        MemberRole::Delegate,
        MemberRole::Alternate,
        MemberRole::Adviser,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Delegate => "delegate",
            MemberRole::Alternate => "alternate",
            MemberRole::Adviser => "adviser",
        }
    }

    pub fn parse(s: &str) -> Option<MemberRole> {
        MemberRole::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// "delegates", for a cap's message.
    pub fn plural(self) -> &'static str {
        match self {
            MemberRole::Delegate => "delegates",
            MemberRole::Alternate => "alternates",
            MemberRole::Adviser => "advisers",
        }
    }

    /// "Delegate".
    pub fn label(self) -> &'static str {
        match self {
            MemberRole::Delegate => "Delegate",
            MemberRole::Alternate => "Alternate",
            MemberRole::Adviser => "Adviser",
        }
    }

    /// The category a member in this place registers in.
    pub fn category(self) -> Category {
        match self {
            MemberRole::Delegate => Category::MemberStateDelegate,
            MemberRole::Alternate => Category::Alternate,
            MemberRole::Adviser => Category::Adviser,
        }
    }

    /// The place a category takes in its delegation (`None`: it registers without one).
    pub fn of(category: Category) -> Option<MemberRole> {
        match category {
            Category::MemberStateDelegate => Some(MemberRole::Delegate),
            Category::Alternate => Some(MemberRole::Alternate),
            Category::Adviser => Some(MemberRole::Adviser),
            _ => None,
        }
    }
}

/// Where a registration stands. On the wire its stored name (`"pending"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Accredited,
    Rejected,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Accredited,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accredited => "accredited",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Accredited => "Accredited",
            Status::Rejected => "Rejected",
            Status::Withdrawn => "Withdrawn",
        }
    }

    /// Counts against the conference's cap.
    pub fn holds_a_place(self) -> bool {
        matches!(self, Status::Pending | Status::Accredited)
    }

    /// Pending → accredited | rejected | withdrawn; accredited → withdrawn (or rejected, when
    /// an organiser revokes an accreditation with a reason). Rejected and withdrawn are final:
    /// the person registers again.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Pending, Accredited)
                | (Pending, Rejected)
                | (Pending, Withdrawn)
                | (Accredited, Withdrawn)
                | (Accredited, Rejected)
        )
    }
}

/// Access and dietary needs: free text, at most this many characters.
pub const NEEDS_MAX: usize = 2000;
/// A rejection reason: 1 to this many characters.
pub const REASON_MAX: usize = 1000;

/// The checked content of a registration form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub category: Category,
    pub delegation_id: Option<i32>,
    pub needs: String,
    pub consent_listed: bool,
}

/// A problem with one field of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

impl Form {
    pub fn parse(
        category: &str,
        delegation_id: Option<i32>,
        needs: &str,
        consent_listed: bool,
    ) -> Result<Form, FieldError> {
        let category = Category::parse(category).ok_or(FieldError {
            field: "category",
            message: "Choose the category you register in.",
        })?;
        if category.needs_delegation() && delegation_id.is_none() {
            return Err(FieldError {
                field: "delegation_id",
                message:
                    "Delegates, alternates and advisers register with their delegation: choose it.",
            });
        }
        let needs = needs.trim();
        if needs.chars().count() > NEEDS_MAX {
            return Err(FieldError {
                field: "needs",
                message: "Please describe your needs in at most 2,000 characters.",
            });
        }
        Ok(Form {
            category,
            delegation_id,
            needs: needs.to_string(),
            consent_listed,
        })
    }
}

/// Check a rejection reason.
pub fn reason(input: &str) -> Result<String, FieldError> {
    let r = input.trim();
    if r.is_empty() {
        return Err(FieldError {
            field: "reason",
            message: "Give the reason for the rejection: the registrant will read it.",
        });
    }
    if r.chars().count() > REASON_MAX {
        return Err(FieldError {
            field: "reason",
            message: "A reason has at most 1,000 characters.",
        });
    }
    Ok(r.to_string())
}

/// UNESCO's regions, which regional fora and delegations belong to.
pub const REGIONS: [&str; 5] = [
    "Africa",
    "Arab States",
    "Asia and the Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
];

/// Whom a delegation represents (`delegations.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationKind {
    MemberState,
    Organisation,
}

impl DelegationKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DelegationKind::MemberState => "member_state",
            DelegationKind::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<DelegationKind> {
        [DelegationKind::MemberState, DelegationKind::Organisation]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DelegationKind::MemberState => "Member state",
            DelegationKind::Organisation => "Organisation",
        }
    }
}

/// The checked content of the organisers' form for a new delegation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegationForm {
    pub name: String,
    pub kind: DelegationKind,
    pub country: Option<String>,
    pub region: Option<&'static str>,
    pub lead_organisation: Option<String>,
}

impl DelegationForm {
    pub fn parse(
        name: &str,
        kind: &str,
        country: &str,
        region: &str,
        lead_organisation: &str,
    ) -> Result<DelegationForm, FieldError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(FieldError {
                field: "name",
                message: "Give the delegation's name (at most 120 characters).",
            });
        }
        let kind = DelegationKind::parse(kind).ok_or(FieldError {
            field: "kind",
            message: "Choose a member state or an organisation.",
        })?;
        let optional = |s: &str, max: usize, field: &'static str, message: &'static str| {
            let s = s.trim();
            if s.chars().count() > max {
                Err(FieldError { field, message })
            } else {
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
        };
        let country = optional(
            country,
            80,
            "country",
            "A country name has at most 80 characters.",
        )?;
        if kind == DelegationKind::MemberState && country.is_none() {
            return Err(FieldError {
                field: "country",
                message: "A member state's delegation needs its country.",
            });
        }
        let region = match region.trim() {
            "" => None,
            r => Some(REGIONS.into_iter().find(|x| *x == r).ok_or(FieldError {
                field: "region",
                message: "Choose one of UNESCO's regions, or none.",
            })?),
        };
        let lead_organisation = optional(
            lead_organisation,
            160,
            "lead_organisation",
            "A lead organisation's name has at most 160 characters.",
        )?;
        Ok(DelegationForm {
            name: name.to_string(),
            kind,
            country,
            region,
            lead_organisation,
        })
    }
}

#[cfg(test)]
mod delegation_form_tests {
    use super::*;

    #[test]
    fn a_delegation_form_is_checked_field_by_field() {
        let ok = DelegationForm::parse(
            "  Denmark ",
            "member_state",
            "Denmark",
            "Europe and North America",
            "Dansk Folkeoplysnings Samråd",
        )
        .unwrap();
        assert_eq!(ok.name, "Denmark");
        assert_eq!(ok.region, Some("Europe and North America"));
        assert_eq!(ok.kind, DelegationKind::MemberState);
        let org = DelegationForm::parse("UNESCO UIL", "organisation", "", "", "").unwrap();
        assert_eq!(org.kind, DelegationKind::Organisation);
        assert_eq!(
            (org.country, org.region, org.lead_organisation),
            (None, None, None)
        );
        let field = |r: Result<DelegationForm, FieldError>| r.unwrap_err().field;
        assert_eq!(
            field(DelegationForm::parse(" ", "member_state", "X", "", "")),
            "name"
        );
        assert_eq!(
            field(DelegationForm::parse(
                &"n".repeat(121),
                "member_state",
                "X",
                "",
                ""
            )),
            "name"
        );
        assert_eq!(
            field(DelegationForm::parse("A", "city", "X", "", "")),
            "kind"
        );
        assert_eq!(
            field(DelegationForm::parse("A", "member_state", "", "", "")),
            "country"
        );
        assert_eq!(
            field(DelegationForm::parse(
                "A",
                "member_state",
                "X",
                "Atlantis",
                ""
            )),
            "region"
        );
        assert_eq!(
            field(DelegationForm::parse(
                "A",
                "organisation",
                "",
                "",
                &"o".repeat(161)
            )),
            "lead_organisation"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for r in MemberRole::ALL {
            assert_eq!(MemberRole::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert_eq!(Category::parse("minister"), None);
        assert_eq!(
            MemberRole::of(Category::MemberStateDelegate),
            Some(MemberRole::Delegate)
        );
        assert_eq!(MemberRole::of(Category::Press), None);
    }

    #[test]
    fn transitions() {
        use Status::*;
        assert!(Pending.can_become(Accredited));
        assert!(Pending.can_become(Rejected));
        assert!(Accredited.can_become(Withdrawn));
        assert!(!Rejected.can_become(Accredited));
        assert!(!Withdrawn.can_become(Pending));
        assert!(!Accredited.can_become(Accredited));
        assert!(!Pending.can_become(Pending));
        // only live registrations take a place under the cap
        assert!(Pending.holds_a_place() && Accredited.holds_a_place());
        assert!(!Rejected.holds_a_place() && !Withdrawn.holds_a_place());
    }

    #[test]
    fn the_form_checks_each_field() {
        assert_eq!(
            Form::parse("minister", None, "", true).unwrap_err().field,
            "category"
        );
        assert_eq!(
            Form::parse("member_state_delegate", None, "", true)
                .unwrap_err()
                .field,
            "delegation_id"
        );
        assert!(Form::parse("press", None, "", false).is_ok());
        let f = Form::parse("alternate", Some(3), "  wheelchair access  ", true).unwrap();
        assert_eq!(f.needs, "wheelchair access");
        assert_eq!(
            Form::parse("press", None, &"x".repeat(2001), false)
                .unwrap_err()
                .field,
            "needs"
        );
        assert!(Form::parse("press", None, &"é".repeat(2000), false).is_ok());
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert!(reason("   ").is_err());
        assert!(reason(&"r".repeat(1001)).is_err());
        assert_eq!(
            reason(" Not a member state ").unwrap(),
            "Not a member state"
        );
    }
}
