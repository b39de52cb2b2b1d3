//! Tokens, interning and the two-level (lines, then tokens) diff shared by the word diff and
//! attribution. Internal to [`crate::drafting`].

use std::collections::HashMap;
use std::convert::Infallible;
use std::ops::Range;

use similar::algorithms::{myers, DiffHook};

/// Splits a text into tokens: runs of alphanumeric characters (words), runs of whitespace that
/// end at (and include) a `\n`, and single other characters (punctuation, Markdown marks).
///
/// A token never spans a line end, so the tokens of a text are the tokens of its lines
/// (`split_inclusive('\n')`) one after the other. Concatenating the tokens gives the text back.
pub(crate) fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphanumeric() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
        } else if c.is_whitespace() && c != '\n' {
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_whitespace() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
                if d == '\n' {
                    break;
                }
            }
        }
        out.push(&text[start..end]);
    }
    out
}

/// The hasher of the engine's interners: fast on short strings (lines, words) and seeded per
/// process, so that a text written to collide cannot make the diff slow.
pub(crate) type Hasher = foldhash::fast::RandomState;

/// Maps equal strings to equal small integers, so that diffs compare integers.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    ids: HashMap<&'a str, u32, Hasher>,
}

impl<'a> Interner<'a> {
    pub(crate) fn id(&mut self, s: &'a str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(s).or_insert(next)
    }

    pub(crate) fn ids(&mut self, items: &[&'a str]) -> Vec<u32> {
        items.iter().map(|s| self.id(s)).collect()
    }

    /// Ids for `items` consistent with this interner, without changing it: strings it has not
    /// seen get fresh ids (equal strings the same one) above all of its own.
    pub(crate) fn ids_overlay(&self, items: &[&str]) -> Vec<u32> {
        let mut extra: HashMap<&str, u32, Hasher> = HashMap::default();
        let base = self.ids.len() as u32;
        items
            .iter()
            .map(|s| match self.ids.get(s) {
                Some(&id) => id,
                None => {
                    let next = base + extra.len() as u32;
                    *extra.entry(s).or_insert(next)
                }
            })
            .collect()
    }
}

/// One step of an edit script over two sequences, by index ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Equal {
        old: Range<usize>,
        new: Range<usize>,
    },
    Delete {
        old: Range<usize>,
    },
    Insert {
        new: Range<usize>,
    },
}

/// Collects similar's Myers callbacks as [`Op`]s, offset by the given starts.
struct Collect {
    old_offset: usize,
    new_offset: usize,
    ops: Vec<Op>,
}

impl DiffHook for Collect {
    type Error = Infallible;

    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) -> Result<(), Infallible> {
        let (o, n) = (self.old_offset + old_index, self.new_offset + new_index);
        self.ops.push(Op::Equal {
            old: o..o + len,
            new: n..n + len,
        });
        Ok(())
    }

    fn delete(&mut self, old_index: usize, old_len: usize, _: usize) -> Result<(), Infallible> {
        let o = self.old_offset + old_index;
        self.ops.push(Op::Delete {
            old: o..o + old_len,
        });
        Ok(())
    }

    fn insert(&mut self, _: usize, new_index: usize, new_len: usize) -> Result<(), Infallible> {
        let n = self.new_offset + new_index;
        self.ops.push(Op::Insert {
            new: n..n + new_len,
        });
        Ok(())
    }
}

/// Myers diff (similar's implementation, no deadline) of `old` and `new`, as [`Op`]s whose
/// ranges are shifted by `old_offset` and `new_offset`.
pub(crate) fn myers_ops(old: &[u32], new: &[u32], old_offset: usize, new_offset: usize) -> Vec<Op> {
    let mut hook = Collect {
        old_offset,
        new_offset,
        ops: Vec::new(),
    };
    let Ok(()) = myers::diff(&mut hook, old, 0..old.len(), new, 0..new.len());
    hook.ops
}

/// Changed regions larger than this many tokens (both sides together, after their common start
/// and end) are first cut into sentences and diffed sentence by sentence, and only the changed
/// sentences token by token: Myers costs O((n + m) * d), up to about 0.1 s at this size. A
/// changed run of sentences still larger than this is a rewrite and shown as one deletion and
/// one insertion. Regions are normally one paragraph, as the blank lines between edited
/// paragraphs are equal lines.
const MAX_TOKEN_REGION: usize = 8_000;

/// A word after which a unit of a long region may end even without a full stop, one in this
/// many by a fixed hash of the word: boundaries that depend on the text, not on positions, so
/// that an insertion does not shift every boundary after it (a paragraph of 2,000 words with
/// no full stop still falls into units of about this many words).
const UNIT_WORDS: u64 = 24;

/// A text cut into tokens, with the token index at which each of its lines starts.
pub(crate) struct Tokens<'a> {
    pub(crate) tokens: Vec<&'a str>,
    /// `lines[k]` is line `k` (with its terminator), `line_start[k]` its first token;
    /// `line_start` has one more entry than `lines`: the token count.
    pub(crate) lines: Vec<&'a str>,
    pub(crate) line_start: Vec<usize>,
}

impl<'a> Tokens<'a> {
    /// The byte offset at which each token starts in the text, and the text's length last (one
    /// entry more than tokens): tokens `a..b` are the text's bytes `starts[a]..starts[b]`.
    pub(crate) fn starts(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.tokens.len() + 1);
        let mut at = 0;
        out.push(0);
        for t in &self.tokens {
            at += t.len();
            out.push(at);
        }
        out
    }

    pub(crate) fn new(text: &'a str) -> Tokens<'a> {
        let tokens = tokenize(text);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut line_start = Vec::with_capacity(lines.len() + 1);
        line_start.push(0);
        for (i, token) in tokens.iter().enumerate() {
            if token.ends_with('\n') {
                line_start.push(i + 1);
            }
        }
        if line_start.len() == lines.len() {
            // last line without a terminator
            line_start.push(tokens.len());
        }
        Tokens {
            tokens,
            lines,
            line_start,
        }
    }
}

/// Token-level edit script from `old` to `new`: lines are diffed first (Myers), then the
/// tokens of each changed region of lines (Myers again). Equal lines give equal tokens, so a
/// word is only ever matched within the paragraph (or run of changed paragraphs) it belongs to.
/// The script only has `Equal`, `Delete` and `Insert`, in order; a change region gives its
/// deletions before its insertions wherever Myers leaves that freedom.
pub(crate) fn token_ops(old: &Tokens<'_>, new: &Tokens<'_>) -> Vec<Op> {
    let mut lines = Interner::default();
    let old_line_ids = lines.ids(&old.lines);
    let new_line_ids = lines.ids(&new.lines);
    let line_ops = myers_ops(&old_line_ids, &new_line_ids, 0, 0);

    let mut out: Vec<Op> = Vec::new();
    // lines consumed so far; whatever lies between two equal runs is one changed region
    let (mut o_line, mut n_line) = (0, 0);
    for op in line_ops {
        if let Op::Equal { old: ol, new: nl } = op {
            diff_token_region(
                old,
                new,
                old.line_start[o_line]..old.line_start[ol.start],
                new.line_start[n_line]..new.line_start[nl.start],
                &mut out,
            );
            push_op(
                &mut out,
                Op::Equal {
                    old: old.line_start[ol.start]..old.line_start[ol.end],
                    new: new.line_start[nl.start]..new.line_start[nl.end],
                },
            );
            (o_line, n_line) = (ol.end, nl.end);
        }
    }
    diff_token_region(
        old,
        new,
        old.line_start[o_line]..old.tokens.len(),
        new.line_start[n_line]..new.tokens.len(),
        &mut out,
    );
    out
}

fn diff_token_region(
    old: &Tokens<'_>,
    new: &Tokens<'_>,
    ot: Range<usize>,
    nt: Range<usize>,
    out: &mut Vec<Op>,
) {
    // the common start and end are equal whatever the region's size
    let a = &old.tokens[ot.clone()];
    let b = &new.tokens[nt.clone()];
    let (prefix, suffix) = crate::common_ends::common_ends(a, b);
    if prefix > 0 {
        push_op(
            out,
            Op::Equal {
                old: ot.start..ot.start + prefix,
                new: nt.start..nt.start + prefix,
            },
        );
    }
    let om = ot.start + prefix..ot.end - suffix;
    let nm = nt.start + prefix..nt.end - suffix;
    if om.len() + nm.len() > MAX_TOKEN_REGION && !om.is_empty() && !nm.is_empty() {
        diff_by_units(old, new, om, nm, out);
    } else {
        diff_tokens(old, new, om, nm, out);
    }
    if suffix > 0 {
        push_op(
            out,
            Op::Equal {
                old: ot.end - suffix..ot.end,
                new: nt.end - suffix..nt.end,
            },
        );
    }
}

/// Token by token (Myers), or one deletion and one insertion when the region is too large.
fn diff_tokens(
    old: &Tokens<'_>,
    new: &Tokens<'_>,
    ot: Range<usize>,
    nt: Range<usize>,
    out: &mut Vec<Op>,
) {
    if ot.len() + nt.len() > MAX_TOKEN_REGION || ot.is_empty() || nt.is_empty() {
        if !ot.is_empty() {
            push_op(out, Op::Delete { old: ot });
        }
        if !nt.is_empty() {
            push_op(out, Op::Insert { new: nt });
        }
        return;
    }
    let mut interner = Interner::default();
    let a = interner.ids(&old.tokens[ot.clone()]);
    let b = interner.ids(&new.tokens[nt.clone()]);
    for op in myers_ops(&a, &b, ot.start, nt.start) {
        push_op(out, op);
    }
}

/// A large region: cut into units (sentences, see [`units`]), diffed unit by unit, then the
/// changed runs of units token by token.
fn diff_by_units(
    old: &Tokens<'_>,
    new: &Tokens<'_>,
    ot: Range<usize>,
    nt: Range<usize>,
    out: &mut Vec<Op>,
) {
    let ua = units(&old.tokens, ot.clone());
    let ub = units(&new.tokens, nt.clone());
    let mut ids: HashMap<&[&str], u32, Hasher> = HashMap::default();
    let mut a = Vec::with_capacity(ua.len());
    for r in &ua {
        let next = ids.len() as u32;
        a.push(*ids.entry(&old.tokens[r.clone()]).or_insert(next));
    }
    let mut b = Vec::with_capacity(ub.len());
    for r in &ub {
        let next = ids.len() as u32;
        b.push(*ids.entry(&new.tokens[r.clone()]).or_insert(next));
    }
    let start =
        |units: &[Range<usize>], k: usize, end: usize| units.get(k).map_or(end, |r| r.start);
    // units consumed so far; whatever lies between two equal runs is one changed region
    let (mut oa, mut nb) = (0, 0);
    for op in myers_ops(&a, &b, 0, 0) {
        if let Op::Equal { old: o, new: n } = op {
            diff_tokens(
                old,
                new,
                start(&ua, oa, ot.end)..start(&ua, o.start, ot.end),
                start(&ub, nb, nt.end)..start(&ub, n.start, nt.end),
                out,
            );
            push_op(
                out,
                Op::Equal {
                    old: start(&ua, o.start, ot.end)..start(&ua, o.end, ot.end),
                    new: start(&ub, n.start, nt.end)..start(&ub, n.end, nt.end),
                },
            );
            (oa, nb) = (o.end, n.end);
        }
    }
    diff_tokens(
        old,
        new,
        start(&ua, oa, ot.end)..ot.end,
        start(&ub, nb, nt.end)..nt.end,
        out,
    );
}

/// Cuts `tokens[range]` into units that end after the whitespace following a full stop,
/// question or exclamation mark, semicolon or colon, or following one word in [`UNIT_WORDS`]
/// chosen by a fixed hash of the word (so a long text without full stops is cut too, at places
/// its own words decide).
fn units(tokens: &[&str], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let mut may_end = false;
    for i in range.clone() {
        let t = tokens[i];
        let first = t.chars().next();
        if first.is_some_and(char::is_whitespace) {
            if may_end {
                out.push(start..i + 1);
                start = i + 1;
            }
            may_end = false;
        } else if matches!(t, "." | "?" | "!" | ";" | ":") {
            may_end = true;
        } else if first.is_some_and(char::is_alphanumeric) {
            may_end = fnv1a(t).is_multiple_of(UNIT_WORDS);
        } else {
            may_end = false;
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

/// FNV-1a, 64 bits: a hash that is the same on every run and machine.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Appends an op, merging it into the last one when both are of the same kind.
fn push_op(out: &mut Vec<Op>, op: Op) {
    match (out.last_mut(), &op) {
        (Some(Op::Equal { old, new }), Op::Equal { old: o, new: n })
            if old.end == o.start && new.end == n.start =>
        {
            old.end = o.end;
            new.end = n.end;
        }
        (Some(Op::Delete { old }), Op::Delete { old: o }) if old.end == o.start => old.end = o.end,
        (Some(Op::Insert { new }), Op::Insert { new: n }) if new.end == n.start => new.end = n.end,
        _ => out.push(op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_whitespace_and_punctuation() {
        assert_eq!(tokenize("the cat."), vec!["the", " ", "cat", "."]);
        assert_eq!(
            tokenize("Art. 5:\n\n  **bold**"),
            vec!["Art", ".", " ", "5", ":", "\n", "\n", "  ", "*", "*", "bold", "*", "*"]
        );
        assert_eq!(tokenize("a  \r\nb"), vec!["a", "  \r\n", "b"]);
        assert_eq!(tokenize("Ünïcode wörds"), vec!["Ünïcode", " ", "wörds"]);
        assert!(tokenize("").is_empty());
    }

    #[test]
    fn line_starts_follow_line_ends() {
        let t = Tokens::new("a b\n\nc");
        assert_eq!(t.lines, vec!["a b\n", "\n", "c"]);
        assert_eq!(t.line_start, vec![0, 4, 5, 6]);
        let t = Tokens::new("a\n");
        assert_eq!(t.line_start, vec![0, 2]);
        let t = Tokens::new("");
        assert_eq!(t.line_start, vec![0]);
    }

    fn apply(old: &Tokens<'_>, new: &Tokens<'_>, ops: &[Op]) -> (String, String) {
        let mut a = String::new();
        let mut b = String::new();
        for op in ops {
            match op {
                Op::Equal { old: o, new: n } => {
                    assert_eq!(old.tokens[o.clone()], new.tokens[n.clone()]);
                    a.extend(old.tokens[o.clone()].iter().copied());
                    b.extend(new.tokens[n.clone()].iter().copied());
                }
                Op::Delete { old: o } => a.extend(old.tokens[o.clone()].iter().copied()),
                Op::Insert { new: n } => b.extend(new.tokens[n.clone()].iter().copied()),
            }
        }
        (a, b)
    }

    #[test]
    fn token_ops_cover_both_texts() {
        for (x, y) in [
            ("", ""),
            ("", "a\n"),
            ("a\n", ""),
            ("one two\n\nthree\n", "one too\n\nthree four\n\nfive"),
            ("x\ny\nz", "y\nz\nx"),
        ] {
            let (tx, ty) = (Tokens::new(x), Tokens::new(y));
            let ops = token_ops(&tx, &ty);
            assert_eq!(apply(&tx, &ty, &ops), (x.to_owned(), y.to_owned()));
        }
    }
}
