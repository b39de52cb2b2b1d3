//! Passages of the draft that something is attached to (a comment): found by their words in
//! one version, and followed into later versions word by word, so that an edit around or
//! inside a passage keeps it in place and only deleting all of its words loses it.

use std::ops::Range;

use super::tokens::{token_ops, Op, Tokens};

/// Why a passage could not be found in a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PassageError {
    /// The text has no paragraph with this index.
    NoSuchParagraph,
    /// The passage is empty or only white space.
    Empty,
    /// The passage does not stand in the paragraph.
    NotFound,
    /// The passage stands this many times in the paragraph.
    Ambiguous(usize),
}

impl std::fmt::Display for PassageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PassageError::NoSuchParagraph => write!(f, "Choose a paragraph of the text."),
            PassageError::Empty => write!(f, "Give the words of the passage."),
            PassageError::NotFound => write!(
                f,
                "These words are not in the paragraph: copy them exactly as they stand."
            ),
            PassageError::Ambiguous(n) => write!(
                f,
                "These words stand {n} times in the paragraph: give more of the passage so that it is found once."
            ),
        }
    }
}

impl std::error::Error for PassageError {}

/// Where `passage` (trimmed) stands in paragraph `paragraph` of `text`: it must stand there
/// exactly once.
pub fn locate(text: &str, paragraph: usize, passage: &str) -> Result<Range<usize>, PassageError> {
    let (start, end) = *super::paragraphs::paragraph_ranges(text)
        .get(paragraph)
        .ok_or(PassageError::NoSuchParagraph)?;
    let passage = passage.trim();
    if passage.is_empty() {
        return Err(PassageError::Empty);
    }
    let found: Vec<usize> = text[start..end]
        .match_indices(passage)
        .map(|(i, _)| start + i)
        .collect();
    match found.as_slice() {
        [] => Err(PassageError::NotFound),
        [one] => Ok(*one..*one + passage.len()),
        many => Err(PassageError::Ambiguous(many.len())),
    }
}

/// Follows passages of one text into another.
pub struct Follower {
    /// For each token of the old text: its byte range, and the byte range of the same token in
    /// the new text when it survived.
    old: Vec<(Range<usize>, Option<Range<usize>>)>,
}

impl Follower {
    pub fn new(old: &str, new: &str) -> Follower {
        let a = Tokens::new(old);
        let b = Tokens::new(new);
        let byte_ranges = |t: &Tokens<'_>| -> Vec<Range<usize>> {
            t.starts().windows(2).map(|w| w[0]..w[1]).collect()
        };
        let ra = byte_ranges(&a);
        let rb = byte_ranges(&b);
        let mut map: Vec<Option<Range<usize>>> = vec![None; ra.len()];
        for op in token_ops(&a, &b) {
            if let Op::Equal { old, new } = op {
                for (i, j) in old.zip(new) {
                    map[i] = rb.get(j).cloned();
                }
            }
        }
        Follower {
            old: ra.into_iter().zip(map).collect(),
        }
    }

    /// Where passage `range` of the old text stands in the new one: from its first surviving
    /// token to its last (words inserted between them are part of it). `None` when none of
    /// its tokens survived.
    pub fn follow(&self, range: Range<usize>) -> Option<Range<usize>> {
        let inside = self
            .old
            .iter()
            .filter(|(r, _)| r.start < range.end && range.start < r.end);
        let mut first: Option<usize> = None;
        let mut last: Option<usize> = None;
        for (_, to) in inside {
            if let Some(to) = to {
                first.get_or_insert(to.start);
                last = Some(to.end);
            }
        }
        Some(first?..last?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_passage_is_located_once_in_its_paragraph() {
        let t = "# T\n\nWe welcome the plan.\n\nWe note the plan and the plan.\n";
        assert_eq!(&t[locate(t, 1, " welcome the ").unwrap()], "welcome the");
        assert_eq!(locate(t, 2, "the plan"), Err(PassageError::Ambiguous(2)));
        assert_eq!(locate(t, 1, "note"), Err(PassageError::NotFound));
        assert_eq!(locate(t, 3, "We"), Err(PassageError::NoSuchParagraph));
        assert_eq!(locate(t, 1, " "), Err(PassageError::Empty));
    }

    #[test]
    fn a_passage_follows_its_words() {
        let old = "1. We welcome the plan of action.\n\n2. We note it.\n";
        let r = locate(old, 0, "the plan of action").unwrap();
        // a paragraph inserted before, a word inserted inside, a word changed after
        let new =
            "0. First.\n\n1. We warmly welcome the ambitious plan of action!\n\n2. We note it.\n";
        let f = Follower::new(old, new);
        assert_eq!(
            &new[f.follow(r.clone()).unwrap()],
            "the ambitious plan of action"
        );
        // its first word deleted: it starts at the next one
        let new = "1. We welcome plan of action.\n\n2. We note it.\n";
        assert_eq!(
            &new[Follower::new(old, new).follow(r.clone()).unwrap()],
            "plan of action"
        );
        // all of it gone
        let new = "1. We welcome it.\n\n2. We note it.\n";
        assert_eq!(Follower::new(old, new).follow(r), None);
    }

    fn words() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(
            prop::sample::select(vec![
                "learning", "city", "all", "the", "of", "and", "rights", "2030",
            ])
            .prop_map(str::to_owned),
            8..60,
        )
    }

    proptest! {
        /// Edits of words outside a passage (in its paragraph or another) keep the passage:
        /// followed into the new text, it reads as it did.
        #[test]
        fn a_passage_survives_edits_around_it(
            ws in words(), from in 0usize..60, len in 1usize..6,
            edits in prop::collection::vec((0usize..60, prop::sample::select(vec!["new", "", "more words", "\n\n"])), 1..6)
        ) {
            let n = ws.len();
            let from = from % n;
            let to = (from + len).min(n);
            let text = ws.join(" ");
            let start: usize = ws[..from].iter().map(|w| w.len() + 1).sum();
            let end = start + ws[from..to].join(" ").len();
            let mut edited = ws.clone();
            // edit from the back, outside the passage (and not the words next to it, which
            // may merge with it at a paragraph break)
            let mut spots: Vec<(usize, &str)> = edits.iter().map(|(i, w)| (i % n, *w)).filter(|(i, _)| *i + 1 < from || *i > to).collect();
            spots.sort_by_key(|s| std::cmp::Reverse(s.0));
            spots.dedup_by_key(|s| s.0);
            for (i, w) in spots {
                edited[i] = w.to_owned();
            }
            let new = edited.join(" ");
            let f = Follower::new(&text, &new);
            let followed = f.follow(start..end);
            prop_assert!(followed.is_some());
            let r = followed.unwrap_or_default();
            prop_assert_eq!(&new[r], &text[start..end]);
        }
    }
}
