//! Paragraph labels that stay with their paragraph from version to version.
//!
//! The first version numbers its paragraphs 1, 2, 3… (headings carry no number, as in
//! [`paragraph_numbers`](super::paragraph_numbers)). Each later version carries its parent's
//! labels over: a paragraph that is kept, or changed in place, keeps its label; a deleted
//! paragraph's label is never given to another one. So an amendment, a comment or a link that
//! names "paragraph 5" keeps naming the same paragraph when others are inserted before it. At
//! adoption the text is renumbered from 1 ([`initial_labels`]).
//!
//! A new paragraph's label always reads in document order between its neighbours, by the rule
//! of parliamentary drafting (the French Assemblée's "article 2 bis A"):
//! - inserted after paragraph 4 and before 5: "4 bis", the next one "4 ter", and so on (Latin
//!   ordinals, then "4.12"); before the first paragraph: "0 bis";
//! - inserted before a paragraph that shares its number with the one before it (between "2"
//!   and "2 bis", where "2 ter" would read out of order): that paragraph's label with a capital
//!   letter, "2 bis A", then "2 bis B" (letters read before the label they hang on);
//!   before "2 bis A", "2 bis AA";
//! - where no letter is left between the two (between "2 bis A" and "2 bis B"): the earlier
//!   one's label with an ordinal, "2 bis A bis".
//!
//! Which paragraphs are kept is decided by a diff over the sequence of paragraphs; where a run
//! of paragraphs is replaced by another run, they are paired in order (changed in place) and
//! the surplus is inserted or deleted.

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::fmt;

/// How many levels a label has below its number ("2 bis A bis" has three): 24 paragraphs in a
/// row can be put before one another at one place before labels run out of levels (then the
/// new one gets the next ordinal after its number: unique, but out of order).
const DEPTH: usize = 24;
/// Letters for paragraphs inserted before a label: A (the first) to Z.
const LETTERS: i8 = 26;

/// A paragraph's label: its number and, for paragraphs inserted later, what places them
/// between their neighbours. Labels compare in document order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Label {
    pub number: u32,
    /// Below the number, level by level: `k > 0` is the k-th ordinal after (1 = bis, 2 = ter),
    /// `k < 0` a letter before (-26 = A … -1 = Z), 0 nothing (only after the last level).
    /// Comparing the arrays element by element gives the document order.
    subs: [i8; DEPTH],
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

fn letter(v: i8) -> char {
    char::from(b'A' + u8::try_from(v + LETTERS).unwrap_or(0))
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number)?;
        let subs = &self.subs[..self.depth()];
        let mut i = 0;
        while i < subs.len() {
            let v = subs[i];
            if v > 0 {
                match usize::try_from(v).ok().and_then(|k| ORDINALS.get(k - 1)) {
                    Some(word) => write!(f, " {word}")?,
                    // "4.12" after the ordinals run out; deeper, " .12"
                    None if i == 0 => write!(f, ".{}", v + 1)?,
                    None => write!(f, " .{}", v + 1)?,
                }
                i += 1;
            } else {
                f.write_str(" ")?;
                while i < subs.len() && subs[i] < 0 {
                    write!(f, "{}", letter(subs[i]))?;
                    i += 1;
                }
            }
        }
        Ok(())
    }
}

impl Label {
    pub fn plain(number: u32) -> Label {
        Label {
            number,
            subs: [0; DEPTH],
        }
    }

    /// The `k`-th paragraph inserted after paragraph `number` (`k` 1 = "bis").
    pub fn after(number: u32, k: u8) -> Label {
        let mut l = Label::plain(number);
        l.subs[0] = i8::try_from(k).unwrap_or(i8::MAX);
        l
    }

    /// This label cut to its first `depth` levels.
    fn truncate(&self, depth: usize) -> Label {
        let mut l = *self;
        for v in l.subs.iter_mut().skip(depth) {
            *v = 0;
        }
        l
    }

    /// How many levels below the number.
    fn depth(&self) -> usize {
        self.subs.iter().position(|v| *v == 0).unwrap_or(DEPTH)
    }

    /// This label with one more level (`v`: an ordinal if positive, a letter if negative);
    /// `None` when it is as deep as labels go.
    fn child(&self, v: i8) -> Option<Label> {
        let d = self.depth();
        if d == DEPTH || v == 0 {
            return None;
        }
        let mut l = *self;
        l.subs[d] = v;
        Some(l)
    }

    /// Read a label as [`Display`](fmt::Display) writes it ("4", "4 bis", "4.12",
    /// "2 bis A", "2 bis AA bis").
    pub fn parse(s: &str) -> Option<Label> {
        let s = s.trim();
        let mut tokens = s.split(' ');
        let first = tokens.next()?;
        let mut label = match first.split_once('.') {
            Some((n, k)) => {
                let k: i8 = k.parse().ok()?;
                Label::plain(n.parse().ok()?).child(k.checked_sub(1)?)?
            }
            None => Label::plain(first.parse().ok()?),
        };
        for token in tokens {
            if let Some(i) = ORDINALS.iter().position(|o| *o == token) {
                label = label.child(i8::try_from(i).ok()? + 1)?;
            } else if let Some(k) = token.strip_prefix('.') {
                let k: i8 = k.parse().ok()?;
                label = label.child(k.checked_sub(1)?)?;
            } else if !token.is_empty() && token.bytes().all(|b| b.is_ascii_uppercase()) {
                for b in token.bytes() {
                    label = label.child(i8::try_from(b - b'A').ok()? - LETTERS)?;
                }
            } else {
                return None;
            }
        }
        // one way to write each label: "4.5" is "4 quater", "2 A B" is "2 AB"
        (label.to_string() == s).then_some(label)
    }

    /// A form for addresses: "4", "4-bis".
    pub fn anchor(&self) -> String {
        self.to_string().replace([' ', '.'], "-")
    }
}

/// A label for a new paragraph between `before` and `after` (the labels around it; `None` at
/// the start or the end of the text) that no label in `used` has, reading in document order
/// between them (see the module's rule). Labels around it out of order (stored before this
/// rule) give the ordinal after `before`.
fn between(before: Option<Label>, after: Option<Label>, used: &[Label]) -> Label {
    let x = before.unwrap_or(Label::plain(0));
    let after = after.filter(|y| *y > x);
    let free = |l: &Label| !used.contains(l);
    // "4 bis", "4 ter": the next ordinal after the number
    let next_ordinal = used
        .iter()
        .filter(|l| l.number == x.number)
        .map(|l| l.subs[0])
        .chain([x.subs[0]])
        .max()
        .unwrap_or(0)
        .max(0)
        .saturating_add(1);
    let ordinal = Label::after(x.number, u8::try_from(next_ordinal).unwrap_or(u8::MAX));
    let Some(y) = after else {
        return ordinal;
    };
    if ordinal < y && free(&ordinal) {
        return ordinal;
    }
    // before `y` by a letter ("2 bis A"), or after `x` by an ordinal ("2 bis A bis"); where
    // neither fits, before `y`'s first letter, one level deeper
    // neither fits, before `y`'s first letter, one level deeper. Of the two, the shorter; the
    // ordinal when they are as long ("2 bis A bis" rather than "2 bis BA").
    let mut target = y;
    loop {
        // a letter at any level of `target` ("0 A" before "0 bis", "2 bis A" before "2 bis")
        let letter = (0..=target.depth())
            .flat_map(|d| (-LETTERS..0).filter_map(move |v| target.truncate(d).child(v)))
            .filter(|c| *c > x && *c < target && free(c))
            .min_by_key(|c| (c.depth(), *c));
        let depth = x.depth();
        let next = used
            .iter()
            .filter(|l| {
                l.number == x.number && l.depth() > depth && l.subs[..depth] == x.subs[..depth]
            })
            .map(|l| l.subs[depth])
            .max()
            .unwrap_or(0)
            .max(0)
            .saturating_add(1);
        let after_x = x.child(next).filter(|c| *c < target && free(c));
        match (letter, after_x) {
            (Some(l), Some(o)) => return if l.depth() < o.depth() { l } else { o },
            (Some(c), None) | (None, Some(c)) => return c,
            (None, None) => {}
        }
        match target.child(-LETTERS) {
            Some(t) if t > x => target = t,
            _ => return ordinal,
        }
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
    // first the paragraphs kept or changed in place (paired in order), then the new ones,
    // each between the labels around it
    let mut out: Vec<Option<Label>> = vec![None; new.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (old_range, new_range) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index..old_index + len, new_index..new_index + len),
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => continue,
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
        let mut olds = old_range.filter_map(|i| old_labels.get(i).copied().flatten());
        for j in new_range.filter(|&j| !heading[j]) {
            match olds.next() {
                Some(label) => out[j] = Some(label),
                None => break,
            }
        }
    }
    let mut last: Option<Label> = None;
    for j in 0..new.len() {
        if heading[j] {
            continue;
        }
        let label = match out[j] {
            Some(label) => label,
            None => {
                let next = out[j + 1..].iter().flatten().next().copied();
                let label = between(last, next, &used);
                used.push(label);
                out[j] = Some(label);
                label
            }
        };
        last = Some(label);
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
        let html = crate::markdown::render_draft(&p.text);
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
            ("4 bis", Label::after(4, 1)),
            ("12 quater", Label::after(12, 3)),
            ("4 undecies", Label::after(4, 10)),
            ("4.12", Label::after(4, 11)),
        ] {
            assert_eq!(l.to_string(), s);
            assert_eq!(Label::parse(s), Some(l), "{s}");
        }
        assert_eq!(Label::after(4, 1).anchor(), "4-bis");
        for bad in [
            "", "bis", "4 bogus", "4.5", "x.12", "2 A B", "2 a", "2  bis", "2 .3",
        ] {
            assert_eq!(Label::parse(bad), None, "{bad}");
        }
        // deeper labels
        for s in [
            "2 bis A",
            "2 bis AA",
            "2 bis A bis",
            "0 bis Z",
            "4.12 B ter",
            "2 bis A .12",
        ] {
            let l = Label::parse(s).unwrap_or_else(|| panic!("{s} reads"));
            assert_eq!(l.to_string(), s);
        }
    }

    #[test]
    fn twenty_four_paragraphs_put_each_before_the_last_still_read_in_order() {
        let mut text = vec!["One.".to_string()];
        let mut labels = initial_labels(&text);
        for n in 0..24 {
            let mut next = text.clone();
            next.insert(0, format!("Front {n}."));
            labels = carry_labels(&text, &labels, &next, &[]);
            text = next;
            let order: Vec<Label> = labels.iter().flatten().copied().collect();
            assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "{:?}",
                shown(&labels)
            );
        }
        assert_eq!(shown(&labels)[22..], ["0 bis A", "0 bis", "1"]);
    }

    #[test]
    fn letters_read_before_their_label_and_ordinals_after() {
        let p = |s: &str| Label::parse(s).expect("a label");
        let in_order = [
            "1",
            "1 bis",
            "2",
            "2 bis AA",
            "2 bis A",
            "2 bis A bis",
            "2 bis B",
            "2 bis",
            "2 ter",
            "3",
        ];
        for w in in_order.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn a_paragraph_between_2_and_2_bis_reads_between_them() {
        let v1 = ["Two.", "Three."];
        let l1 = carry_labels(&["Two."], &[Some(Label::plain(2))], &v1, &[]);
        assert_eq!(shown(&l1), ["2", "2 bis"]);
        // between 2 and 2 bis: not "2 ter", which reads after 2 bis
        let v2 = ["Two.", "Between.", "Three."];
        let l2 = carry_labels(&v1, &l1, &v2, &[]);
        assert_eq!(shown(&l2), ["2", "2 bis A", "2 bis"]);
        // again between 2 and 2 bis A, and between 2 bis A and 2 bis
        let v3 = ["Two.", "Before.", "Between.", "After.", "Three."];
        let l3 = carry_labels(&v2, &l2, &v3, &[]);
        assert_eq!(shown(&l3), ["2", "2 bis AA", "2 bis A", "2 bis B", "2 bis"]);
        // no letter between 2 bis A and 2 bis B: an ordinal after 2 bis A
        let v4 = [
            "Two.",
            "Before.",
            "Between.",
            "Squeezed.",
            "After.",
            "Three.",
        ];
        let l4 = carry_labels(&v3, &l3, &v4, &[]);
        assert_eq!(
            shown(&l4),
            [
                "2",
                "2 bis AA",
                "2 bis A",
                "2 bis A bis",
                "2 bis B",
                "2 bis"
            ]
        );
        // after the last one, still the ordinal rule
        let v5 = [
            "Two.",
            "Before.",
            "Between.",
            "Squeezed.",
            "After.",
            "Three.",
            "End.",
        ];
        let l5 = carry_labels(&v4, &l4, &v5, &[]);
        assert_eq!(shown(&l5).last().map(String::as_str), Some("2 ter"));
    }

    #[test]
    fn stored_labels_read_back_and_wrong_ones_give_way_to_fresh_numbers() {
        let text = "# T\n\nOne.\n\nTwo.\n";
        let labels = vec![None, Some(Label::plain(1)), Some(Label::after(1, 1))];
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
        let labels = vec![None, Some(Label::plain(1)), Some(Label::after(1, 1))];
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
        /// Paragraphs inserted again and again at the same few places (labels many levels
        /// deep), some deleted on the way: every version's labels are unique, read back as
        /// written and read in document order.
        #[test]
        fn labels_read_in_order_however_often_a_place_is_squeezed(
            steps in prop::collection::vec((0usize..4, any::<bool>()), 1..60),
        ) {
            let mut text: Vec<String> = (1..=3).map(|i| format!("Original {i}.")).collect();
            let mut labels = initial_labels(&text);
            let mut retired: Vec<Label> = Vec::new();
            for (n, (at, delete)) in steps.into_iter().enumerate() {
                let mut next_text = text.clone();
                if delete && next_text.len() > 1 {
                    next_text.remove(at.min(next_text.len() - 1));
                } else {
                    next_text.insert(at.min(next_text.len()), format!("New {n}."));
                }
                let next = carry_labels(&text, &labels, &next_text, &retired);
                let order: Vec<Label> = next.iter().flatten().copied().collect();
                prop_assert_eq!(order.len(), next_text.len());
                for w in order.windows(2) {
                    prop_assert!(w[0] < w[1], "{} before {}", w[0], w[1]);
                }
                for l in &order {
                    prop_assert!(!retired.contains(l), "label {} came back", l);
                    prop_assert_eq!(Label::parse(&l.to_string()), Some(*l));
                }
                for l in labels.iter().flatten() {
                    if !next.contains(&Some(*l)) {
                        retired.push(*l);
                    }
                }
                text = next_text;
                labels = next;
            }
        }

        /// Through any chain of versions: labels are unique within a version and read in
        /// document order, every paragraph but a heading has one, a label never comes back for
        /// another paragraph once its paragraph is gone, and a paragraph kept unchanged from
        /// one version to the next keeps its label.
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
                        // every label reads back as itself
                        prop_assert_eq!(Label::parse(&l.to_string()), Some(*l));
                    }
                }
                // labels read in document order
                let order: Vec<Label> = next.iter().flatten().copied().collect();
                for w in order.windows(2) {
                    prop_assert!(w[0] < w[1], "{} before {}", w[0], w[1]);
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
