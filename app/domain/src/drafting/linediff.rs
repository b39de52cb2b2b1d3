//! A line diff that makes the same choices as git's xdiff (Myers, the default algorithm of
//! `git merge-file`), for [`merge3`](super::merge3).
//!
//! Myers' algorithm finds *a* shortest edit script, and there are often several. Compaction
//! (sliding hunks, see `merge.rs`) makes equivalent ones identical, but not all of them are
//! equivalent: with repeated lines (blank lines, `---`, repeated list items) two shortest scripts
//! can pair different lines, and then a merge can be clean with one and conflicting with the
//! other. similar's Myers and xdiff's break such ties differently (measured: 16 of 600 random
//! paragraph-level merges came out different from git, 5 of them clean on one side and
//! conflicting on the other), so the merge uses this diff, which follows xdiff's procedure:
//!
//! 1. Common leading and trailing lines are set aside.
//! 2. Lines of one side that never occur in the other are changed, full stop; lines that occur
//!    in the other side at least about √n times are dropped too when they sit inside a run of
//!    such unmatched lines (xdiff's `xdl_cleanup_records`). The rest is diffed.
//! 3. The rest is diffed by Myers' divide and conquer on the middle snake, scanning diagonals
//!    from the highest down, preferring a deletion on ties, and splitting where the forward and
//!    backward paths first meet (`xdl_split`), with xdiff's cut-offs for very costly diffs (a
//!    good-enough split after cost 256 when a 20-line snake was seen, and the furthest-reaching
//!    path beyond √(size) or 256), so even big rewrites diff in near-linear time.
//!
//! The result is a changed flag per line of each side, before compaction.

/// Longest snake that counts as "good" for the cost heuristics.
const SNAKE_CNT: isize = 20;
/// Cost above which the good-snake heuristic may cut the search short.
const HEUR_MIN_COST: isize = 256;
/// Lower bound of the cost at which the search settles for the furthest-reaching path.
const MAX_COST_MIN: isize = 256;
/// Factor of the good-snake heuristic.
const K_HEUR: isize = 4;
/// Cap on the "occurs often" threshold of step 2.
const MAX_EQLIMIT: usize = 1024;
/// Window (lines each way) of the run scan of step 2.
const SIMSCAN_WINDOW: usize = 100;
/// A frequent line inside a run is dropped when the run has more than this many times as
/// many lines as frequent ones.
const KPDIS_RUN: usize = 4;

/// xdiff's rough square root: 2^ceil(bits/2).
fn rough_sqrt(mut n: usize) -> usize {
    let mut i = 1;
    while n > 0 {
        i <<= 1;
        n >>= 2;
    }
    i
}

/// How a line of one side relates to the other side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Does not occur on the other side.
    Unmatched,
    /// Occurs a few times on the other side.
    Matched,
    /// Occurs often on the other side.
    Frequent,
}

/// Whether the frequent line `i` sits in a run of unmatched and frequent lines with few enough
/// frequent ones that it is better dropped (xdiff's `xdl_clean_mmatch`). `lo..=hi` bounds the
/// scan.
fn drop_frequent(kinds: &[Kind], i: usize, lo: usize, hi: usize) -> bool {
    let lo = lo.max(i.saturating_sub(SIMSCAN_WINDOW));
    let hi = hi.min(i + SIMSCAN_WINDOW);
    let (mut unmatched_before, mut frequent_before) = (0, 1);
    for j in (lo..i).rev() {
        match kinds[j] {
            Kind::Unmatched => unmatched_before += 1,
            Kind::Frequent => frequent_before += 1,
            Kind::Matched => break,
        }
    }
    if unmatched_before == 0 {
        return false;
    }
    let (mut unmatched_after, mut frequent_after) = (0, 1);
    for kind in kinds.iter().take(hi + 1).skip(i + 1) {
        match kind {
            Kind::Unmatched => unmatched_after += 1,
            Kind::Frequent => frequent_after += 1,
            Kind::Matched => break,
        }
    }
    if unmatched_after == 0 {
        return false;
    }
    let unmatched = unmatched_before + unmatched_after;
    let frequent = frequent_before + frequent_after;
    frequent * KPDIS_RUN < frequent + unmatched
}

/// The lines of one side that take part in Myers (`lines[k]` is the index of the k-th such
/// line, `ids[k]` its id); the others in `lo..hi` are marked in `changed`.
fn kept_lines(
    ids: &[u32],
    other_count: &[u32],
    lo: usize,
    hi: usize,
    changed: &mut [bool],
) -> (Vec<u32>, Vec<usize>) {
    let limit = rough_sqrt(ids.len()).min(MAX_EQLIMIT);
    let kinds: Vec<Kind> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            if i < lo || i >= hi {
                return Kind::Unmatched; // outside the scanned range, as xdiff's zeroed array
            }
            match other_count.get(id as usize).copied().unwrap_or(0) as usize {
                0 => Kind::Unmatched,
                n if n >= limit => Kind::Frequent,
                _ => Kind::Matched,
            }
        })
        .collect();
    let mut kept_ids = Vec::with_capacity(hi - lo);
    let mut kept_index = Vec::with_capacity(hi - lo);
    for i in lo..hi {
        let keep = match kinds[i] {
            Kind::Matched => true,
            Kind::Frequent => !drop_frequent(&kinds, i, lo, hi - 1),
            Kind::Unmatched => false,
        };
        if keep {
            kept_ids.push(ids[i]);
            kept_index.push(i);
        } else {
            changed[i] = true;
        }
    }
    (kept_ids, kept_index)
}

/// Changed flags for every line of `a` and of `b` (ids: equal lines, equal ids).
pub(crate) fn changed_lines(a: &[u32], b: &[u32]) -> (Vec<bool>, Vec<bool>) {
    let mut changed_a = vec![false; a.len()];
    let mut changed_b = vec![false; b.len()];

    // 1. common ends
    let (prefix, suffix) = crate::common_ends::common_ends(a, b);
    let (hi_a, hi_b) = (a.len() - suffix, b.len() - suffix);

    // 2. occurrence counts over the whole sides, then the lines worth diffing
    let max_id = a
        .iter()
        .chain(b)
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut count_a = vec![0u32; max_id];
    let mut count_b = vec![0u32; max_id];
    for &id in a {
        count_a[id as usize] += 1;
    }
    for &id in b {
        count_b[id as usize] += 1;
    }
    let (ha1, index1) = kept_lines(a, &count_b, prefix, hi_a, &mut changed_a);
    let (ha2, index2) = kept_lines(b, &count_a, prefix, hi_b, &mut changed_b);

    // 3. Myers on what is left
    let mut myers = Myers::new(&ha1, &ha2);
    let mut boxes = vec![(0isize, s(ha1.len()), 0isize, s(ha2.len()), false)];
    while let Some((mut off1, mut lim1, mut off2, mut lim2, need_min)) = boxes.pop() {
        while off1 < lim1 && off2 < lim2 && ha1[u(off1)] == ha2[u(off2)] {
            off1 += 1;
            off2 += 1;
        }
        while off1 < lim1 && off2 < lim2 && ha1[u(lim1 - 1)] == ha2[u(lim2 - 1)] {
            lim1 -= 1;
            lim2 -= 1;
        }
        if off1 == lim1 {
            for k in off2..lim2 {
                changed_b[index2[u(k)]] = true;
            }
        } else if off2 == lim2 {
            for k in off1..lim1 {
                changed_a[index1[u(k)]] = true;
            }
        } else {
            let split = myers.split(off1, lim1, off2, lim2, need_min);
            boxes.push((split.i1, lim1, split.i2, lim2, split.min_hi));
            boxes.push((off1, split.i1, off2, split.i2, split.min_lo));
        }
    }
    (changed_a, changed_b)
}

fn s(i: usize) -> isize {
    isize::try_from(i).unwrap_or(isize::MAX)
}

fn u(i: isize) -> usize {
    usize::try_from(i).unwrap_or(0)
}

/// Where a box is cut, and whether each half must be diffed without the cost cut-offs.
struct Split {
    i1: isize,
    i2: isize,
    min_lo: bool,
    min_hi: bool,
}

/// Forward and backward furthest-reaching paths, by diagonal `i1 - i2`.
struct Myers<'a> {
    ha1: &'a [u32],
    ha2: &'a [u32],
    forward: Vec<isize>,
    backward: Vec<isize>,
    /// Index of diagonal 0 in the vectors.
    zero: isize,
    max_cost: isize,
}

impl<'a> Myers<'a> {
    fn new(ha1: &'a [u32], ha2: &'a [u32]) -> Myers<'a> {
        let diagonals = ha1.len() + ha2.len() + 3;
        Myers {
            ha1,
            ha2,
            forward: vec![0; diagonals],
            backward: vec![0; diagonals],
            zero: s(ha2.len()) + 1,
            max_cost: s(rough_sqrt(diagonals)).max(MAX_COST_MIN),
        }
    }

    fn f(&self, d: isize) -> isize {
        self.forward[u(d + self.zero)]
    }
    fn set_f(&mut self, d: isize, v: isize) {
        self.forward[u(d + self.zero)] = v;
    }
    fn b(&self, d: isize) -> isize {
        self.backward[u(d + self.zero)]
    }
    fn set_b(&mut self, d: isize, v: isize) {
        self.backward[u(d + self.zero)] = v;
    }
    fn eq(&self, i1: isize, i2: isize) -> bool {
        self.ha1[u(i1)] == self.ha2[u(i2)]
    }

    /// Finds where to cut the box `off1..lim1` × `off2..lim2` (both non-empty, different first
    /// and last lines): the middle snake of a shortest path, or a good-enough point once the
    /// cost passes the cut-offs (unless `need_min`).
    fn split(
        &mut self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        need_min: bool,
    ) -> Split {
        let (dmin, dmax) = (off1 - lim2, lim1 - off2);
        let (fmid, bmid) = (off1 - off2, lim1 - lim2);
        let odd = (fmid - bmid) & 1 != 0;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        self.set_f(fmid, off1);
        self.set_b(bmid, lim1);
        let mut cost = 1;
        loop {
            let mut got_snake = false;

            // forward paths, one more edit
            if fmin > dmin {
                fmin -= 1;
                self.set_f(fmin - 1, -1);
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.set_f(fmax + 1, -1);
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let mut i1 = if self.f(d - 1) >= self.f(d + 1) {
                    self.f(d - 1) + 1
                } else {
                    self.f(d + 1)
                };
                let start = i1;
                let mut i2 = i1 - d;
                while i1 < lim1 && i2 < lim2 && self.eq(i1, i2) {
                    i1 += 1;
                    i2 += 1;
                }
                if i1 - start > SNAKE_CNT {
                    got_snake = true;
                }
                self.set_f(d, i1);
                if odd && bmin <= d && d <= bmax && self.b(d) <= i1 {
                    return Split {
                        i1,
                        i2,
                        min_lo: true,
                        min_hi: true,
                    };
                }
                d -= 2;
            }

            // backward paths, one more edit
            if bmin > dmin {
                bmin -= 1;
                self.set_b(bmin - 1, isize::MAX);
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.set_b(bmax + 1, isize::MAX);
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let mut i1 = if self.b(d - 1) < self.b(d + 1) {
                    self.b(d - 1)
                } else {
                    self.b(d + 1) - 1
                };
                let start = i1;
                let mut i2 = i1 - d;
                while i1 > off1 && i2 > off2 && self.eq(i1 - 1, i2 - 1) {
                    i1 -= 1;
                    i2 -= 1;
                }
                if start - i1 > SNAKE_CNT {
                    got_snake = true;
                }
                self.set_b(d, i1);
                if !odd && fmin <= d && d <= fmax && i1 <= self.f(d) {
                    return Split {
                        i1,
                        i2,
                        min_lo: true,
                        min_hi: true,
                    };
                }
                d -= 2;
            }

            if !need_min {
                if got_snake && cost > HEUR_MIN_COST {
                    if let Some(split) = self.good_snake(
                        off1, lim1, off2, lim2, cost, fmin, fmax, fmid, bmin, bmax, bmid,
                    ) {
                        return split;
                    }
                }
                if cost >= self.max_cost {
                    return self.furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax);
                }
            }
            cost += 1;
        }
    }

    /// The good-snake cut-off: a path end far along (measured from its corner, less its
    /// distance from the middle diagonal) that ends a run of `SNAKE_CNT` equal lines.
    #[allow(clippy::too_many_arguments)]
    fn good_snake(
        &self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        cost: isize,
        fmin: isize,
        fmax: isize,
        fmid: isize,
        bmin: isize,
        bmax: isize,
        bmid: isize,
    ) -> Option<Split> {
        let mut best = 0;
        let mut at = (0, 0);
        let mut d = fmax;
        while d >= fmin {
            let i1 = self.f(d);
            let i2 = i1 - d;
            let v = (i1 - off1) + (i2 - off2) - (d - fmid).abs();
            if v > K_HEUR * cost
                && v > best
                && off1 + SNAKE_CNT <= i1
                && i1 < lim1
                && off2 + SNAKE_CNT <= i2
                && i2 < lim2
                && (1..=SNAKE_CNT).all(|k| self.eq(i1 - k, i2 - k))
            {
                best = v;
                at = (i1, i2);
            }
            d -= 2;
        }
        if best > 0 {
            return Some(Split {
                i1: at.0,
                i2: at.1,
                min_lo: true,
                min_hi: false,
            });
        }
        let mut d = bmax;
        while d >= bmin {
            let i1 = self.b(d);
            let i2 = i1 - d;
            let v = (lim1 - i1) + (lim2 - i2) - (d - bmid).abs();
            if v > K_HEUR * cost
                && v > best
                && off1 < i1
                && i1 <= lim1 - SNAKE_CNT
                && off2 < i2
                && i2 <= lim2 - SNAKE_CNT
                && (0..SNAKE_CNT).all(|k| self.eq(i1 + k, i2 + k))
            {
                best = v;
                at = (i1, i2);
            }
            d -= 2;
        }
        (best > 0).then_some(Split {
            i1: at.0,
            i2: at.1,
            min_lo: false,
            min_hi: true,
        })
    }

    /// The cost cut-off: the forward or backward path end that got furthest.
    #[allow(clippy::too_many_arguments)]
    fn furthest(
        &self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        fmin: isize,
        fmax: isize,
        bmin: isize,
        bmax: isize,
    ) -> Split {
        let (mut fbest, mut fbest1) = (-1, -1);
        let mut d = fmax;
        while d >= fmin {
            let mut i1 = self.f(d).min(lim1);
            let mut i2 = i1 - d;
            if lim2 < i2 {
                i1 = lim2 + d;
                i2 = lim2;
            }
            if fbest < i1 + i2 {
                fbest = i1 + i2;
                fbest1 = i1;
            }
            d -= 2;
        }
        let (mut bbest, mut bbest1) = (isize::MAX, isize::MAX);
        let mut d = bmax;
        while d >= bmin {
            let mut i1 = self.b(d).max(off1);
            let mut i2 = i1 - d;
            if i2 < off2 {
                i1 = off2 + d;
                i2 = off2;
            }
            if i1 + i2 < bbest {
                bbest = i1 + i2;
                bbest1 = i1;
            }
            d -= 2;
        }
        if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
            Split {
                i1: fbest1,
                i2: fbest - fbest1,
                min_lo: true,
                min_hi: false,
            }
        } else {
            Split {
                i1: bbest1,
                i2: bbest - bbest1,
                min_lo: false,
                min_hi: true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(a: &[u32], b: &[u32]) -> (String, String) {
        let (x, y) = changed_lines(a, b);
        let show = |v: Vec<bool>| v.into_iter().map(|c| if c { 'x' } else { '.' }).collect();
        (show(x), show(y))
    }

    #[test]
    fn marks_minimal_changes() {
        assert_eq!(flags(&[], &[]), (String::new(), String::new()));
        assert_eq!(flags(&[1, 2, 3], &[1, 2, 3]), ("...".into(), "...".into()));
        assert_eq!(flags(&[1, 2, 3], &[1, 3]), (".x.".into(), "..".into()));
        assert_eq!(flags(&[1, 3], &[1, 2, 3]), ("..".into(), ".x.".into()));
        assert_eq!(flags(&[1, 2, 3], &[4, 5]), ("xxx".into(), "xx".into()));
        assert_eq!(
            flags(&[1, 2, 3, 4, 5, 6], &[1, 9, 3, 4, 8, 6]),
            (".x..x.".into(), ".x..x.".into())
        );
    }

    #[test]
    fn rough_sqrt_matches_xdiff() {
        assert_eq!(rough_sqrt(0), 1);
        assert_eq!(rough_sqrt(1), 2);
        assert_eq!(rough_sqrt(4), 4);
        assert_eq!(rough_sqrt(100), 16);
    }

    #[test]
    fn big_rewrites_stay_fast_and_complete() {
        // two unrelated 20,000-line files: the cost cut-offs keep this quick
        let a: Vec<u32> = (0..20_000).map(|i| i % 97).collect();
        let b: Vec<u32> = (0..20_000).map(|i| 100 + (i * 7) % 89).collect();
        let (x, y) = changed_lines(&a, &b);
        assert!(x.iter().all(|&c| c) && y.iter().all(|&c| c));
        let b: Vec<u32> = (0..20_000).map(|i| (i * 31) % 97).collect();
        let (x, y) = changed_lines(&a, &b);
        let kept_a = x.iter().filter(|&&c| !c).count();
        let kept_b = y.iter().filter(|&&c| !c).count();
        assert_eq!(kept_a, kept_b, "unchanged lines pair up");
    }
}
