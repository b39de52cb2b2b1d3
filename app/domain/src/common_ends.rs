//! The common start and end of two sequences, shared by the diffs (lines, tokens, characters).

/// How many items `a` and `b` share at their start, and then how many at their end (never
/// overlapping the start: `prefix + suffix <= min(a.len(), b.len())`).
pub fn common_ends<T: PartialEq>(a: &[T], b: &[T]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// As [`common_ends`] for bytes, comparing blocks at a time (one `memcmp` each) rather than
/// byte by byte: for long texts that differ in a few places.
pub fn common_byte_ends(a: &[u8], b: &[u8]) -> (usize, usize) {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut prefix = 0;
    while prefix + BLOCK <= n && a[prefix..prefix + BLOCK] == b[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    prefix += a[prefix..n]
        .iter()
        .zip(&b[prefix..n])
        .take_while(|(x, y)| x == y)
        .count();
    let room = n - prefix;
    let (ea, eb) = (a.len(), b.len());
    let mut suffix = 0;
    while suffix + BLOCK <= room
        && a[ea - suffix - BLOCK..ea - suffix] == b[eb - suffix - BLOCK..eb - suffix]
    {
        suffix += BLOCK;
    }
    suffix += a[prefix..ea - suffix]
        .iter()
        .rev()
        .zip(b[prefix..eb - suffix].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::{common_byte_ends, common_ends};
    use proptest::prelude::*;

    proptest! {
        /// Block by block gives what item by item gives.
        #[test]
        fn bytes_by_blocks_agree(base in prop::collection::vec(0u8..3, 0..2000), cut in 0usize..2000, put in prop::collection::vec(0u8..3, 0..5)) {
            let mut other = base.clone();
            let at = cut.min(other.len());
            other.splice(at..at, put);
            prop_assert_eq!(common_byte_ends(&base, &other), common_ends(&base, &other));
            prop_assert_eq!(common_byte_ends(&other, &base), common_ends(&other, &base));
        }
    }

    #[test]
    fn start_and_end_never_overlap() {
        assert_eq!(common_ends(b"abcab", b"ab"), (2, 0));
        assert_eq!(common_ends(b"xab", b"yab"), (0, 2));
        assert_eq!(common_ends::<u8>(b"", b"abc"), (0, 0));
        assert_eq!(common_ends(b"aXa", b"aYa"), (1, 1));
    }
}
