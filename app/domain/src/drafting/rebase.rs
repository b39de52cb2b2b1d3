//! Rebasing pending amendments onto a new version of the document.

use serde::{Deserialize, Serialize};

use super::merge::{line_script, merge_scripts, Conflict, Hunk, MergeFault, MergeOutcome, Side};
use super::tokens::Interner;

/// The result of rebasing an amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RebaseOutcome {
    /// The amendment, now written against the new base.
    Clean(String),
    /// The amendment collides with what changed in the base; its author has to update it.
    /// `ours` in the conflict is the new base, `theirs` the amendment.
    NeedsUpdate(Conflict),
}

impl From<MergeOutcome> for RebaseOutcome {
    fn from(outcome: MergeOutcome) -> Self {
        match outcome {
            MergeOutcome::Clean(text) => RebaseOutcome::Clean(text),
            MergeOutcome::Conflict(conflict) => RebaseOutcome::NeedsUpdate(conflict),
        }
    }
}

/// Rebases `proposed` (written against `old_base`) onto `new_base`:
/// [`merge3`](super::merge3)`(old_base, new_base, proposed)`, so the new base's changes and
/// the amendment's are combined with `git merge-file` semantics. A [`MergeFault`] (a broken
/// invariant of the engine) refuses rather than give a wrong text.
pub fn rebase(old_base: &str, new_base: &str, proposed: &str) -> Result<RebaseOutcome, MergeFault> {
    Rebaser::new(old_base, new_base)?.rebase(proposed)
}

/// Rebases many amendments of one base onto one new base.
///
/// The base and the new base are split into lines and diffed once; each amendment then costs
/// one line diff against the base and a walk over the lines. Gives the same results as
/// [`rebase`] one by one.
pub struct Rebaser<'a> {
    interner: Interner<'a>,
    base: Side<'a>,
    new_base: Side<'a>,
    script: Vec<Hunk>,
}

impl<'a> Rebaser<'a> {
    pub fn new(old_base: &'a str, new_base: &'a str) -> Result<Rebaser<'a>, MergeFault> {
        let mut interner = Interner::default();
        let base = Side::new(old_base, &mut interner);
        let new_base = Side::new(new_base, &mut interner);
        let script = line_script(&base.ids, &new_base.ids)?;
        Ok(Rebaser {
            interner,
            base,
            new_base,
            script,
        })
    }

    /// Rebases one amendment written against the old base.
    pub fn rebase(&self, proposed: &str) -> Result<RebaseOutcome, MergeFault> {
        let proposed = Side::overlay_like(proposed, &self.base, &self.interner);
        let script = line_script(&self.base.ids, &proposed.ids)?;
        merge_scripts(&self.base, &self.new_base, &self.script, &proposed, &script)
            .map(RebaseOutcome::from)
    }
}

/// Rebases every amendment in `proposed` (all written against `old_base`) onto `new_base`,
/// in order. See [`Rebaser`]. One [`MergeFault`] refuses them all.
pub fn rebase_all<T: AsRef<str>>(
    old_base: &str,
    new_base: &str,
    proposed: &[T],
) -> Result<Vec<RebaseOutcome>, MergeFault> {
    let rebaser = Rebaser::new(old_base, new_base)?;
    proposed
        .iter()
        .map(|p| rebaser.rebase(p.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafting::merge3;

    fn rebase(old: &str, new: &str, proposed: &str) -> RebaseOutcome {
        super::rebase(old, new, proposed).expect("no fault")
    }

    const BASE: &str = "# Declaration\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n";

    #[test]
    fn amendment_elsewhere_rebases_cleanly() {
        let new_base = "# Declaration\n\nOne, amended.\n\nTwo.\n\nThree.\n\nFour.\n";
        let proposed = "# Declaration\n\nOne.\n\nTwo.\n\nThree.\n\nFour, proposed.\n";
        assert_eq!(
            rebase(BASE, new_base, proposed),
            RebaseOutcome::Clean(
                "# Declaration\n\nOne, amended.\n\nTwo.\n\nThree.\n\nFour, proposed.\n".into()
            )
        );
    }

    #[test]
    fn amendment_of_the_changed_paragraph_needs_update() {
        let new_base = BASE.replace("Two.", "Two, as merged.");
        let proposed = BASE.replace("Two.", "Two, as proposed.");
        let RebaseOutcome::NeedsUpdate(c) = rebase(BASE, &new_base, &proposed) else {
            panic!("expected a conflict")
        };
        assert_eq!(c.regions.len(), 1);
        assert_eq!(c.regions[0].ours, "Two, as merged.\n");
        assert_eq!(c.regions[0].theirs, "Two, as proposed.\n");
        assert_eq!(c.regions[0].base, "Two.\n");
    }

    #[test]
    fn unchanged_base_keeps_the_amendment() {
        let proposed = BASE.replace("Three.", "3.");
        assert_eq!(
            rebase(BASE, BASE, &proposed),
            RebaseOutcome::Clean(proposed)
        );
    }

    #[test]
    fn the_merged_amendment_itself_rebases_to_the_new_base() {
        let proposed = BASE.replace("Three.", "3.");
        assert_eq!(
            rebase(BASE, &proposed, &proposed),
            RebaseOutcome::Clean(proposed.clone())
        );
    }

    #[test]
    fn batch_equals_one_by_one() {
        let new_base = BASE.replace("One.", "1.").replace("Four.", "4.");
        let proposals = vec![
            BASE.replace("Two.", "2."),
            BASE.replace("One.", "Uno."),
            BASE.replace("Three.", "Three.\n\nThree and a half."),
            BASE.to_owned(),
            String::new(),
        ];
        let batch = rebase_all(BASE, &new_base, &proposals).expect("no fault");
        assert_eq!(batch.len(), proposals.len());
        for (p, outcome) in proposals.iter().zip(&batch) {
            assert_eq!(
                outcome,
                &RebaseOutcome::from(merge3(BASE, &new_base, p).expect("no fault"))
            );
        }
        assert!(
            matches!(batch[0], RebaseOutcome::Clean(ref t) if t.contains("1.") && t.contains("2."))
        );
        assert!(matches!(batch[1], RebaseOutcome::NeedsUpdate(_)));
        assert_eq!(batch[3], RebaseOutcome::Clean(new_base.clone()));
    }
}
