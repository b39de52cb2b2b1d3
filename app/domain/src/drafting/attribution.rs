//! Provenance: which version introduced each word of a document.

use serde::{Deserialize, Serialize};

use super::tokens::{token_ops, Op, Tokens};

/// A stretch of the final text and the version that introduced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributedSpan<V> {
    pub text: String,
    pub version: V,
}

/// Attributes every token of the last version in `versions` to the version that introduced it.
///
/// `versions` is a chain, oldest first, each the parent of the next. Every token (word,
/// whitespace run, punctuation mark; see [`diff_words`](super::diff_words)) of the first
/// version belongs to it; going down the chain, tokens a version keeps unchanged keep their
/// attribution and the tokens it inserts are attributed to it. (A word deleted and later
/// re-added counts as new.) Adjacent spans of the same version are merged, so the spans
/// concatenate to the last version's text. An empty chain gives no spans.
pub fn attribute<V: Clone + PartialEq, T: AsRef<str>>(
    versions: &[(V, T)],
) -> Vec<AttributedSpan<V>> {
    let Some((_, first)) = versions.first() else {
        return Vec::new();
    };
    let mut current = Tokens::new(first.as_ref());
    let mut owner: Vec<usize> = vec![0; current.tokens.len()];
    for (k, (_, text)) in versions.iter().enumerate().skip(1) {
        let next = Tokens::new(text.as_ref());
        let mut next_owner = vec![k; next.tokens.len()];
        for op in token_ops(&current, &next) {
            if let Op::Equal { old, new } = op {
                if let (Some(dst), Some(src)) = (next_owner.get_mut(new), owner.get(old)) {
                    dst.copy_from_slice(src);
                }
            }
        }
        current = next;
        owner = next_owner;
    }

    let mut spans: Vec<AttributedSpan<V>> = Vec::new();
    for (token, &k) in current.tokens.iter().zip(&owner) {
        let version = &versions[k].0;
        match spans.last_mut() {
            Some(last) if &last.version == version => last.text.push_str(token),
            _ => spans.push(AttributedSpan {
                text: (*token).to_owned(),
                version: version.clone(),
            }),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(versions: &[(u32, &str)]) -> Vec<(String, u32)> {
        attribute(versions)
            .into_iter()
            .map(|s| (s.text, s.version))
            .collect()
    }

    #[test]
    fn empty_chain_and_single_version() {
        assert!(attribute::<u32, &str>(&[]).is_empty());
        assert!(spans(&[(1, "")]).is_empty());
        assert_eq!(
            spans(&[(1, "All mine.\n")]),
            vec![("All mine.\n".into(), 1)]
        );
    }

    #[test]
    fn inserted_words_belong_to_the_version_that_inserted_them() {
        let chain = [
            (1, "We call for peace.\n"),
            (2, "We call for lasting peace.\n"),
            (3, "We all call for lasting peace and justice.\n"),
        ];
        assert_eq!(
            spans(&chain),
            vec![
                ("We ".into(), 1),
                ("all ".into(), 3),
                ("call for ".into(), 1),
                ("lasting ".into(), 2),
                ("peace".into(), 1),
                (" and justice".into(), 3),
                (".\n".into(), 1),
            ]
        );
    }

    #[test]
    fn deleted_then_readded_counts_as_new() {
        let chain = [(1, "a b c"), (2, "a c"), (3, "a b c")];
        assert_eq!(
            spans(&chain),
            vec![("a ".into(), 1), ("b ".into(), 3), ("c".into(), 1)]
        );
    }

    #[test]
    fn spans_of_equal_ids_merge_even_from_different_versions() {
        let chain = [("x", "one"), ("x", "one two")];
        let out = attribute(&chain);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text, "one two");
    }
}
