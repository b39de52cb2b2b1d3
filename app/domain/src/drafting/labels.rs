//! Paragraph labels that stay with their paragraph from version to version.
//!
//! The first version numbers its paragraphs 1, 2, 3… (headings carry no number, as in
//! [`paragraph_numbers`](super::paragraph_numbers)). Each later version carries its parent's
//! labels over: a paragraph that is kept, or changed in place, keeps its label; a paragraph
//! inserted after paragraph 4 is "4 bis", the next one "4 ter", and so on; a deleted paragraph's
//! label is never given to another one. So an amendment, a comment or a link that names
//! "paragraph 5" keeps naming the same paragraph when others are inserted before it. At
//! adoption the text is renumbered from 1 ([`initial_labels`]).
//!
//! Which paragraphs are kept is decided by a diff over the sequence of paragraphs; where a run
//! of paragraphs is replaced by another run, they are paired in order (changed in place) and
//! the surplus is inserted or deleted.

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::fmt;

/// A paragraph's label: its number and, for paragraphs inserted later, a Latin ordinal
/// (`sub` 1 = bis, 2 = ter, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Label {
    pub number: u32,
    pub sub: u32,
}

const ORDINALS: [&str; 10] = [
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
];

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sub {
            0 => write!(f, "{}", self.number),
            s if (s as usize) <= ORDINALS.len() => {
                write!(f, "{} {}", self.number, ORDINALS[s as usize - 1])
            }
            s => write!(f, "{}.{}", self.number, s + 1),
        }
    }
}

impl Label {
    pub fn plain(number: u32) -> Label {
        Label { number, sub: 0 }
    }

    /// Read a label as [`Display`](fmt::Display) writes it ("4", "4 bis", "4.12").
    pub fn parse(s: &str) -> Option<Label> {
        let s = s.trim();
        if let Some((n, rest)) = s.split_once(' ') {
            let i = ORDINALS.iter().position(|o| *o == rest.trim())?;
            return Some(Label {
                number: n.parse().ok()?,
                sub: i as u32 + 1,
            });
        }
        if let Some((n, k)) = s.split_once('.') {
            let k: u32 = k.parse().ok()?;
            if (k as usize) <= ORDINALS.len() + 1 {
                return None;
            }
            return Some(Label {
                number: n.parse().ok()?,
                sub: k - 1,
            });
        }
        Some(Label::plain(s.parse().ok()?))
    }

    /// A form for addresses: "4", "4-bis".
    pub fn anchor(&self) -> String {
        self.to_string().replace([' ', '.'], "-")
    }
}

/// Labels for a text numbered afresh: 1, 2, 3… for the paragraphs that are not headings.
pub fn initial_labels<S: AsRef<str>>(paragraphs: &[S]) -> Vec<Option<Label>> {
    super::paragraph_numbers(paragraphs)
        .into_iter()
        .map(|n| n.map(|n| Label::plain(n as u32)))
        .collect()
}

/// The labels of `new`, a later version of `old` whose labels are `old_labels`. `retired`
/// holds labels of paragraphs deleted in earlier versions (any label used before may be
/// passed): none of them is given to a new paragraph.
pub fn carry_labels<S: AsRef<str>, T: AsRef<str>>(
    old: &[S],
    old_labels: &[Option<Label>],
    new: &[T],
    retired: &[Label],
) -> Vec<Option<Label>> {
    let old_keys: Vec<&str> = old.iter().map(|p| p.as_ref().trim_end()).collect();
    let new_keys: Vec<&str> = new.iter().map(|p| p.as_ref().trim_end()).collect();
    let heading: Vec<bool> = new.iter().map(|p| super::is_heading(p.as_ref())).collect();
    // the parent's labels and the retired ones stay reserved, so a deleted paragraph's label is
    // never given to another paragraph
    let mut used: Vec<Label> = old_labels
        .iter()
        .flatten()
        .chain(retired)
        .copied()
        .collect();
    let mut out: Vec<Option<Label>> = vec![None; new.len()];
    let mut last: Option<Label> = None;

    let fresh = |after: Option<Label>, used: &mut Vec<Label>| -> Label {
        let number = after.map_or(0, |l| l.number);
        let sub = used
            .iter()
            .filter(|l| l.number == number)
            .map(|l| l.sub)
            .max()
            .map_or(1, |s| s + 1);
        let label = Label { number, sub };
        used.push(label);
        label
    };

    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (old_range, new_range) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index..old_index + len, new_index..new_index + len),
            DiffOp::Delete { .. } => continue,
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        // paired in order: kept or changed in place
        let mut olds = old_range.filter(|&i| old_labels.get(i).copied().flatten().is_some());
        for j in new_range {
            if heading[j] {
                continue;
            }
            let label = match olds.next() {
                Some(i) => old_labels[i].unwrap_or_else(|| fresh(last, &mut used)),
                None => fresh(last, &mut used),
            };
            out[j] = Some(label);
            last = Some(label);
        }
    }
    out
}

/// The labels of a version as stored with it: one entry per paragraph, joined by commas, `-`
/// for a heading: `-,1,2,2 bis,3`. A text without paragraphs gives the empty string.
pub fn encode_labels(labels: &[Option<Label>]) -> String {
    labels
        .iter()
        .map(|l| l.map_or_else(|| "-".to_owned(), |l| l.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads what [`encode_labels`] wrote; `None` when anything in it is not a label.
pub fn decode_labels(s: &str) -> Option<Vec<Option<Label>>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(',')
        .map(|part| match part {
            "-" => Some(None),
            l => Label::parse(l).map(Some),
        })
        .collect()
}

/// Whether `labels` fit the paragraphs of a text: one per paragraph, and none on a heading.
fn fits<S: AsRef<str>>(paragraphs: &[S], labels: &[Option<Label>]) -> bool {
    labels.len() == paragraphs.len()
        && paragraphs
            .iter()
            .zip(labels)
            .all(|(p, l)| l.is_none() == super::is_heading(p.as_ref()))
}

/// The labels of `text`, as stored with it (`stored`, written by [`encode_labels`]); the text
/// numbered afresh when nothing fitting was stored.
pub fn stored_labels(text: &str, stored: &str) -> Vec<Option<Label>> {
    let paras = super::paragraphs(text);
    match decode_labels(stored) {
        Some(labels) if fits(&paras, &labels) => labels,
        _ => initial_labels(&paras),
    }
}

/// The labels of `new`, a later version of `old` whose labels are `old_labels` (see
/// [`carry_labels`], over whole texts). Labels that do not fit `old` are replaced by a fresh
/// numbering of it first.
pub fn next_labels(
    old: &str,
    old_labels: &[Option<Label>],
    new: &str,
    retired: &[Label],
) -> Vec<Option<Label>> {
    let old_paras = super::paragraphs(old);
    let new_paras = super::paragraphs(new);
    if fits(&old_paras, old_labels) {
        carry_labels(&old_paras, old_labels, &new_paras, retired)
    } else {
        carry_labels(&old_paras, &initial_labels(&old_paras), &new_paras, retired)
    }
}

/// The declaration's Markdown as HTML with each paragraph's label beside it: every paragraph
/// (headings without a label) rendered on its own by [`render_safe`](crate::markdown::render_safe).
/// With `anchors`, a labelled paragraph has the id `para-4-bis`, so that a link can point at
/// it. Labels that do not fit the text are replaced by a fresh numbering.
pub fn labelled_html(markdown: &str, labels: &[Option<Label>], anchors: bool) -> String {
    let paras = super::paragraphs(markdown);
    let fresh;
    let labels = if fits(&paras, labels) {
        labels
    } else {
        fresh = initial_labels(&paras);
        &fresh
    };
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    for (p, l) in paras.iter().zip(labels) {
        let html = crate::markdown::render_safe(&p.text);
        match l {
            Some(l) => {
                if anchors {
                    out.push_str(r#"<div class="para" id="para-"#);
                    out.push_str(&l.anchor());
                    out.push_str(r#"">"#);
                } else {
                    out.push_str(r#"<div class="para">"#);
                }
                out.push_str(r#"<span class="para-number">"#);
                out.push_str(&l.to_string());
                out.push_str(r#"</span><div class="para-body">"#);
                out.push_str(&html);
                out.push_str("</div></div>");
            }
            None => out.push_str(&html),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(labels: &[Option<Label>]) -> Vec<String> {
        labels
            .iter()
            .map(|l| l.map_or("-".to_string(), |l| l.to_string()))
            .collect()
    }

    #[test]
    fn inserted_paragraphs_are_bis_and_ter_and_the_rest_keep_their_numbers() {
        let v1 = ["# Title", "One.", "Two.", "Three.", "Four.", "Five."];
        let l1 = initial_labels(&v1);
        assert_eq!(shown(&l1), ["-", "1", "2", "3", "4", "5"]);

        let v2 = [
            "# Title", "One.", "Two.", "Three.", "Four.", "New A.", "Five.",
        ];
        let l2 = carry_labels(&v1, &l1, &v2, &[]);
        assert_eq!(shown(&l2), ["-", "1", "2", "3", "4", "4 bis", "5"]);

        // another after 4 bis, a paragraph changed in place, one deleted
        let v3 = [
            "# Title",
            "One, changed.",
            "Three.",
            "Four.",
            "New A.",
            "New B.",
            "Five.",
        ];
        let l3 = carry_labels(&v2, &l2, &v3, &[]);
        assert_eq!(shown(&l3), ["-", "1", "3", "4", "4 bis", "4 ter", "5"]);

        // paragraph 2 is gone: a new paragraph in its place does not take its number
        let v4 = [
            "# Title",
            "One, changed.",
            "Instead of two.",
            "Three.",
            "Four.",
            "New A.",
            "New B.",
            "Five.",
        ];
        let l4 = carry_labels(&v3, &l3, &v4, &[]);
        assert_eq!(
            shown(&l4),
            ["-", "1", "1 bis", "3", "4", "4 bis", "4 ter", "5"]
        );

        // before the first paragraph, and a new heading (no number)
        let v5 = [
            "# Title",
            "## Preamble",
            "Opening words.",
            "One, changed.",
            "Instead of two.",
            "Three.",
            "Four.",
            "New A.",
            "New B.",
            "Five.",
        ];
        let l5 = carry_labels(&v4, &l4, &v5, &[]);
        assert_eq!(
            shown(&l5),
            ["-", "-", "0 bis", "1", "1 bis", "3", "4", "4 bis", "4 ter", "5"]
        );
        // adoption renumbers
        assert_eq!(
            shown(&initial_labels(&v5)),
            ["-", "-", "1", "2", "3", "4", "5", "6", "7", "8"]
        );

        // 4 ter is deleted; a later insertion after 4 bis does not take its label
        let v6 = ["# Title", "Four.", "New A.", "Five."];
        let l6 = carry_labels(&v5, &l5, &v6, &[]);
        assert_eq!(shown(&l6), ["-", "4", "4 bis", "5"]);
        let retired: Vec<Label> = l5
            .iter()
            .flatten()
            .filter(|l| !l6.contains(&Some(**l)))
            .copied()
            .collect();
        let v7 = ["# Title", "Four.", "New A.", "Newer.", "Five."];
        let l7 = carry_labels(&v6, &l6, &v7, &retired);
        assert_eq!(shown(&l7), ["-", "4", "4 bis", "4 quater", "5"]);
    }

    #[test]
    fn labels_read_back_as_written() {
        for (s, l) in [
            ("4", Label::plain(4)),
            ("4 bis", Label { number: 4, sub: 1 }),
            ("12 quater", Label { number: 12, sub: 3 }),
            ("4 undecies", Label { number: 4, sub: 10 }),
            ("4.12", Label { number: 4, sub: 11 }),
        ] {
            assert_eq!(l.to_string(), s);
            assert_eq!(Label::parse(s), Some(l), "{s}");
        }
        assert_eq!(Label { number: 4, sub: 1 }.anchor(), "4-bis");
        for bad in ["", "bis", "4 bogus", "4.5", "x.12"] {
            assert_eq!(Label::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn stored_labels_read_back_and_wrong_ones_give_way_to_fresh_numbers() {
        let text = "# T\n\nOne.\n\nTwo.\n";
        let labels = vec![
            None,
            Some(Label::plain(1)),
            Some(Label { number: 1, sub: 1 }),
        ];
        let stored = encode_labels(&labels);
        assert_eq!(stored, "-,1,1 bis");
        assert_eq!(decode_labels(&stored), Some(labels.clone()));
        assert_eq!(stored_labels(text, &stored), labels);
        assert_eq!(decode_labels(""), Some(vec![]));
        assert_eq!(decode_labels("1,x"), None);
        // too few, or a label on the heading: numbered afresh
        for wrong in ["", "1,2", "1,2,3", "garbage"] {
            assert_eq!(
                shown(&stored_labels(text, wrong)),
                ["-", "1", "2"],
                "{wrong}"
            );
        }
    }

    #[test]
    fn labelled_html_shows_labels_and_anchors_and_stays_safe() {
        let text = "# T\n\nOne.\n\nTwo <script>alert(1)</script>.\n";
        let labels = vec![
            None,
            Some(Label::plain(1)),
            Some(Label { number: 1, sub: 1 }),
        ];
        let html = labelled_html(text, &labels, true);
        assert!(
            html.contains(
                r#"<div class="para" id="para-1-bis"><span class="para-number">1 bis</span>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"id="para-1""#));
        assert!(!html.contains("<script"), "{html}");
        assert!(!labelled_html(text, &labels, false).contains("id="));
        // next version: a paragraph inserted after 1 bis
        let v2 = "# T\n\nOne.\n\nTwo <script>alert(1)</script>.\n\nThree.\n";
        let l2 = next_labels(text, &labels, v2, &[]);
        assert_eq!(shown(&l2), ["-", "1", "1 bis", "1 ter"]);
    }

    fn doc() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(
            prop_oneof![
                4 => (0u8..30).prop_map(|i| format!("Paragraph {i}.")),
                1 => (0u8..5).prop_map(|i| format!("## Heading {i}")),
            ],
            0..25,
        )
    }

    proptest! {
        /// Through any chain of versions: labels are unique within a version, every paragraph
        /// but a heading has one, a label never comes back for another paragraph once its
        /// paragraph is gone, and a paragraph kept unchanged from one version to the next
        /// keeps its label.
        #[test]
        fn labels_stay_with_their_paragraphs(versions in prop::collection::vec(doc(), 1..6)) {
            let mut labels = initial_labels(&versions[0]);
            let mut retired: Vec<Label> = Vec::new();
            for pair in versions.windows(2) {
                let (old, new) = (&pair[0], &pair[1]);
                let next = carry_labels(old, &labels, new, &retired);
                prop_assert_eq!(next.len(), new.len());
                let mut seen = std::collections::HashSet::new();
                for (p, l) in new.iter().zip(&next) {
                    prop_assert_eq!(l.is_none(), crate::drafting::is_heading(p));
                    if let Some(l) = l {
                        prop_assert!(seen.insert(*l), "label {} twice", l);
                        prop_assert!(!retired.contains(l), "label {} came back", l);
                    }
                }
                // unchanged paragraphs (by the diff's own matching) keep their labels
                let ok: Vec<&str> = old.iter().map(|s| s.trim_end()).collect();
                let nk: Vec<&str> = new.iter().map(|s| s.trim_end()).collect();
                for op in capture_diff_slices(Algorithm::Myers, &ok, &nk) {
                    if let DiffOp::Equal { old_index, new_index, len } = op {
                        for k in 0..len {
                            prop_assert_eq!(next[new_index + k], labels[old_index + k]);
                        }
                    }
                }
                for l in labels.iter().flatten() {
                    if !next.contains(&Some(*l)) {
                        retired.push(*l);
                    }
                }
                labels = next;
            }
        }
    }
}

/// The label of the paragraph of `text` at `offset` (a byte offset, as a caret's), given the
/// text's labels (one per paragraph, as [`next_labels`] gives them): the paragraph the offset is
/// in, or, between paragraphs, the one before it. `None` before the first paragraph or on a
/// heading.
pub fn label_at(text: &str, offset: usize, labels: &[Option<Label>]) -> Option<Label> {
    let ranges = super::paragraphs::paragraph_ranges(text);
    let index = ranges.iter().rposition(|(start, _)| *start <= offset)?;
    labels.get(index).copied().flatten()
}

#[cfg(test)]
mod label_at_tests {
    use super::*;

    #[test]
    fn the_caret_names_its_paragraph() {
        let text = "# Title\n\nFirst one.\n\nSecond\nline.\n";
        let labels = vec![None, Some(Label::plain(1)), Some(Label::plain(2))];
        assert_eq!(label_at(text, 0, &labels), None, "the heading");
        let second = text.find("line").unwrap();
        assert_eq!(label_at(text, second, &labels), Some(Label::plain(2)));
        let first = text.find("First").unwrap();
        assert_eq!(label_at(text, first + 3, &labels), Some(Label::plain(1)));
        // on the blank line after the first paragraph: still the first
        assert_eq!(label_at(text, first + 11, &labels), Some(Label::plain(1)));
        assert_eq!(label_at(text, text.len(), &labels), Some(Label::plain(2)));
        assert_eq!(label_at("", 0, &[]), None);
    }
}
