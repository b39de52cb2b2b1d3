//! Collisions between pending amendments: two amendments that touch the same paragraph.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::paragraphs::paragraph_ranges;
use super::tokens::Interner;
use super::words::touched_with;

/// Two amendments that touch at least one common paragraph of the base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collision<I> {
    /// The amendment listed first in the input.
    pub first: I,
    pub second: I,
    /// 0-based indices of the base paragraphs both touch, increasing.
    pub paragraphs: Vec<usize>,
}

/// Pairs of amendments that touch a common paragraph of `base`.
///
/// Every amendment is the full proposed text, written against `base` (after a rebase, all
/// pending amendments are). "Touch" is [`touched_paragraphs`](super::touched_paragraphs): a
/// paragraph rewritten or deleted, or next to an insertion, so two insertions at the same place
/// collide, and so does an insertion with an edit of either neighbour. Pairs come in input
/// order (by first, then second amendment).
pub fn collisions<I: Clone, T: AsRef<str>>(base: &str, amendments: &[(I, T)]) -> Vec<Collision<I>> {
    let paras: Vec<&str> = paragraph_ranges(base)
        .into_iter()
        .map(|(s, e)| &base[s..e])
        .collect();
    let mut interner = Interner::default();
    let ids = interner.ids(&paras);

    let mut by_paragraph: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, (_, text)) in amendments.iter().enumerate() {
        for p in touched_with(&ids, &interner, text.as_ref()) {
            by_paragraph.entry(p).or_default().push(k);
        }
    }
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (p, ks) in by_paragraph {
        for (x, &a) in ks.iter().enumerate() {
            for &b in &ks[x + 1..] {
                pairs.entry((a, b)).or_default().push(p);
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), paragraphs)| Collision {
            first: amendments[a].0.clone(),
            second: amendments[b].0.clone(),
            paragraphs,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "P0\n\nP1\n\nP2\n\nP3\n\nP4\n";

    #[test]
    fn amendments_of_one_paragraph_collide() {
        let a = BASE.replace("P1", "P1 by a");
        let b = BASE.replace("P1", "P1 by b").replace("P3", "P3 by b");
        let c = BASE.replace("P3", "P3 by c");
        let d = BASE.replace("P0", "P0 by d");
        let found = collisions(BASE, &[("a", &a), ("b", &b), ("c", &c), ("d", &d)]);
        assert_eq!(
            found,
            vec![
                Collision {
                    first: "a",
                    second: "b",
                    paragraphs: vec![1]
                },
                Collision {
                    first: "b",
                    second: "c",
                    paragraphs: vec![3]
                },
            ]
        );
    }

    #[test]
    fn insertion_collides_with_its_neighbours() {
        let insert = BASE.replace("P2\n", "P2\n\nNew\n");
        let edit2 = BASE.replace("P2", "P2'");
        let edit3 = BASE.replace("P3", "P3'");
        let edit4 = BASE.replace("P4", "P4'");
        let found = collisions(BASE, &[(1, &insert), (2, &edit2), (3, &edit3), (4, &edit4)]);
        let pairs: Vec<(i32, i32)> = found.iter().map(|c| (c.first, c.second)).collect();
        assert_eq!(pairs, vec![(1, 2), (1, 3)]);
    }

    #[test]
    fn no_amendments_no_collisions() {
        assert!(collisions::<u8, &str>(BASE, &[]).is_empty());
        assert!(collisions(BASE, &[(1, BASE), (2, BASE)]).is_empty());
    }
}
