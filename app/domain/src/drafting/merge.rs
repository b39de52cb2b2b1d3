//! Line-based three-way merge with the semantics of `git merge-file`: see [`merge3`].
//!
//! A re-implementation, on our own line ids, of the procedure of git's xdiff (`xdl_merge` at
//! `git merge-file`'s default level, `XDL_MERGE_ZEALOUS_ALNUM`, no `--diff3`), step by step, so
//! that results agree byte for byte; `tests/drafting_git.rs` checks that against git itself.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::linediff::changed_lines;
use super::tokens::Interner;

/// The result of a three-way merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MergeOutcome {
    /// Every change of both sides merged: the merged text.
    Clean(String),
    /// At least one conflict.
    Conflict(Conflict),
}

/// A merge that needs a person: the conflicting regions and the whole text with git-style
/// conflict markers (`<<<<<<< ours`, `=======`, `>>>>>>> theirs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The conflicts, in document order; as many as `git merge-file` counts.
    pub regions: Vec<ConflictRegion>,
    /// The merged text with each conflict between markers, as `git merge-file -p -L ours
    /// -L base -L theirs` prints it.
    pub with_markers: String,
}

/// One conflict. `ours` and `theirs` are the lines that differ (whole lines, with their line
/// ends). `base` is the common-ancestor text of the changes that collided; it can be wider than
/// the lines in conflict, since a conflict is shrunk to the lines where the sides differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRegion {
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

/// A broken invariant of the merge engine: a defect in the engine, never the input's fault.
/// The merge refuses rather than give a wrong text (a release build checks as a debug one
/// does), and the write that asked for it is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the merge engine's invariant broke: {0}")]
pub struct MergeFault(pub &'static str);

impl MergeOutcome {
    /// The merged text if the merge is clean.
    pub fn clean(&self) -> Option<&str> {
        match self {
            MergeOutcome::Clean(text) => Some(text),
            MergeOutcome::Conflict(_) => None,
        }
    }
}

/// Three-way merge of `ours` and `theirs`, both derived from `base`, with the semantics of
/// `git merge-file -p -L ours -L base -L theirs ours base theirs`: the same clean/conflict
/// verdict, the same number of conflicts (git's exit code) and the same text, byte for byte.
///
/// 1. Both sides are diffed line by line against the base (Myers, making xdiff's choices among
///    equally short scripts), and each script is *compacted*: every group of changed lines is
///    slid as far down as equal lines allow, unless it can line up with a change on the other
///    side, and groups that touch are joined. This makes hunks canonical (deleting a paragraph
///    deletes it with the blank line *after* it; the last one, with the blank line before it).
/// 2. The two hunk lists are walked together. A hunk that ends strictly before the other side's
///    next hunk starts (in base lines) is taken as is. Hunks that overlap **or touch** (one ends
///    on the base line where the other starts, which includes two insertions at the same place)
///    form a conflict, unless they are the very same change. So two edits of neighbouring
///    paragraphs merge (the blank line between keeps them apart), but an edit of a paragraph
///    and the deletion of the one before it conflict.
/// 3. Each conflict is *refined*: the two sides' lines are diffed against each other and only
///    the lines that differ stay in conflict (lines both sides wrote alike are taken once). A
///    conflict whose sides turn out identical is clean.
/// 4. Conflicts with at most three lines between them, or with only lines without any ASCII
///    letter or digit between them (blank lines, `---`), are joined into one.
///
/// If one side did not change the base at all, the result is the other side verbatim. In
/// [`Conflict::with_markers`], conflicts are marked `<<<<<<< ours`, `=======`, `>>>>>>> theirs`
/// (7 characters); a side's last line without a newline gets one inside the markers, and CRLF
/// documents get CRLF markers, as git does. Very costly diffs (over 256 edits in one stretch)
/// are cut short by xdiff's heuristics, here too, so big rewrites stay fast and still agree.
///
/// Every step checks the invariants it relies on; a broken one is a [`MergeFault`], never a
/// silently wrong text.
pub fn merge3(base: &str, ours: &str, theirs: &str) -> Result<MergeOutcome, MergeFault> {
    let mut interner = Interner::default();
    let base = Side::new(base, &mut interner);
    let ours = Side::new(ours, &mut interner);
    let theirs = Side::new(theirs, &mut interner);
    let script_ours = line_script(&base.ids, &ours.ids)?;
    let script_theirs = line_script(&base.ids, &theirs.ids)?;
    merge_scripts(&base, &ours, &script_ours, &theirs, &script_theirs)
}

/// A document cut into lines (each with its terminator, as xdiff's records) and their ids.
pub(crate) struct Side<'a> {
    pub(crate) text: &'a str,
    pub(crate) lines: Vec<&'a str>,
    pub(crate) ids: Vec<u32>,
}

impl<'a> Side<'a> {
    pub(crate) fn new(text: &'a str, interner: &mut Interner<'a>) -> Side<'a> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let ids = interner.ids(&lines);
        Side { text, lines, ids }
    }

    /// Like [`Side::new`] but leaves the interner as it is (see [`Interner::ids_overlay`]), for a
    /// text that is mostly `like` (an amendment of it, whose lines `interner` knows): the lines it shares with `like` at its start and its end take their
    /// ids from `like` after a byte comparison, and only the lines between are looked up. So a
    /// rebase of an amendment that changes one paragraph of a long text hashes that paragraph,
    /// not the text.
    pub(crate) fn overlay_like(
        text: &'a str,
        like: &Side<'_>,
        interner: &Interner<'_>,
    ) -> Side<'a> {
        let (a, b) = (text.as_bytes(), like.text.as_bytes());
        let (p, s) = crate::common_ends::common_byte_ends(a, b);
        let mut lines: Vec<&'a str> = Vec::with_capacity(like.lines.len() + 4);
        // the start: `like`'s lines wholly within the common bytes are this text's lines too
        let mut at = 0;
        for l in &like.lines {
            // (a last line without its line end is a line here only if the text ends there)
            if at + l.len() > p || !(l.ends_with('\n') || at + l.len() == a.len()) {
                break;
            }
            lines.push(&text[at..at + l.len()]);
            at += l.len();
        }
        let head = lines.len();
        // the end: `like`'s last lines wholly within the common end bytes, each starting a line
        // in this text too (after a line end, or at its start), after the lines taken above
        let mut tail = 0;
        let (mut end_like, mut end_text) = (b.len(), a.len());
        for l in like.lines[head..].iter().rev() {
            let len = l.len();
            if b.len() - (end_like - len) > s || end_text < at + len {
                break;
            }
            let start = end_text - len;
            if start > 0 && a[start - 1] != b'\n' {
                break;
            }
            end_like -= len;
            end_text = start;
            tail += 1;
        }
        lines.extend(text[at..end_text].split_inclusive('\n'));
        let middle = lines.len();
        let mut ids = Vec::with_capacity(middle + tail);
        ids.extend_from_slice(&like.ids[..head]);
        ids.extend(interner.ids_overlay(&lines[head..middle]));
        let n = like.lines.len();
        for k in 0..tail {
            let l = like.lines[n - tail + k];
            let start = end_text;
            end_text += l.len();
            lines.push(&text[start..end_text]);
        }
        ids.extend_from_slice(&like.ids[n - tail..]);
        Side { text, lines, ids }
    }

    fn join(&self, range: Range<usize>) -> Result<String, MergeFault> {
        Ok(span(&self.lines, range.start, range.end)?.concat())
    }
}

/// One hunk of a line edit script (xdiff's `xdchange_t`): lines `i1..i1 + chg1` of the old
/// file became lines `i2..i2 + chg2` of the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hunk {
    pub(crate) i1: usize,
    pub(crate) chg1: usize,
    pub(crate) i2: usize,
    pub(crate) chg2: usize,
}

/// Changed-line flags of one file, with a `false` sentinel before the first and after the last
/// line (xdiff's `rchg`): `changed[i + 1]` is line `i`.
struct Flags<'a> {
    ids: &'a [u32],
    changed: Vec<bool>,
}

impl Flags<'_> {
    fn n(&self) -> usize {
        self.ids.len()
    }
    /// Whether line `i` (`0..=n`, `n` being the sentinel) is changed.
    fn at(&self, i: usize) -> bool {
        self.changed[i + 1]
    }
    /// Whether line `i - 1` is changed (`false` for `i == 0`).
    fn before(&self, i: usize) -> bool {
        self.changed[i]
    }
    fn set(&mut self, i: usize, value: bool) {
        self.changed[i + 1] = value;
    }
}

/// A group of changed lines `start..end`; empty (`start == end`) when the file has no change
/// at that place.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

impl Group {
    fn first(f: &Flags<'_>) -> Group {
        let mut end = 0;
        while f.at(end) {
            end += 1;
        }
        Group { start: 0, end }
    }

    /// Moves to the next group; `false` at the end of the file.
    fn next(&mut self, f: &Flags<'_>) -> bool {
        if self.end == f.n() {
            return false;
        }
        self.start = self.end + 1;
        self.end = self.start;
        while f.at(self.end) {
            self.end += 1;
        }
        true
    }

    /// Moves to the previous group; `false` at the start of the file.
    fn previous(&mut self, f: &Flags<'_>) -> bool {
        if self.start == 0 {
            return false;
        }
        self.end = self.start - 1;
        self.start = self.end;
        while f.before(self.start) {
            self.start -= 1;
        }
        true
    }

    /// Slides the group one line down if the line after it equals its first line, joining a
    /// group it then touches.
    fn slide_down(&mut self, f: &mut Flags<'_>) -> bool {
        if self.end < f.n() && f.ids[self.start] == f.ids[self.end] {
            f.set(self.start, false);
            self.start += 1;
            f.set(self.end, true);
            self.end += 1;
            while f.at(self.end) {
                self.end += 1;
            }
            true
        } else {
            false
        }
    }

    /// Slides the group one line up if the line before it equals its last line, joining a group
    /// it then touches.
    fn slide_up(&mut self, f: &mut Flags<'_>) -> bool {
        if self.start > 0 && f.ids[self.start - 1] == f.ids[self.end - 1] {
            self.start -= 1;
            f.set(self.start, true);
            self.end -= 1;
            f.set(self.end, false);
            while f.before(self.start) {
                self.start -= 1;
            }
            true
        } else {
            false
        }
    }
}

/// `xdl_change_compact` without the indent heuristic (which `git merge-file` does not turn on).
fn compact(f: &mut Flags<'_>, other: &Flags<'_>) -> Result<(), MergeFault> {
    let mut g = Group::first(f);
    let mut go = Group::first(other);
    loop {
        if g.end != g.start {
            let mut earliest_end;
            let mut end_matching_other;
            loop {
                let size = g.end - g.start;
                end_matching_other = None;
                while g.slide_up(f) {
                    if !go.previous(other) {
                        return Err(MergeFault("group sync broken sliding up"));
                    }
                }
                earliest_end = g.end;
                if go.end > go.start {
                    end_matching_other = Some(g.end);
                }
                while g.slide_down(f) {
                    if !go.next(other) {
                        return Err(MergeFault("group sync broken sliding down"));
                    }
                    if go.end > go.start {
                        end_matching_other = Some(g.end);
                    }
                }
                if size == g.end - g.start {
                    break;
                }
            }
            if g.end != earliest_end && end_matching_other.is_some() {
                while go.end == go.start {
                    if !g.slide_up(f) || !go.previous(other) {
                        return Err(MergeFault("match disappeared"));
                    }
                }
            }
        }
        if !g.next(f) {
            return Ok(());
        }
        if !go.next(other) {
            return Err(MergeFault("group sync broken moving to next group"));
        }
    }
}

/// The compacted line edit script from `old` to `new`: the xdiff-compatible Myers diff of
/// [`super::linediff`], compacted both ways, then cut into hunks.
pub(crate) fn line_script(old: &[u32], new: &[u32]) -> Result<Vec<Hunk>, MergeFault> {
    let (changed_old, changed_new) = changed_lines(old, new);
    let with_sentinels = |changed: Vec<bool>| {
        let mut flags = Vec::with_capacity(changed.len() + 2);
        flags.push(false);
        flags.extend(changed);
        flags.push(false);
        flags
    };
    let mut f1 = Flags {
        ids: old,
        changed: with_sentinels(changed_old),
    };
    let mut f2 = Flags {
        ids: new,
        changed: with_sentinels(changed_new),
    };
    compact(&mut f1, &f2)?;
    compact(&mut f2, &f1)?;

    let mut script = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (n1, n2) = (f1.n(), f2.n());
    while i < n1 || j < n2 {
        if i < n1 && j < n2 && !f1.at(i) && !f2.at(j) {
            i += 1;
            j += 1;
            continue;
        }
        let (s1, s2) = (i, j);
        while i < n1 && f1.at(i) {
            i += 1;
        }
        while j < n2 && f2.at(j) {
            j += 1;
        }
        if (i, j) == (s1, s2) {
            // unchanged lines left on one side only: cannot happen for a valid script
            return Err(MergeFault("unbalanced edit script"));
        }
        script.push(Hunk {
            i1: s1,
            chg1: i - s1,
            i2: s2,
            chg2: j - s2,
        });
    }
    Ok(script)
}

/// What a merged region takes (xdiff's `xdmerge_t.mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Conflict,
    Ours,
    Theirs,
    /// A conflict whose sides turned out identical: nothing to do, ours is copied.
    Same,
}

/// A region of the merge (xdiff's `xdmerge_t`): base lines `i0..i0 + chg0`, our lines
/// `i1..i1 + chg1`, their lines `i2..i2 + chg2`. Signed, as xdiff computes offsets.
#[derive(Clone, Copy, Debug)]
struct Region {
    mode: Mode,
    i0: isize,
    chg0: isize,
    i1: isize,
    chg1: isize,
    i2: isize,
    chg2: isize,
}

/// `xdl_append_merge`: a region that touches or overlaps the previous one is folded into it
/// (becoming a conflict if they take different sides).
fn append(regions: &mut Vec<Region>, r: Region) {
    if let Some(m) = regions.last_mut() {
        if r.i1 <= m.i1 + m.chg1 || r.i2 <= m.i2 + m.chg2 {
            if r.mode != m.mode {
                m.mode = Mode::Conflict;
            }
            m.chg0 = r.i0 + r.chg0 - m.i0;
            m.chg1 = r.i1 + r.chg1 - m.i1;
            m.chg2 = r.i2 + r.chg2 - m.i2;
            return;
        }
    }
    regions.push(r);
}

/// `lines[start..end]`; a range outside the lines (the indices are right by construction) is a
/// broken invariant, not a panic and not a silently shorter text.
fn span<'s, 'a>(
    lines: &'s [&'a str],
    start: usize,
    end: usize,
) -> Result<&'s [&'a str], MergeFault> {
    lines
        .get(start..end)
        .ok_or(MergeFault("a line range outside the text"))
}

/// A region's offset as an index: a negative one is a broken invariant.
fn u(i: isize) -> Result<usize, MergeFault> {
    usize::try_from(i).map_err(|_| MergeFault("a negative line offset"))
}

fn s(i: usize) -> isize {
    isize::try_from(i).unwrap_or(isize::MAX)
}

/// The merge proper, given both sides' compacted scripts against `base` (`xdl_merge` and
/// `xdl_do_merge`). Ids must come from one interner.
pub(crate) fn merge_scripts(
    base: &Side<'_>,
    ours: &Side<'_>,
    script1: &[Hunk],
    theirs: &Side<'_>,
    script2: &[Hunk],
) -> Result<MergeOutcome, MergeFault> {
    if script1.is_empty() {
        return Ok(MergeOutcome::Clean(theirs.text.to_owned()));
    }
    if script2.is_empty() {
        return Ok(MergeOutcome::Clean(ours.text.to_owned()));
    }
    let mut regions: Vec<Region> = Vec::new();
    let (mut p1, mut p2) = (0, 0);
    while p1 < script1.len() && p2 < script2.len() {
        let x1 = script1[p1];
        let x2 = script2[p2];
        let (a1, c1, b1, d1) = (s(x1.i1), s(x1.chg1), s(x1.i2), s(x1.chg2));
        let (a2, c2, b2, d2) = (s(x2.i1), s(x2.chg1), s(x2.i2), s(x2.chg2));
        if a1 + c1 < a2 {
            append(
                &mut regions,
                Region {
                    mode: Mode::Ours,
                    i0: a1,
                    chg0: c1,
                    i1: b1,
                    chg1: d1,
                    i2: b2 - a2 + a1,
                    chg2: c1,
                },
            );
            p1 += 1;
            continue;
        }
        if a2 + c2 < a1 {
            append(
                &mut regions,
                Region {
                    mode: Mode::Theirs,
                    i0: a2,
                    chg0: c2,
                    i1: b1 - a1 + a2,
                    chg1: c2,
                    i2: b2,
                    chg2: d2,
                },
            );
            p2 += 1;
            continue;
        }
        let same = a1 == a2
            && c1 == c2
            && d1 == d2
            && ours.ids.get(x1.i2..x1.i2 + x1.chg2) == theirs.ids.get(x2.i2..x2.i2 + x2.chg2);
        if !same {
            let off = a1 - a2;
            let ffo = off + c1 - c2;
            let (mut i0, mut i1, mut i2) = (a1, b1, b2);
            if off > 0 {
                i0 -= off;
                i1 -= off;
            } else {
                i2 += off;
            }
            let mut chg0 = a1 + c1 - i0;
            let mut chg1 = b1 + d1 - i1;
            let mut chg2 = b2 + d2 - i2;
            if ffo < 0 {
                chg0 -= ffo;
                chg1 -= ffo;
            } else {
                chg2 += ffo;
            }
            append(
                &mut regions,
                Region {
                    mode: Mode::Conflict,
                    i0,
                    chg0,
                    i1,
                    chg1,
                    i2,
                    chg2,
                },
            );
        }
        let end1 = a1 + c1;
        let end2 = a2 + c2;
        if end1 >= end2 {
            p2 += 1;
        }
        if end2 >= end1 {
            p1 += 1;
        }
    }
    let (n0, n1, n2) = (
        s(base.lines.len()),
        s(ours.lines.len()),
        s(theirs.lines.len()),
    );
    for x in &script1[p1..] {
        append(
            &mut regions,
            Region {
                mode: Mode::Ours,
                i0: s(x.i1),
                chg0: s(x.chg1),
                i1: s(x.i2),
                chg1: s(x.chg2),
                i2: s(x.i1) + n2 - n0,
                chg2: s(x.chg1),
            },
        );
    }
    for x in &script2[p2..] {
        append(
            &mut regions,
            Region {
                mode: Mode::Theirs,
                i0: s(x.i1),
                chg0: s(x.chg1),
                i1: s(x.i1) + n1 - n0,
                chg1: s(x.chg1),
                i2: s(x.i2),
                chg2: s(x.chg2),
            },
        );
    }
    let regions = simplify(ours, refine(ours, theirs, regions)?)?;
    output(base, ours, theirs, &regions)
}

/// `xdl_refine_conflicts`: shrinks each conflict to the lines where the sides differ.
fn refine(
    ours: &Side<'_>,
    theirs: &Side<'_>,
    regions: Vec<Region>,
) -> Result<Vec<Region>, MergeFault> {
    let mut out = Vec::with_capacity(regions.len());
    for mut m in regions {
        if m.mode != Mode::Conflict || m.chg1 == 0 || m.chg2 == 0 {
            out.push(m);
            continue;
        }
        let (Some(a), Some(b)) = (
            ours.ids.get(u(m.i1)?..u(m.i1 + m.chg1)?),
            theirs.ids.get(u(m.i2)?..u(m.i2 + m.chg2)?),
        ) else {
            return Err(MergeFault("a conflict outside the text"));
        };
        let script = line_script(a, b)?;
        if script.is_empty() {
            m.mode = Mode::Same;
            out.push(m);
            continue;
        }
        for x in script {
            out.push(Region {
                mode: Mode::Conflict,
                i1: m.i1 + s(x.i1),
                chg1: s(x.chg1),
                i2: m.i2 + s(x.i2),
                chg2: s(x.chg2),
                // the base of the whole collision (xdiff leaves it unset here)
                ..m
            });
        }
    }
    Ok(out)
}

/// `xdl_simplify_non_conflicts` at the `ZEALOUS_ALNUM` level: joins conflicts separated by at
/// most three lines, or by lines without any ASCII letter or digit.
fn simplify(ours: &Side<'_>, mut regions: Vec<Region>) -> Result<Vec<Region>, MergeFault> {
    let mut k = 0;
    while k + 1 < regions.len() {
        let (m, next) = (regions[k], regions[k + 1]);
        let begin = m.i1 + m.chg1;
        let end = next.i1;
        let gap_has_alnum = span(&ours.lines, u(begin)?, u(end)?)?
            .iter()
            .any(|l| l.bytes().any(|b| b.is_ascii_alphanumeric()));
        if m.mode != Mode::Conflict
            || next.mode != Mode::Conflict
            || (end - begin > 3 && gap_has_alnum)
        {
            k += 1;
        } else {
            let joined = &mut regions[k];
            joined.chg1 = next.i1 + next.chg1 - m.i1;
            joined.chg2 = next.i2 + next.chg2 - m.i2;
            joined.chg0 = (next.i0 + next.chg0).max(m.i0 + m.chg0) - m.i0;
            regions.remove(k + 1);
        }
    }
    Ok(regions)
}

/// xdiff's `is_eol_crlf`: 1 if line `i` ends in CRLF (for a last line without one, the line
/// before decides), 0 if in LF, -1 if it cannot be told.
fn eol_crlf(lines: &[&str], i: usize) -> i8 {
    let crlf = |line: &str| i8::from(line.ends_with("\r\n"));
    if lines.is_empty() {
        return -1;
    }
    if i + 1 < lines.len() {
        return crlf(lines[i]);
    }
    let Some(line) = lines.get(i) else { return -1 };
    if line.ends_with('\n') {
        return crlf(line);
    }
    if i == 0 {
        return -1;
    }
    crlf(lines[i - 1])
}

/// xdiff's `is_cr_needed`: whether conflict markers (and an added final newline) use CRLF.
fn cr_needed(base: &Side<'_>, ours: &Side<'_>, theirs: &Side<'_>, m: &Region) -> bool {
    let before = |i: isize| usize::try_from(i - 1).unwrap_or(0);
    let mut needs = eol_crlf(&ours.lines, before(m.i1));
    if needs != 0 {
        needs = eol_crlf(&theirs.lines, before(m.i2));
    }
    if needs != 0 {
        needs = eol_crlf(&base.lines, 0);
    }
    needs > 0
}

/// Appends lines; with `add_nl`, ends them with a line end if the last one has none.
fn copy_lines(out: &mut String, lines: &[&str], needs_cr: bool, add_nl: bool) {
    for line in lines {
        out.push_str(line);
    }
    if add_nl {
        if let Some(last) = lines.last() {
            if !last.ends_with('\n') {
                if needs_cr {
                    out.push('\r');
                }
                out.push('\n');
            }
        }
    }
}

const MARKER_OURS: &str = "<<<<<<< ours";
const MARKER_MID: &str = "=======";
const MARKER_THEIRS: &str = ">>>>>>> theirs";

/// `xdl_fill_merge_buffer` without `favor`: the merged text, with markers around conflicts.
fn output(
    base: &Side<'_>,
    ours: &Side<'_>,
    theirs: &Side<'_>,
    regions: &[Region],
) -> Result<MergeOutcome, MergeFault> {
    let mut out = String::with_capacity(ours.text.len() + theirs.text.len() / 8);
    let mut conflicts = Vec::new();
    let mut i = 0usize;
    let eol = |out: &mut String, cr: bool| {
        if cr {
            out.push('\r');
        }
        out.push('\n');
    };
    for m in regions {
        let (i1, e1) = (u(m.i1)?, u(m.i1 + m.chg1)?);
        let (i2, e2) = (u(m.i2)?, u(m.i2 + m.chg2)?);
        match m.mode {
            Mode::Same => continue,
            Mode::Ours => copy_lines(&mut out, span(&ours.lines, i, e1)?, false, false),
            Mode::Theirs => {
                copy_lines(&mut out, span(&ours.lines, i, i1)?, false, false);
                copy_lines(&mut out, span(&theirs.lines, i2, e2)?, false, false);
            }
            Mode::Conflict => {
                let cr = cr_needed(base, ours, theirs, m);
                copy_lines(&mut out, span(&ours.lines, i, i1)?, false, false);
                out.push_str(MARKER_OURS);
                eol(&mut out, cr);
                copy_lines(&mut out, span(&ours.lines, i1, e1)?, cr, true);
                out.push_str(MARKER_MID);
                eol(&mut out, cr);
                copy_lines(&mut out, span(&theirs.lines, i2, e2)?, cr, true);
                out.push_str(MARKER_THEIRS);
                eol(&mut out, cr);
                conflicts.push(ConflictRegion {
                    base: base.join(u(m.i0)?..u(m.i0 + m.chg0)?)?,
                    ours: ours.join(i1..e1)?,
                    theirs: theirs.join(i2..e2)?,
                });
            }
        }
        i = e1;
    }
    copy_lines(
        &mut out,
        span(&ours.lines, i, ours.lines.len())?,
        false,
        false,
    );
    Ok(if conflicts.is_empty() {
        MergeOutcome::Clean(out)
    } else {
        MergeOutcome::Conflict(Conflict {
            regions: conflicts,
            with_markers: out,
        })
    })
}

#[cfg(test)]
mod overlay_tests {
    use super::*;
    use proptest::prelude::*;

    fn texts() -> impl Strategy<Value = (String, String)> {
        let line = prop::sample::select(vec![
            "a\n",
            "b\n",
            "\n",
            "long line of words\n",
            "a",
            "c\r\n",
        ]);
        (
            prop::collection::vec(line.clone(), 0..30),
            prop::collection::vec(
                (0usize..30, prop::collection::vec(line, 0..3), 0usize..3),
                0..4,
            ),
        )
            .prop_map(|(base, edits)| {
                let mut other = base.clone();
                for (at, put, remove) in edits {
                    let at = at.min(other.len());
                    let end = (at + remove).min(other.len());
                    other.splice(at..end, put);
                }
                (base.concat(), other.concat())
            })
    }

    proptest! {
        /// A text read like another has the lines it would have on its own, and two lines get
        /// one id exactly when they are equal.
        #[test]
        fn overlay_reads_the_lines_it_would_alone((base, text) in texts()) {
            let mut interner = Interner::default();
            let like = Side::new(&base, &mut interner);
            let side = Side::overlay_like(&text, &like, &interner);
            let alone: Vec<&str> = text.split_inclusive('\n').collect();
            prop_assert_eq!(&side.lines, &alone);
            prop_assert_eq!(side.ids.len(), side.lines.len());
            for (i, x) in side.lines.iter().enumerate() {
                for (j, y) in like.lines.iter().enumerate() {
                    prop_assert_eq!(side.ids[i] == like.ids[j], x == y);
                }
                for (j, y) in side.lines.iter().enumerate() {
                    prop_assert_eq!(side.ids[i] == side.ids[j], x == y);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m3(base: &str, ours: &str, theirs: &str) -> MergeOutcome {
        merge3(base, ours, theirs).expect("no fault")
    }

    fn script(a: &str, b: &str) -> Vec<(usize, usize, usize, usize)> {
        let mut interner = Interner::default();
        let a = Side::new(a, &mut interner);
        let b = Side::new(b, &mut interner);
        line_script(&a.ids, &b.ids)
            .expect("no fault")
            .into_iter()
            .map(|h| (h.i1, h.chg1, h.i2, h.chg2))
            .collect()
    }

    #[test]
    fn deleting_a_paragraph_takes_the_blank_line_after_it() {
        // A _ B _ C -> A _ C: lines 2..4 ("B", blank) go, whichever way Myers found it
        assert_eq!(script("A\n\nB\n\nC\n", "A\n\nC\n"), vec![(2, 2, 2, 0)]);
        // the last paragraph goes with the blank line before it
        assert_eq!(script("A\n\nB\n", "A\n"), vec![(1, 2, 1, 0)]);
    }

    #[test]
    fn inserted_paragraph_slides_down() {
        assert_eq!(script("A\n\nB\n", "A\n\nX\n\nB\n"), vec![(2, 0, 2, 2)]);
    }

    #[test]
    fn no_change_on_one_side_gives_the_other_verbatim() {
        assert_eq!(m3("a\n", "a\n", "b"), MergeOutcome::Clean("b".into()));
        assert_eq!(m3("a\n", "b", "a\n"), MergeOutcome::Clean("b".into()));
        assert_eq!(m3("", "", ""), MergeOutcome::Clean(String::new()));
    }

    #[test]
    fn changes_to_different_paragraphs_merge() {
        let base = "P1\n\nP2\n\nP3\n";
        let ours = "P1 changed\n\nP2\n\nP3\n";
        let theirs = "P1\n\nP2\n\nP3 changed\n";
        assert_eq!(
            m3(base, ours, theirs),
            MergeOutcome::Clean("P1 changed\n\nP2\n\nP3 changed\n".into())
        );
        // neighbouring paragraphs: the blank line between keeps the hunks apart
        let theirs = "P1\n\nP2 changed\n\nP3\n";
        assert_eq!(
            m3(base, ours, theirs).clean(),
            Some("P1 changed\n\nP2 changed\n\nP3\n")
        );
    }

    #[test]
    fn identical_changes_are_clean() {
        let base = "a\n\nb\n";
        let both = "a\n\nB\n";
        assert_eq!(m3(base, both, both).clean(), Some(both));
    }

    #[test]
    fn same_paragraph_changed_differently_conflicts() {
        let base = "a\n\nb\n\nc\n";
        let out = m3(base, "a\n\nb1\n\nc\n", "a\n\nb2\n\nc\n");
        let MergeOutcome::Conflict(c) = out else {
            panic!("expected a conflict")
        };
        assert_eq!(
            c.regions,
            vec![ConflictRegion {
                base: "b\n".into(),
                ours: "b1\n".into(),
                theirs: "b2\n".into()
            }]
        );
        assert_eq!(
            c.with_markers,
            "a\n\n<<<<<<< ours\nb1\n=======\nb2\n>>>>>>> theirs\n\nc\n"
        );
    }

    #[test]
    fn adjacent_line_changes_conflict() {
        // no blank line between: the hunks touch, as in git
        let out = m3("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n");
        assert!(matches!(out, MergeOutcome::Conflict(ref c) if c.regions.len() == 1));
    }

    #[test]
    fn insertions_at_the_same_place_conflict_unless_equal() {
        let base = "a\n\nb\n";
        let ours = "a\n\nx\n\nb\n";
        let theirs = "a\n\ny\n\nb\n";
        let MergeOutcome::Conflict(c) = m3(base, ours, theirs) else {
            panic!("expected a conflict")
        };
        // refinement keeps the shared blank line out of the conflict
        assert_eq!(c.regions.len(), 1);
        assert_eq!(c.regions[0].ours, "x\n");
        assert_eq!(c.regions[0].theirs, "y\n");
        assert_eq!(c.regions[0].base, "");
        assert_eq!(m3(base, ours, ours).clean(), Some(ours));
    }

    #[test]
    fn conflict_markers_add_a_missing_final_newline() {
        let MergeOutcome::Conflict(c) = m3("a\nb", "a\nx", "a\ny") else {
            panic!("expected a conflict")
        };
        assert_eq!(
            c.with_markers,
            "a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"
        );
        assert_eq!(c.regions[0].ours, "x");
    }

    #[test]
    fn crlf_documents_get_crlf_markers() {
        let MergeOutcome::Conflict(c) = m3("a\r\nb\r\n", "a\r\nx\r\n", "a\r\ny\r\n") else {
            panic!("expected a conflict")
        };
        assert_eq!(
            c.with_markers,
            "a\r\n<<<<<<< ours\r\nx\r\n=======\r\ny\r\n>>>>>>> theirs\r\n"
        );
    }

    #[test]
    fn nearby_conflicts_join_across_blank_lines() {
        let base = "a\n\nb\n\nc\n\nd\n\ne\n";
        let ours = "a1\n\nb\n\nc\n\nd\n\ne1\n";
        let theirs = "a2\n\nb\n\nc\n\nd\n\ne2\n";
        let MergeOutcome::Conflict(c) = m3(base, ours, theirs) else {
            panic!("expected a conflict")
        };
        assert_eq!(c.regions.len(), 2, "far apart: two conflicts");
        let base = "a\n\n\n\nb\n";
        let ours = "a1\n\n\n\nb1\n";
        let theirs = "a2\n\n\n\nb2\n";
        let MergeOutcome::Conflict(c) = m3(base, ours, theirs) else {
            panic!("expected a conflict")
        };
        assert_eq!(c.regions.len(), 1, "only blank lines between: joined");
        assert_eq!(c.regions[0].ours, "a1\n\n\n\nb1\n");
    }

    #[test]
    fn a_line_range_outside_the_text_is_a_fault_not_a_shorter_text() {
        let lines = ["a\n", "b\n"];
        assert_eq!(span(&lines, 0, 2).map(<[_]>::len), Ok(2));
        assert!(span(&lines, 1, 3).is_err());
        assert!(span(&lines, 2, 1).is_err());
        assert!(u(-1).is_err());
        assert_eq!(u(3), Ok(3));
    }
}
