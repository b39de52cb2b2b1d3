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

/// Where a registration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    pub fn as_str(self) -> &'static str {
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
        assert_eq!(Category::parse("minister"), None);
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
