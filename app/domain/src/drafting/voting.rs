//! The order in which pending amendments are put to the vote.
//!
//! The rule is the one intergovernmental bodies use, as the UN General Assembly's rules of
//! procedure put it (rule 90; most UN bodies' rules say the same): "When two or more
//! amendments are moved to a proposal, the General Assembly shall first vote on the amendment
//! furthest removed in substance from the original proposal and then on the amendment next
//! furthest removed therefrom, and so on until all the amendments have been put to the vote.
//! Where, however, the adoption of one amendment necessarily implies the rejection of another
//! amendment, the latter amendment shall not be put to the vote."
//!
//! How the product reads it:
//! - **Passages.** Amendments are ordered per passage: the amendments that touch a common
//!   paragraph of the current text (or depend on each other) form one passage; passages come
//!   in the order of the text.
//! - **Furthest removed first.** Substance is measured by the size of the change against the
//!   current text: the words an amendment deletes plus the words it inserts. The larger change
//!   is voted first; equal sizes in the order of their numbers.
//! - **Colliding amendments together.** Two amendments collide when they change the same words
//!   (their changed stretches of the text overlap, or they insert at the same place): adopting
//!   one implies rejecting the other, so they are voted one after the other, as a group, the
//!   group placed by its furthest-removed member.
//! - **Dependent amendments after.** An amendment that only makes sense if another passes (the
//!   committee records it) is voted after that one, wherever the rule above would put it.
//!
//! [`voting_order`] proposes the order; the committee may change it, within the dependencies.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::words::{diff_words, touched_paragraphs, DiffOp};

/// One pending amendment as the voting order sees it: see [`motion`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Motion<I> {
    pub id: I,
    /// Words deleted plus words inserted against the current text.
    pub distance: usize,
    /// 0-based paragraphs of the current text it touches, increasing.
    pub paragraphs: Vec<usize>,
    /// The stretches of the current text it changes, as byte ranges `[start, end]` with both
    /// ends included (an insertion is the point `[p, p]`).
    pub spans: Vec<(usize, usize)>,
    /// The amendments it only makes sense after (recorded by the committee).
    pub depends_on: Vec<I>,
}

/// Measures an amendment (its whole proposed text, written against `base`, the current text).
pub fn motion<I>(id: I, base: &str, proposed: &str, depends_on: Vec<I>) -> Motion<I> {
    let mut distance = 0;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for op in diff_words(base, proposed) {
        match op {
            DiffOp::Equal(s) => at += s.len(),
            DiffOp::Delete(s) => {
                distance += words(&s);
                push_span(&mut spans, (at, at + s.len()));
                at += s.len();
            }
            DiffOp::Insert(s) => {
                distance += words(&s);
                push_span(&mut spans, (at, at));
            }
        }
    }
    Motion {
        id,
        distance,
        paragraphs: touched_paragraphs(base, proposed),
        spans,
        depends_on,
    }
}

/// Words: runs of letters and digits.
fn words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Adds a span, joining it to the last one when they touch (a deletion and the insertion that
/// replaces it are one change).
fn push_span(spans: &mut Vec<(usize, usize)>, (s, e): (usize, usize)) {
    match spans.last_mut() {
        Some(last) if last.1 >= s => last.1 = last.1.max(e),
        _ => spans.push((s, e)),
    }
}

/// Whether two amendments change the same words of the text.
pub fn collide<I>(a: &Motion<I>, b: &Motion<I>) -> bool {
    a.spans
        .iter()
        .any(|&(s1, e1)| b.spans.iter().any(|&(s2, e2)| s1 <= e2 && s2 <= e1))
}

/// The amendments of one passage, in the order they are put to the vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage<I> {
    /// The paragraphs of the current text the passage's amendments touch, increasing.
    pub paragraphs: Vec<usize>,
    /// Every amendment of the passage, once, in voting order.
    pub order: Vec<I>,
    /// The groups of colliding amendments (each in voting order); an amendment that collides
    /// with none is a group of one.
    pub groups: Vec<Vec<I>>,
}

/// A dependency cycle (amendment `a` after `b` after … after `a`): refused where dependencies
/// are recorded, so the order always exists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("these amendments depend on each other in a circle")]
pub struct Cycle<I: std::fmt::Debug>(pub Vec<I>);

/// The proposed voting order: passages in the order of the text, each with its amendments in
/// the order of the rule (see the module). Dependencies on amendments not among `motions`
/// (decided, withdrawn) are ignored. Deterministic: the same motions in any input order give
/// the same order.
pub fn voting_order<I: Ord + Clone + std::fmt::Debug>(
    motions: &[Motion<I>],
) -> Result<Vec<Passage<I>>, Cycle<I>> {
    let mut motions: Vec<&Motion<I>> = motions.iter().collect();
    motions.sort_by(|a, b| a.id.cmp(&b.id));
    motions.dedup_by(|a, b| a.id == b.id);
    let n = motions.len();
    let index: BTreeMap<&I, usize> = motions
        .iter()
        .enumerate()
        .map(|(k, m)| (&m.id, k))
        .collect();
    // dependencies as indices: after[k] = those k is voted after
    let after: Vec<Vec<usize>> = motions
        .iter()
        .map(|m| {
            let mut d: Vec<usize> = m
                .depends_on
                .iter()
                .filter_map(|i| index.get(i).copied())
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();

    // passages: joined by a common paragraph or a dependency
    let mut passages = Components::new(n);
    let mut by_paragraph: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, m) in motions.iter().enumerate() {
        for p in &m.paragraphs {
            match by_paragraph.get(p) {
                Some(&j) => passages.join(j, k),
                None => {
                    by_paragraph.insert(*p, k);
                }
            }
        }
        for &j in &after[k] {
            passages.join(j, k);
        }
    }
    // collision groups (within a passage, as colliding amendments share a paragraph)
    let mut groups = Components::new(n);
    for a in 0..n {
        for b in a + 1..n {
            if collide(motions[a], motions[b]) {
                groups.join(a, b);
                passages.join(a, b);
            }
        }
    }

    // the rule's ranking, before dependencies: groups by their furthest-removed member, then
    // within a group by distance; ties by number
    let rank_in_group = |k: usize| (std::cmp::Reverse(motions[k].distance), k);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..n {
        members.entry(groups.root(k)).or_default().push(k);
    }
    let mut group_list: Vec<Vec<usize>> = members.into_values().collect();
    for g in &mut group_list {
        g.sort_by_key(|&k| rank_in_group(k));
    }
    group_list.sort_by_key(|g| rank_in_group(g[0]));
    let mut priority = vec![0; n];
    for (p, k) in group_list.iter().flatten().enumerate() {
        priority[*k] = p;
    }

    // each passage: dependencies first (Kahn), the ready amendment of best priority next
    let mut by_passage: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..n {
        by_passage.entry(passages.root(k)).or_default().push(k);
    }
    let mut out = Vec::new();
    for ks in by_passage.into_values() {
        let mut waiting: BTreeMap<usize, usize> = ks.iter().map(|&k| (k, after[k].len())).collect();
        let mut ready: BTreeSet<(usize, usize)> = waiting
            .iter()
            .filter(|(_, &w)| w == 0)
            .map(|(&k, _)| (priority[k], k))
            .collect();
        let mut order: Vec<usize> = Vec::with_capacity(ks.len());
        while let Some((_, k)) = ready.pop_first() {
            order.push(k);
            waiting.remove(&k);
            for (&j, w) in waiting.iter_mut() {
                if after[j].contains(&k) {
                    *w -= 1;
                    if *w == 0 {
                        ready.insert((priority[j], j));
                    }
                }
            }
        }
        if !waiting.is_empty() {
            return Err(Cycle(
                waiting.keys().map(|&k| motions[k].id.clone()).collect(),
            ));
        }
        let mut paragraphs: Vec<usize> = ks
            .iter()
            .flat_map(|&k| motions[k].paragraphs.iter().copied())
            .collect();
        paragraphs.sort_unstable();
        paragraphs.dedup();
        let mut seen: Vec<usize> = Vec::new();
        let mut passage_groups: Vec<Vec<I>> = Vec::new();
        for &k in &order {
            let g = groups.root(k);
            match seen.iter().position(|&x| x == g) {
                Some(p) => passage_groups[p].push(motions[k].id.clone()),
                None => {
                    seen.push(g);
                    passage_groups.push(vec![motions[k].id.clone()]);
                }
            }
        }
        out.push(Passage {
            paragraphs,
            order: order.iter().map(|&k| motions[k].id.clone()).collect(),
            groups: passage_groups,
        });
    }
    // passages in the order of the text (those touching nothing, e.g. into an empty text, last)
    out.sort_by(|a, b| {
        let key = |p: &Passage<I>| (p.paragraphs.is_empty(), p.paragraphs.first().copied());
        key(a).cmp(&key(b)).then_with(|| a.order.cmp(&b.order))
    });
    Ok(out)
}

/// Whether `order` puts every amendment after those it depends on (dependencies outside the
/// order are ignored): the check of a reordering by the committee. The first amendment placed
/// before one it depends on, with that one.
pub fn breaks_dependency<I: PartialEq + Clone>(
    order: &[I],
    depends_on: impl Fn(&I) -> Vec<I>,
) -> Option<(I, I)> {
    for (k, a) in order.iter().enumerate() {
        for d in depends_on(a) {
            if let Some(p) = order.iter().position(|x| *x == d) {
                if p > k {
                    return Some((a.clone(), d));
                }
            }
        }
    }
    None
}

/// Whether recording `new = (a, b)`, "a depends on b", closes a circle with `edges` (the same
/// pairs): `b` already depends on `a`, directly or through others, or `a` is `b`.
pub fn would_circle<I: PartialEq + Clone>(edges: &[(I, I)], new: (I, I)) -> bool {
    let (a, b) = new;
    let mut stack = vec![b];
    let mut seen: Vec<I> = Vec::new();
    while let Some(x) = stack.pop() {
        if x == a {
            return true;
        }
        if seen.contains(&x) {
            continue;
        }
        for (from, to) in edges {
            if *from == x {
                stack.push(to.clone());
            }
        }
        seen.push(x);
    }
    false
}

/// Union-find over `0..n`.
struct Components(Vec<usize>);

impl Components {
    fn new(n: usize) -> Self {
        Components((0..n).collect())
    }
    fn root(&mut self, mut k: usize) -> usize {
        while self.0[k] != k {
            self.0[k] = self.0[self.0[k]];
            k = self.0[k];
        }
        k
    }
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // the smaller index stays the root, so components are found in a stable order
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "1. All people have the right to education.\n\n\
                        2. States shall fund schools.\n\n\
                        3. Teachers shall be trained.\n";

    fn m(id: u32, proposed: &str, deps: &[u32]) -> Motion<u32> {
        motion(id, BASE, proposed, deps.to_vec())
    }

    #[test]
    fn the_change_furthest_removed_is_voted_first() {
        let small = m(1, &BASE.replace("fund schools", "fund public schools"), &[]);
        let large = m(
            2,
            &BASE.replace(
                "States shall fund schools.",
                "States and donors shall together fund free schools for every child.",
            ),
            &[],
        );
        assert_eq!(small.distance, 1);
        assert!(large.distance > small.distance);
        assert!(collide(&small, &large));
        let order = voting_order(&[small, large]).unwrap();
        assert_eq!(order.len(), 1);
        assert_eq!(order[0].order, vec![2, 1]);
        assert_eq!(order[0].groups, vec![vec![2, 1]]);
        assert_eq!(order[0].paragraphs, vec![1]);
    }

    #[test]
    fn passages_follow_the_text_and_separate_changes_do_not_collide() {
        let third = m(1, &BASE.replace("be trained", "be trained and paid"), &[]);
        let first_a = m(2, &BASE.replace("right to", "human right to"), &[]);
        let first_b = m(
            3,
            &BASE.replace("education.", "education and culture."),
            &[],
        );
        assert!(!collide(&first_a, &first_b));
        let order = voting_order(&[third, first_a, first_b]).unwrap();
        assert_eq!(order.len(), 2);
        assert_eq!(order[0].paragraphs, vec![0]);
        // "and culture" (2 words) before "human" (1)
        assert_eq!(order[0].order, vec![3, 2]);
        assert_eq!(order[0].groups, vec![vec![3], vec![2]]);
        assert_eq!(order[1].order, vec![1]);
    }

    #[test]
    fn a_dependent_amendment_follows_the_one_it_needs() {
        let other = m(1, &BASE.replace("be trained", "be well trained"), &[]);
        // 5 depends on 4, although 5 is the larger change
        let small = m(4, &BASE.replace("fund schools", "fund schools fairly"), &[]);
        let large = m(
            5,
            &BASE.replace(
                "States shall fund schools.",
                "States shall fund schools, and ministries shall report on it yearly.",
            ),
            &[4],
        );
        let mut free = large.clone();
        free.depends_on.clear();
        let order = voting_order(&[other.clone(), small.clone(), free]).unwrap();
        assert_eq!(
            order[0].order,
            vec![5, 4],
            "the larger change first, without the dependency"
        );
        let order = voting_order(&[other, small, large]).unwrap();
        let all: Vec<u32> = order.iter().flat_map(|p| p.order.clone()).collect();
        assert_eq!(all.iter().filter(|&&x| x == 4 || x == 5).count(), 2);
        let pos = |x| all.iter().position(|&y| y == x).unwrap();
        assert!(pos(4) < pos(5));
    }

    #[test]
    fn a_circle_of_dependencies_is_refused() {
        let a = m(1, &BASE.replace("fund", "finance"), &[2]);
        let b = m(2, &BASE.replace("trained", "taught"), &[1]);
        assert!(voting_order(&[a, b]).is_err());
    }

    #[test]
    fn a_reordering_is_checked_against_dependencies() {
        let deps = |x: &u32| if *x == 5 { vec![4] } else { vec![] };
        assert_eq!(breaks_dependency(&[5, 4, 1], deps), Some((5, 4)));
        assert_eq!(breaks_dependency(&[4, 1, 5], deps), None);
    }

    #[test]
    fn a_dependency_that_closes_a_circle_is_found() {
        let edges = [(2, 1), (3, 2)];
        assert!(would_circle(&edges, (1, 3)));
        assert!(would_circle(&edges, (1, 2)));
        assert!(would_circle(&edges, (4, 4)));
        assert!(!would_circle(&edges, (3, 1)));
        assert!(!would_circle(&edges, (4, 3)));
    }

    fn words_of(k: usize) -> String {
        (0..k)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest! {
        /// Random amendments over a ten-paragraph text with random acyclic dependencies: the
        /// order holds each amendment exactly once, puts every amendment after those it
        /// depends on, and without dependencies keeps colliding amendments together, the
        /// furthest removed first.
        #[test]
        fn the_order_is_total_and_keeps_dependencies(
            edits in prop::collection::vec((0usize..10, 0usize..3, 1usize..6), 1..12),
            dep_bits in prop::collection::vec(any::<bool>(), 144),
            with_deps in any::<bool>(),
        ) {
            let base: String = (0..10)
                .map(|p| format!("{}. alpha beta gamma delta epsilon zeta.", p + 1))
                .collect::<Vec<_>>()
                .join("\n\n");
            let motions: Vec<Motion<usize>> = edits
                .iter()
                .enumerate()
                .map(|(k, &(para, word, len))| {
                    let target = ["alpha", "gamma", "epsilon"][word];
                    let prefix = format!("{}. ", para + 1);
                    let start = base.find(&prefix).unwrap();
                    let at = start + base[start..].find(target).unwrap();
                    let mut text = base.clone();
                    text.replace_range(at..at + target.len(), &words_of(len));
                    // dependencies only on earlier amendments: acyclic
                    let deps = if with_deps {
                        (0..k).filter(|j| dep_bits[k * 12 + j]).collect()
                    } else {
                        Vec::new()
                    };
                    motion(k, &base, &text, deps)
                })
                .collect();
            let passages = voting_order(&motions).unwrap();
            let all: Vec<usize> = passages.iter().flat_map(|p| p.order.clone()).collect();
            let mut sorted = all.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..motions.len()).collect::<Vec<_>>());
            let pos = |x: usize| all.iter().position(|&y| y == x).unwrap();
            for m in &motions {
                for d in &m.depends_on {
                    prop_assert!(pos(*d) < pos(m.id), "{} before {}", m.id, d);
                }
            }
            prop_assert_eq!(breaks_dependency(&all, |x| motions[*x].depends_on.clone()), None);
            // the same in any input order
            let mut reversed = motions.clone();
            reversed.reverse();
            prop_assert_eq!(voting_order(&reversed).unwrap(), passages.clone());
            if !with_deps {
                for p in &passages {
                    let flat: Vec<usize> = p.groups.iter().flatten().copied().collect();
                    prop_assert_eq!(&flat, &p.order);
                    for g in &p.groups {
                        for w in g.windows(2) {
                            prop_assert!(motions[w[0]].distance >= motions[w[1]].distance);
                        }
                        for a in g {
                            for q in &passages {
                                for h in &q.groups {
                                    if !std::ptr::eq(g, h) {
                                        for b in h {
                                            prop_assert!(!collide(&motions[*a], &motions[*b]));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
