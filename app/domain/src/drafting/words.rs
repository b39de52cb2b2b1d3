//! Word-level diffs: a flat one ([`diff_words`]), a side-by-side one by paragraph
//! ([`side_by_side`]), and which base paragraphs a change touches ([`touched_paragraphs`]).

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::paragraphs::{paragraph_numbers, paragraph_ranges};
use super::tokens::{myers_ops, token_ops, Interner, Op, Tokens};

/// One step of a word diff. Concatenating the `Equal` and `Delete` texts in order gives the old
/// text; concatenating the `Equal` and `Insert` texts gives the new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffOp {
    Equal(String),
    Insert(String),
    Delete(String),
}

/// A run of the diff before it becomes [`DiffOp`]s: unchanged text, or a change (what went, what
/// came).
enum Run {
    Equal(String),
    Change { deleted: String, inserted: String },
}

/// Word-level diff of two texts.
///
/// Texts are cut into tokens: words (runs of letters and digits), runs of whitespace (ending at
/// a line end) and single punctuation characters, so `"the cat."` → `"the dog."` changes only
/// `cat` into `dog`. Lines are diffed first (Myers), then the tokens of each changed region
/// (Myers), so words only match within the paragraph they belong to and a 40,000-word
/// document diffs in milliseconds.
///
/// The result is tidied for reading: within a change, the deletion comes before the insertion;
/// an unchanged stretch on one line between two changes is folded into them when it is only
/// whitespace or no longer than the changes on either side of it (so a reworded sentence reads
/// as one replacement rather than word-by-word confetti). Adjacent ops of one kind are merged.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffOp> {
    let (old_tokens, new_tokens) = (Tokens::new(old), Tokens::new(new));
    let ops = token_ops(&old_tokens, &new_tokens);
    // tokens are consecutive slices of their text: a run of them is one slice of it
    let (old_starts, new_starts) = (old_tokens.starts(), new_tokens.starts());
    let old_text = |r: Range<usize>| &old[old_starts[r.start]..old_starts[r.end]];
    let new_text = |r: Range<usize>| &new[new_starts[r.start]..new_starts[r.end]];

    let mut runs: Vec<Run> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for op in ops {
        match op {
            Op::Equal { old, .. } => {
                if !deleted.is_empty() || !inserted.is_empty() {
                    runs.push(Run::Change {
                        deleted: std::mem::take(&mut deleted),
                        inserted: std::mem::take(&mut inserted),
                    });
                }
                runs.push(Run::Equal(old_text(old).to_owned()));
            }
            Op::Delete { old } => deleted.push_str(old_text(old)),
            Op::Insert { new } => inserted.push_str(new_text(new)),
        }
    }
    if !deleted.is_empty() || !inserted.is_empty() {
        runs.push(Run::Change { deleted, inserted });
    }
    let runs = absorb_small_equalities(runs);

    let mut out = Vec::with_capacity(runs.len() * 2);
    for run in runs {
        match run {
            Run::Equal(t) if t.is_empty() => {}
            Run::Equal(t) => match out.last_mut() {
                Some(DiffOp::Equal(prev)) => prev.push_str(&t),
                _ => out.push(DiffOp::Equal(t)),
            },
            Run::Change { deleted, inserted } => {
                if !deleted.is_empty() {
                    out.push(DiffOp::Delete(deleted));
                }
                if !inserted.is_empty() {
                    out.push(DiffOp::Insert(inserted));
                }
            }
        }
    }
    out
}

/// Folds an unchanged stretch between two changes into them when it has no line end and is
/// whitespace only or no longer (in characters) than the larger side of each neighbouring
/// change.
fn absorb_small_equalities(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    let mut iter = runs.into_iter().peekable();
    while let Some(run) = iter.next() {
        let Run::Equal(eq) = run else {
            push_change(&mut out, run);
            continue;
        };
        let weight = |d: &str, i: &str| d.chars().count().max(i.chars().count());
        let next_weight = match iter.peek() {
            Some(Run::Change { deleted, inserted }) => Some(weight(deleted, inserted)),
            _ => None,
        };
        let prev_weight = match out.last() {
            Some(Run::Change { deleted, inserted }) => Some(weight(deleted, inserted)),
            _ => None,
        };
        let absorb = match (prev_weight, next_weight) {
            (Some(p), Some(n)) => {
                !eq.contains('\n')
                    && (eq.chars().all(char::is_whitespace) || eq.chars().count() <= p.min(n))
            }
            _ => false,
        };
        if absorb {
            if let Some(Run::Change { deleted, inserted }) = out.last_mut() {
                deleted.push_str(&eq);
                inserted.push_str(&eq);
            }
        } else {
            out.push(Run::Equal(eq));
        }
    }
    out
}

/// Appends a change run, merging it into a change run before it.
fn push_change(out: &mut Vec<Run>, run: Run) {
    if let (
        Some(Run::Change { deleted, inserted }),
        Run::Change {
            deleted: d,
            inserted: i,
        },
    ) = (out.last_mut(), &run)
    {
        deleted.push_str(d);
        inserted.push_str(i);
        return;
    }
    out.push(run);
}

/// What a [`Span`] of a side-by-side cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpanKind {
    Equal,
    /// Only on the new side.
    Inserted,
    /// Only on the old side.
    Deleted,
}

/// A piece of a paragraph in a side-by-side view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub kind: SpanKind,
    pub text: String,
}

/// One paragraph on one side of a [`Row`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// 0-based index among that version's paragraphs.
    pub index: usize,
    /// Display number ([`paragraph_numbers`]); `None` for a heading.
    pub number: Option<usize>,
    /// The paragraph's text, cut into spans; they concatenate to the paragraph.
    pub spans: Vec<Span>,
}

/// A row of a side-by-side view: a paragraph of the old version next to the paragraph of the new
/// version it became. `old` is `None` for an inserted paragraph, `new` for a deleted one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub old: Option<Cell>,
    pub new: Option<Cell>,
}

/// Side-by-side view of two versions, paragraph by paragraph.
///
/// Paragraphs are aligned first (Myers over whole paragraphs). Within a run of changed
/// paragraphs, old and new paragraphs are paired by word similarity (a best monotone pairing,
/// for runs of up to 20×20 paragraphs; in order beyond that), and each pair gets a word diff;
/// paragraphs left unpaired are shown as wholly deleted or inserted.
pub fn side_by_side(old: &str, new: &str) -> Vec<Row> {
    let old_paras: Vec<&str> = paragraph_ranges(old)
        .into_iter()
        .map(|(s, e)| &old[s..e])
        .collect();
    let new_paras: Vec<&str> = paragraph_ranges(new)
        .into_iter()
        .map(|(s, e)| &new[s..e])
        .collect();
    let old_numbers = paragraph_numbers(&old_paras);
    let new_numbers = paragraph_numbers(&new_paras);
    let cell = |side_old: bool, index: usize, spans: Vec<Span>| Cell {
        index,
        number: if side_old {
            old_numbers[index]
        } else {
            new_numbers[index]
        },
        spans,
    };
    let whole = |kind: SpanKind, text: &str| {
        if text.is_empty() {
            Vec::new()
        } else {
            vec![Span {
                kind,
                text: text.to_owned(),
            }]
        }
    };

    let mut interner = Interner::default();
    let a = interner.ids(&old_paras);
    let b = interner.ids(&new_paras);
    let ops = myers_ops(&a, &b, 0, 0);
    let mut rows = Vec::new();
    for region in regions(&ops, old_paras.len(), new_paras.len()) {
        match region {
            Region::Equal(o, n) => {
                for (i, j) in o.zip(n) {
                    rows.push(Row {
                        old: Some(cell(true, i, whole(SpanKind::Equal, old_paras[i]))),
                        new: Some(cell(false, j, whole(SpanKind::Equal, new_paras[j]))),
                    });
                }
            }
            Region::Change(o, n) => {
                for pair in pair_paragraphs(&old_paras, o, &new_paras, n) {
                    rows.push(match pair {
                        (Some(i), Some(j)) => {
                            let (os, ns) = split_spans(diff_words(old_paras[i], new_paras[j]));
                            Row {
                                old: Some(cell(true, i, os)),
                                new: Some(cell(false, j, ns)),
                            }
                        }
                        (Some(i), None) => Row {
                            old: Some(cell(true, i, whole(SpanKind::Deleted, old_paras[i]))),
                            new: None,
                        },
                        (None, Some(j)) => Row {
                            old: None,
                            new: Some(cell(false, j, whole(SpanKind::Inserted, new_paras[j]))),
                        },
                        (None, None) => continue,
                    });
                }
            }
        }
    }
    rows
}

/// The old side's and the new side's spans of a word diff.
fn split_spans(ops: Vec<DiffOp>) -> (Vec<Span>, Vec<Span>) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for op in ops {
        match op {
            DiffOp::Equal(text) => {
                old.push(Span {
                    kind: SpanKind::Equal,
                    text: text.clone(),
                });
                new.push(Span {
                    kind: SpanKind::Equal,
                    text,
                });
            }
            DiffOp::Delete(text) => old.push(Span {
                kind: SpanKind::Deleted,
                text,
            }),
            DiffOp::Insert(text) => new.push(Span {
                kind: SpanKind::Inserted,
                text,
            }),
        }
    }
    (old, new)
}

/// Paragraph runs of an alignment: equal, or changed (possibly empty on one side).
enum Region {
    Equal(Range<usize>, Range<usize>),
    Change(Range<usize>, Range<usize>),
}

/// Groups an edit script into alternating equal and change regions.
fn regions(ops: &[Op], old_len: usize, new_len: usize) -> Vec<Region> {
    let mut out = Vec::new();
    let (mut o, mut n) = (0, 0);
    for op in ops {
        if let Op::Equal { old, new } = op {
            if o < old.start || n < new.start {
                out.push(Region::Change(o..old.start, n..new.start));
            }
            out.push(Region::Equal(old.clone(), new.clone()));
            (o, n) = (old.end, new.end);
        }
    }
    if o < old_len || n < new_len {
        out.push(Region::Change(o..old_len, n..new_len));
    }
    out
}

/// Largest run of changed paragraphs (per side) paired by similarity; longer runs pair in order.
const MAX_PAIRING: usize = 20;
/// Paragraphs less similar than this (Dice coefficient over their words) are not paired.
const MIN_SIMILARITY: f64 = 0.3;

/// Word multiset of a paragraph.
fn word_bag(text: &str) -> HashMap<&str, usize> {
    let mut bag = HashMap::new();
    for token in super::tokens::tokenize(text) {
        if token.chars().next().is_some_and(char::is_alphanumeric) {
            *bag.entry(token).or_insert(0) += 1;
        }
    }
    bag
}

/// Dice coefficient of two word multisets (1 for two paragraphs without words).
fn similarity(a: &HashMap<&str, usize>, b: &HashMap<&str, usize>) -> f64 {
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        return 1.0;
    }
    let common: usize = a
        .iter()
        .map(|(w, &n)| n.min(b.get(w).copied().unwrap_or(0)))
        .sum();
    2.0 * common as f64 / total as f64
}

/// Pairs the changed old paragraphs `o` with the changed new ones `n`, in order: each entry is
/// a pair or a paragraph left alone.
fn pair_paragraphs(
    old: &[&str],
    o: Range<usize>,
    new: &[&str],
    n: Range<usize>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let (lo, ln) = (o.len(), n.len());
    let mut out = Vec::with_capacity(lo.max(ln));
    if lo == 0 || ln == 0 || lo > MAX_PAIRING || ln > MAX_PAIRING {
        let paired = if lo > MAX_PAIRING || ln > MAX_PAIRING {
            lo.min(ln)
        } else {
            0
        };
        for k in 0..paired {
            out.push((Some(o.start + k), Some(n.start + k)));
        }
        out.extend((o.start + paired..o.end).map(|i| (Some(i), None)));
        out.extend((n.start + paired..n.end).map(|j| (None, Some(j))));
        return out;
    }
    let bags_o: Vec<_> = o.clone().map(|i| word_bag(old[i])).collect();
    let bags_n: Vec<_> = n.clone().map(|j| word_bag(new[j])).collect();
    // best[i][j]: best total similarity pairing old[i..] with new[j..]
    let mut best = vec![vec![0.0f64; ln + 1]; lo + 1];
    let mut sim = vec![vec![0.0f64; ln]; lo];
    for i in (0..lo).rev() {
        for j in (0..ln).rev() {
            let s = similarity(&bags_o[i], &bags_n[j]);
            sim[i][j] = s;
            let pair = if s >= MIN_SIMILARITY {
                s + best[i + 1][j + 1]
            } else {
                f64::MIN
            };
            best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pending_new = Vec::new();
    while i < lo || j < ln {
        if i < lo && j < ln {
            let s = sim[i][j];
            if s >= MIN_SIMILARITY && best[i][j] == s + best[i + 1][j + 1] {
                out.append(&mut pending_new);
                out.push((Some(o.start + i), Some(n.start + j)));
                i += 1;
                j += 1;
            } else if best[i][j] == best[i + 1][j] {
                out.push((Some(o.start + i), None));
                i += 1;
            } else {
                pending_new.push((None, Some(n.start + j)));
                j += 1;
            }
        } else if i < lo {
            out.push((Some(o.start + i), None));
            i += 1;
        } else {
            pending_new.push((None, Some(n.start + j)));
            j += 1;
        }
    }
    out.extend(pending_new);
    out
}

/// 0-based indices of the paragraphs of `base` that `proposed` changes, in increasing order.
///
/// Paragraphs are compared whole (Myers over paragraphs, as in [`side_by_side`]). A paragraph
/// that is deleted or rewritten (alone or together with neighbours) is touched. A paragraph
/// inserted between two base paragraphs touches both of them (only the first or last one at the
/// start or end of the document); inserted into an empty base it touches nothing. Changes in
/// the blank lines between paragraphs alone touch nothing.
///
/// This is "amends paragraph 5" (through [`paragraph_numbers`]) and the basis of
/// [`collisions`](super::collisions).
pub fn touched_paragraphs(base: &str, proposed: &str) -> Vec<usize> {
    let base_paras: Vec<&str> = paragraph_ranges(base)
        .into_iter()
        .map(|(s, e)| &base[s..e])
        .collect();
    let mut interner = Interner::default();
    let base_ids = interner.ids(&base_paras);
    touched_with(&base_ids, &interner, proposed)
}

/// [`touched_paragraphs`] against a base whose paragraph ids (from `interner`) are given.
pub(crate) fn touched_with(
    base_ids: &[u32],
    interner: &Interner<'_>,
    proposed: &str,
) -> Vec<usize> {
    let paras: Vec<&str> = paragraph_ranges(proposed)
        .into_iter()
        .map(|(s, e)| &proposed[s..e])
        .collect();
    let ids = interner.ids_overlay(&paras);
    let ops = myers_ops(base_ids, &ids, 0, 0);
    let mut touched = Vec::new();
    for region in regions(&ops, base_ids.len(), ids.len()) {
        if let Region::Change(o, _) = region {
            if o.is_empty() {
                let at = o.start;
                if at > 0 {
                    touched.push(at - 1);
                }
                if at < base_ids.len() {
                    touched.push(at);
                }
            } else {
                touched.extend(o);
            }
        }
    }
    touched.dedup();
    touched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(s: &str) -> DiffOp {
        DiffOp::Equal(s.into())
    }
    fn ins(s: &str) -> DiffOp {
        DiffOp::Insert(s.into())
    }
    fn del(s: &str) -> DiffOp {
        DiffOp::Delete(s.into())
    }

    #[test]
    fn changes_only_the_changed_word() {
        assert_eq!(
            diff_words("the cat.", "the dog."),
            vec![eq("the "), del("cat"), ins("dog"), eq(".")]
        );
    }

    #[test]
    fn empty_sides() {
        assert!(diff_words("", "").is_empty());
        assert_eq!(diff_words("", "new text\n"), vec![ins("new text\n")]);
        assert_eq!(diff_words("old\n", ""), vec![del("old\n")]);
        assert_eq!(diff_words("same", "same"), vec![eq("same")]);
    }

    #[test]
    fn punctuation_and_spacing_are_tokens() {
        assert_eq!(
            diff_words("Hello, world", "Hello; world"),
            vec![eq("Hello"), del(","), ins(";"), eq(" world")]
        );
        assert_eq!(
            diff_words("a  b", "a b"),
            vec![eq("a"), del("  "), ins(" "), eq("b")]
        );
    }

    #[test]
    fn reworded_sentence_reads_as_one_replacement() {
        assert_eq!(
            diff_words("We call on the state.", "We urge all nations."),
            vec![
                eq("We "),
                del("call on the state"),
                ins("urge all nations"),
                eq(".")
            ]
        );
    }

    #[test]
    fn huge_rewritten_paragraph_is_one_replacement() {
        // a rewrite: no sentence and no word of the old in the new but the last space
        let old = "alpha beta ".repeat(3000);
        let new = "gamma delta ".repeat(3000);
        assert_eq!(
            diff_words(&old, &new),
            vec![del(old.trim_end()), ins(new.trim_end()), eq(" ")]
        );
    }

    /// A paragraph of `n` sentences of ten words, the k-th word of each sentence numbered.
    fn long_paragraph(n: usize, stops: bool) -> Vec<String> {
        (0..n)
            .map(|i| {
                let end = if stops { "." } else { "" };
                format!(
                    "Cities shall promote learning number {i} for all citizens and residents{end} "
                )
            })
            .collect()
    }

    #[test]
    fn long_paragraphs_keep_word_granularity() {
        // 3,000 sentences (33,000 words) in one paragraph, with and without full stops: two
        // words changed far apart, a sentence inserted; only those show as changed
        for stops in [true, false] {
            let old = long_paragraph(3000, stops);
            let mut new = old.clone();
            new[100] = new[100].replace("promote", "foster");
            new[2500] = new[2500].replace("residents", "visitors");
            new.insert(1800, "An inserted sentence stands here ".to_string());
            let (old, new) = (old.concat(), new.concat());
            let ops = diff_words(&old, &new);
            let changed: Vec<&DiffOp> = ops
                .iter()
                .filter(|o| !matches!(o, DiffOp::Equal(_)))
                .collect();
            assert_eq!(
                changed,
                vec![
                    &del("promote"),
                    &ins("foster"),
                    &ins("An inserted sentence stands here "),
                    &del("residents"),
                    &ins("visitors"),
                ],
                "stops: {stops}"
            );
            // and the script gives both texts back
            let (mut a, mut b) = (String::new(), String::new());
            for o in &ops {
                match o {
                    DiffOp::Equal(t) => {
                        a.push_str(t);
                        b.push_str(t);
                    }
                    DiffOp::Delete(t) => a.push_str(t),
                    DiffOp::Insert(t) => b.push_str(t),
                }
            }
            assert_eq!((a, b), (old, new));
        }
    }

    #[test]
    fn words_do_not_match_across_paragraphs() {
        let ops = diff_words(
            "alpha beta\n\ngamma\n",
            "alpha beta\n\ndelta\n\nbeta gamma\n",
        );
        let old: String = ops
            .iter()
            .filter_map(|o| match o {
                DiffOp::Equal(t) | DiffOp::Delete(t) => Some(t.as_str()),
                DiffOp::Insert(_) => None,
            })
            .collect();
        assert_eq!(old, "alpha beta\n\ngamma\n");
        assert_eq!(ops[0], eq("alpha beta\n\n"));
    }

    #[test]
    fn side_by_side_pairs_edited_paragraphs_and_numbers_them() {
        let old = "# Title\n\nFirst point.\n\nSecond point.\n\nThird point.\n";
        let new =
            "# Title\n\nFirst point.\n\nSecond, better point.\n\nA new point.\n\nThird point.\n";
        let rows = side_by_side(old, new);
        assert_eq!(rows.len(), 5);
        let heading = rows[0].old.as_ref().map(|c| c.number);
        assert_eq!(heading, Some(None));
        let edited = &rows[2];
        let (o, n) = (edited.old.as_ref(), edited.new.as_ref());
        assert_eq!(o.map(|c| (c.index, c.number)), Some((2, Some(2))));
        assert_eq!(n.map(|c| (c.index, c.number)), Some((2, Some(2))));
        assert_eq!(
            n.map(|c| c.spans.clone()),
            Some(vec![
                Span {
                    kind: SpanKind::Equal,
                    text: "Second".into()
                },
                Span {
                    kind: SpanKind::Inserted,
                    text: ", better".into()
                },
                Span {
                    kind: SpanKind::Equal,
                    text: " point.".into()
                },
            ])
        );
        assert!(rows[3].old.is_none());
        assert_eq!(rows[3].new.as_ref().map(|c| c.number), Some(Some(3)));
        assert_eq!(rows[4].old.as_ref().map(|c| c.number), Some(Some(3)));
        assert_eq!(rows[4].new.as_ref().map(|c| c.number), Some(Some(4)));
    }

    #[test]
    fn side_by_side_pairs_by_similarity_not_position() {
        let old = "keep\n\nthe quick brown fox jumps\n\nkeep too\n";
        let new =
            "keep\n\nan entirely new paragraph here\n\nthe quick brown fox leaps\n\nkeep too\n";
        let rows = side_by_side(old, new);
        assert_eq!(rows.len(), 4);
        assert!(rows[1].old.is_none(), "the new paragraph stands alone");
        assert_eq!(rows[2].old.as_ref().map(|c| c.index), Some(1));
        assert_eq!(rows[2].new.as_ref().map(|c| c.index), Some(2));
    }

    #[test]
    fn side_by_side_of_empty_documents() {
        assert!(side_by_side("", "").is_empty());
        let rows = side_by_side("", "Only new\n");
        assert_eq!(rows.len(), 1);
        assert!(rows[0].old.is_none());
        let rows = side_by_side("Only old", "");
        assert_eq!(rows.len(), 1);
        assert!(rows[0].new.is_none());
    }

    #[test]
    fn touched_paragraphs_cases() {
        let base = "P0\n\nP1\n\nP2\n\nP3\n";
        assert!(touched_paragraphs(base, base).is_empty());
        assert_eq!(
            touched_paragraphs(base, "P0\n\nP1 edited\n\nP2\n\nP3\n"),
            vec![1]
        );
        assert_eq!(touched_paragraphs(base, "P0\n\nP2\n\nP3\n"), vec![1]);
        assert_eq!(
            touched_paragraphs(base, "P0\n\nP1\n\nNew\n\nP2\n\nP3\n"),
            vec![1, 2]
        );
        assert_eq!(
            touched_paragraphs(base, "New\n\nP0\n\nP1\n\nP2\n\nP3\n"),
            vec![0]
        );
        assert_eq!(
            touched_paragraphs(base, "P0\n\nP1\n\nP2\n\nP3\n\nNew"),
            vec![3]
        );
        assert_eq!(
            touched_paragraphs(base, "P0 x\n\nP1\n\nP2\n\nP3 y\n"),
            vec![0, 3]
        );
        // blank lines only, and no final newline: nothing touched
        assert!(touched_paragraphs(base, "P0\n\n\n\nP1\n\nP2\n\nP3").is_empty());
        assert!(touched_paragraphs("", "New\n").is_empty());
        assert_eq!(touched_paragraphs(base, ""), vec![0, 1, 2, 3]);
    }
}
