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

#[cfg(test)]
mod tests {
    use super::common_ends;

    #[test]
    fn start_and_end_never_overlap() {
        assert_eq!(common_ends(b"abcab", b"ab"), (2, 0));
        assert_eq!(common_ends(b"xab", b"yab"), (0, 2));
        assert_eq!(common_ends::<u8>(b"", b"abc"), (0, 0));
        assert_eq!(common_ends(b"aXa", b"aYa"), (1, 1));
    }
}
