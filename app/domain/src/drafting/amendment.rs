//! The states of the declaration and of an amendment, as enums from the database to the
//! browser. They serialise to the strings stored in the database and sent in the JSON API
//! (`"needs_update"`, `"published"`), so the wire stays as it was.

use crate::ids::PersonId;
use serde::{Deserialize, Serialize};

/// The amendment deadline: from `deadline` on (inclusive), proposing, submitting and editing
/// amendments is closed, except to the drafting committee, which can still act (it decides on
/// what was proposed, edits the text, and may table a compromise). The deadline when it binds
/// and has passed. Generic over the time type, so the rule needs no clock crate.
pub fn past_deadline<T: Ord + Copy>(deadline: Option<T>, now: T, committee: bool) -> Option<T> {
    deadline.filter(|d| !committee && now >= *d)
}

/// Where an amendment is in its workflow (`amendments.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentStatus {
    /// Visible to its sponsors only; editable.
    Draft,
    /// Before the committee; editable by its sponsor; rebased automatically.
    Submitted,
    /// A new version collided with it; waits for its sponsor to resolve the conflict.
    NeedsUpdate,
    Accepted,
    /// Accepted after the committee edited it.
    AcceptedWithModification,
    Rejected,
    /// Withdrawn by its sponsor.
    Withdrawn,
    /// An amendment to an amendment that fell with it: the amendment it amends was decided
    /// or withdrawn first.
    Lapsed,
}

impl AmendmentStatus {
    pub const ALL: [AmendmentStatus; 8] = [
        AmendmentStatus::Draft,
        AmendmentStatus::Submitted,
        AmendmentStatus::NeedsUpdate,
        AmendmentStatus::Accepted,
        AmendmentStatus::AcceptedWithModification,
        AmendmentStatus::Rejected,
        AmendmentStatus::Withdrawn,
        AmendmentStatus::Lapsed,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            AmendmentStatus::Draft => "draft",
            AmendmentStatus::Submitted => "submitted",
            AmendmentStatus::NeedsUpdate => "needs_update",
            AmendmentStatus::Accepted => "accepted",
            AmendmentStatus::AcceptedWithModification => "accepted_with_modification",
            AmendmentStatus::Rejected => "rejected",
            AmendmentStatus::Withdrawn => "withdrawn",
            AmendmentStatus::Lapsed => "lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<AmendmentStatus> {
        AmendmentStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// In words, lower case ("needs update").
    pub fn label(self) -> &'static str {
        match self {
            AmendmentStatus::Draft => "draft",
            AmendmentStatus::Submitted => "submitted",
            AmendmentStatus::NeedsUpdate => "needs update",
            AmendmentStatus::Accepted => "accepted",
            AmendmentStatus::AcceptedWithModification => "accepted with modification",
            AmendmentStatus::Rejected => "rejected",
            AmendmentStatus::Withdrawn => "withdrawn",
            AmendmentStatus::Lapsed => "lapsed",
        }
    }

    /// Draft, submitted or needs update: not decided, not withdrawn; its sponsor can edit it.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            AmendmentStatus::Draft | AmendmentStatus::Submitted | AmendmentStatus::NeedsUpdate
        )
    }

    /// The participle for "cannot be …" ("This amendment is a draft, so it cannot be accepted.").
    pub fn verb(self) -> &'static str {
        match self {
            AmendmentStatus::Draft => "made a draft again",
            AmendmentStatus::Submitted => "submitted",
            AmendmentStatus::NeedsUpdate => "marked as needing an update",
            AmendmentStatus::Accepted | AmendmentStatus::AcceptedWithModification => "accepted",
            AmendmentStatus::Rejected => "rejected",
            AmendmentStatus::Withdrawn => "withdrawn",
            AmendmentStatus::Lapsed => "set aside as lapsed",
        }
    }
}

impl std::fmt::Display for AmendmentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What someone does to an amendment: its sponsor edits, submits or withdraws it; the
/// committee rejects or accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Edit,
    Submit,
    Withdraw,
    Reject,
    Accept,
}

/// Why a step cannot be taken from an amendment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// Its text collides with a newer version: its sponsor updates it first.
    NeedsUpdate,
    /// Decided or withdrawn: its text can no longer change.
    NotEditable(AmendmentStatus),
    /// The step does not lead anywhere from here (a draft cannot be accepted, say).
    WrongState {
        from: AmendmentStatus,
        to: AmendmentStatus,
    },
}

impl AmendmentStatus {
    /// The amendment state machine: the state `step` leads to from this one, or why it is
    /// refused. Pending (draft, submitted, needs update) → withdrawn by its sponsor, edited by
    /// its sponsor (the state stays; after an update the caller restores the state before the
    /// flag); draft → submitted; submitted → accepted (with or without modification, as the
    /// committee decides); submitted or needs update → rejected. An amendment that needs an
    /// update is updated before it is submitted or accepted.
    pub fn step(self, step: Step) -> Result<AmendmentStatus, StepRefused> {
        use AmendmentStatus::*;
        let wrong = |to| StepRefused::WrongState { from: self, to };
        match (step, self) {
            (Step::Edit, s) if s.is_pending() => Ok(s),
            (Step::Edit, s) => Err(StepRefused::NotEditable(s)),
            (Step::Submit, Draft) => Ok(Submitted),
            (Step::Submit | Step::Accept, NeedsUpdate) => Err(StepRefused::NeedsUpdate),
            (Step::Submit, _) => Err(wrong(Submitted)),
            (Step::Withdraw, s) if s.is_pending() => Ok(Withdrawn),
            (Step::Withdraw, _) => Err(wrong(Withdrawn)),
            (Step::Reject, Submitted | NeedsUpdate) => Ok(Rejected),
            (Step::Reject, _) => Err(wrong(Rejected)),
            (Step::Accept, Submitted) => Ok(Accepted),
            (Step::Accept, _) => Err(wrong(Accepted)),
        }
    }
}

/// Why an amendment cannot be amended in turn (by an amendment to an amendment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAmendable {
    /// Only an amendment before the committee (submitted) is amended: a draft is its sponsors'
    /// own, one that needs an update waits for its sponsor, a decided one is closed.
    NotSubmitted(AmendmentStatus),
    /// It is itself an amendment to an amendment: the rules stop at one level.
    AmendsAnAmendment,
    /// The asker sponsors it: its sponsors edit it instead.
    OwnAmendment,
}

/// Whether an amendment in `status` may be amended by someone; `is_sub` says it is itself an
/// amendment to an amendment, `asker_sponsors` that the asker is its sponsor or a co-sponsor.
pub fn amendable(
    status: AmendmentStatus,
    is_sub: bool,
    asker_sponsors: bool,
) -> Result<(), NotAmendable> {
    if is_sub {
        Err(NotAmendable::AmendsAnAmendment)
    } else if status != AmendmentStatus::Submitted {
        Err(NotAmendable::NotSubmitted(status))
    } else if asker_sponsors {
        Err(NotAmendable::OwnAmendment)
    } else {
        Ok(())
    }
}

/// What becomes of the amendments to an amendment when the committee decides on it or its
/// sponsor withdraws it. Amendments to an amendment are voted before it (rule 90 of the UN
/// General Assembly: "when an amendment is moved to a proposal, the amendment shall be voted
/// on first"), so the committee may only decide on an amendment once no amendment to it is
/// before the committee (`Err` with those still waiting). A withdrawal takes the ones before the
/// committee along (`Ok` with those that lapse). Drafts never lapse: a draft is its sponsors'
/// own, and a lapsed amendment is public; a draft to a closed amendment can no longer be
/// submitted ([`submittable_under`]).
pub fn before_deciding<I: Copy>(
    step: Step,
    subs: &[(I, AmendmentStatus)],
) -> Result<Vec<I>, Vec<I>> {
    let waiting: Vec<I> = subs
        .iter()
        .filter(|(_, s)| matches!(s, AmendmentStatus::Submitted | AmendmentStatus::NeedsUpdate))
        .map(|(i, _)| *i)
        .collect();
    match step {
        Step::Accept | Step::Reject if !waiting.is_empty() => Err(waiting),
        Step::Withdraw => Ok(waiting),
        Step::Accept | Step::Reject | Step::Edit | Step::Submit => Ok(Vec::new()),
    }
}

/// Whether an amendment to an amendment may be submitted while the amendment it amends is in
/// `amended`: only while that one is pending (not decided, not withdrawn).
pub fn submittable_under(amended: AmendmentStatus) -> bool {
    amended.is_pending()
}

/// Whether `person` may see an amendment in `status` sponsored by `sponsor` with
/// `co_sponsors`: a draft only its sponsor and co-sponsors; anything else every reader.
pub fn visible_to(
    status: AmendmentStatus,
    sponsor: PersonId,
    co_sponsors: &[PersonId],
    person: Option<PersonId>,
) -> bool {
    status != AmendmentStatus::Draft
        || person.is_some_and(|p| p == sponsor || co_sponsors.contains(&p))
}

/// Where the declaration stands (`declarations.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationStatus {
    /// Its working draft is being amended.
    Drafting,
    /// A version is adopted; the text can no longer change.
    Adopted,
    /// The adopted text is public.
    Published,
}

impl DeclarationStatus {
    pub const ALL: [DeclarationStatus; 3] = [
        DeclarationStatus::Drafting,
        DeclarationStatus::Adopted,
        DeclarationStatus::Published,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationStatus::Drafting => "drafting",
            DeclarationStatus::Adopted => "adopted",
            DeclarationStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<DeclarationStatus> {
        DeclarationStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    /// In words, capitalised ("Drafting").
    pub fn label(self) -> &'static str {
        match self {
            DeclarationStatus::Drafting => "Drafting",
            DeclarationStatus::Adopted => "Adopted",
            DeclarationStatus::Published => "Published",
        }
    }
}

/// How a version of the declaration came about (`declaration_versions.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionSource {
    /// A committee edit made on the current version (also the first version).
    DirectEdit,
    /// A committee edit written against an older version and merged onto the current one.
    MergedEdit,
    /// An accepted amendment (its `amendment_id` is set).
    MergedAmendment,
    /// Written from outside the application (an import).
    #[serde(rename = "import")]
    Imported,
}

impl VersionSource {
    pub const ALL: [VersionSource; 4] = [
        VersionSource::DirectEdit,
        VersionSource::MergedEdit,
        VersionSource::MergedAmendment,
        VersionSource::Imported,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionSource::DirectEdit => "direct_edit",
            VersionSource::MergedEdit => "merged_edit",
            VersionSource::MergedAmendment => "merged_amendment",
            VersionSource::Imported => "import",
        }
    }

    pub fn parse(s: &str) -> Option<VersionSource> {
        VersionSource::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Where a stored value comes from when no version of the application wrote it: outside.
    pub fn read(s: &str) -> VersionSource {
        VersionSource::parse(s).unwrap_or(VersionSource::Imported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_binds_from_its_moment_on_and_not_the_committee() {
        assert_eq!(past_deadline(None, 10, false), None);
        assert_eq!(past_deadline(Some(10), 9, false), None);
        assert_eq!(past_deadline(Some(10), 10, false), Some(10));
        assert_eq!(past_deadline(Some(10), 11, false), Some(10));
        assert_eq!(past_deadline(Some(10), 11, true), None);
    }

    #[test]
    fn states_keep_their_stored_strings_on_the_wire() {
        for s in AmendmentStatus::ALL {
            assert_eq!(AmendmentStatus::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        for s in DeclarationStatus::ALL {
            assert_eq!(DeclarationStatus::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        for s in VersionSource::ALL {
            assert_eq!(VersionSource::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(AmendmentStatus::parse("accepted-ish"), None);
    }

    #[test]
    fn the_state_machine_allows_only_its_steps() {
        use AmendmentStatus::*;
        assert_eq!(Draft.step(Step::Submit), Ok(Submitted));
        assert_eq!(
            NeedsUpdate.step(Step::Submit),
            Err(StepRefused::NeedsUpdate)
        );
        assert_eq!(
            Submitted.step(Step::Submit),
            Err(StepRefused::WrongState {
                from: Submitted,
                to: Submitted
            })
        );
        for s in [Draft, Submitted, NeedsUpdate] {
            assert_eq!(s.step(Step::Withdraw), Ok(Withdrawn));
            assert_eq!(s.step(Step::Edit), Ok(s));
        }
        for s in [Accepted, AcceptedWithModification, Rejected, Withdrawn] {
            assert_eq!(s.step(Step::Edit), Err(StepRefused::NotEditable(s)));
            assert_eq!(
                s.step(Step::Withdraw),
                Err(StepRefused::WrongState {
                    from: s,
                    to: Withdrawn
                })
            );
            assert_eq!(
                s.step(Step::Reject),
                Err(StepRefused::WrongState {
                    from: s,
                    to: Rejected
                })
            );
        }
        assert_eq!(Submitted.step(Step::Reject), Ok(Rejected));
        assert_eq!(NeedsUpdate.step(Step::Reject), Ok(Rejected));
        assert_eq!(Submitted.step(Step::Accept), Ok(Accepted));
        assert_eq!(
            NeedsUpdate.step(Step::Accept),
            Err(StepRefused::NeedsUpdate)
        );
        assert_eq!(
            Draft.step(Step::Accept),
            Err(StepRefused::WrongState {
                from: Draft,
                to: Accepted
            })
        );
    }

    #[test]
    fn a_draft_is_seen_by_its_sponsors_only() {
        use AmendmentStatus::*;
        let p = PersonId;
        assert!(visible_to(Draft, p(1), &[p(2)], Some(p(1))));
        assert!(visible_to(Draft, p(1), &[p(2)], Some(p(2))));
        assert!(!visible_to(Draft, p(1), &[p(2)], Some(p(3))));
        assert!(!visible_to(Draft, p(1), &[p(2)], None));
        for s in AmendmentStatus::ALL.into_iter().filter(|s| *s != Draft) {
            assert!(visible_to(s, p(1), &[], None), "{s:?}");
        }
    }

    #[test]
    fn an_amendment_to_an_amendment_only_amends_one_before_the_committee() {
        use AmendmentStatus::*;
        assert_eq!(amendable(Submitted, false, false), Ok(()));
        for s in AmendmentStatus::ALL.into_iter().filter(|s| *s != Submitted) {
            assert_eq!(
                amendable(s, false, false),
                Err(NotAmendable::NotSubmitted(s))
            );
        }
        assert_eq!(
            amendable(Submitted, true, false),
            Err(NotAmendable::AmendsAnAmendment)
        );
        assert_eq!(
            amendable(Submitted, false, true),
            Err(NotAmendable::OwnAmendment)
        );
    }

    #[test]
    fn amendments_to_an_amendment_are_decided_first_and_drafts_stay_private() {
        use AmendmentStatus::*;
        let subs = [
            (1, Draft),
            (2, Submitted),
            (3, NeedsUpdate),
            (4, Accepted),
            (5, Rejected),
        ];
        assert_eq!(before_deciding(Step::Accept, &subs), Err(vec![2, 3]));
        assert_eq!(before_deciding(Step::Reject, &subs), Err(vec![2, 3]));
        // drafts stay their sponsors' own: they never lapse (a lapsed amendment is public)
        assert_eq!(before_deciding(Step::Withdraw, &subs), Ok(vec![2, 3]));
        let decided = [(1, Draft), (4, Accepted), (6, Lapsed)];
        assert_eq!(before_deciding(Step::Accept, &decided), Ok(vec![]));
        assert_eq!(before_deciding(Step::Edit, &subs), Ok(vec![]));
        assert!(submittable_under(Submitted) && submittable_under(NeedsUpdate));
        assert!(!submittable_under(Withdrawn) && !submittable_under(Accepted));
    }
}
