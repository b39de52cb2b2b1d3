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
    attribute_by(versions, |k, _| versions[k].0.clone())
}

/// As [`attribute`], with each token credited to `key(k, at)`: `k` the index in `versions` of
/// the version that introduced it, `at` the character offset where the token starts in that
/// version's text (so that a version made of several people's typing can credit each passage
/// to its typist). Adjacent tokens of equal keys make one span.
pub fn attribute_by<K: PartialEq, T: AsRef<str>>(
    versions: &[(impl Sized, T)],
    key: impl Fn(usize, usize) -> K,
) -> Vec<AttributedSpan<K>> {
    let Some((_, first)) = versions.first() else {
        return Vec::new();
    };
    // each token's owner: (version index, character offset in that version's text)
    fn offsets(tokens: &[&str]) -> Vec<usize> {
        let mut at = 0;
        tokens
            .iter()
            .map(|t| {
                let here = at;
                at += t.chars().count();
                here
            })
            .collect()
    }
    let mut current = Tokens::new(first.as_ref());
    let mut owner: Vec<(usize, usize)> = offsets(&current.tokens)
        .into_iter()
        .map(|o| (0, o))
        .collect();
    for (k, (_, text)) in versions.iter().enumerate().skip(1) {
        let next = Tokens::new(text.as_ref());
        let mut next_owner: Vec<(usize, usize)> =
            offsets(&next.tokens).into_iter().map(|o| (k, o)).collect();
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

    let mut spans: Vec<AttributedSpan<K>> = Vec::new();
    for (token, &(k, at)) in current.tokens.iter().zip(&owner) {
        let version = key(k, at);
        match spans.last_mut() {
            Some(last) if last.version == version => last.text.push_str(token),
            _ => spans.push(AttributedSpan {
                text: (*token).to_owned(),
                version,
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
    fn a_long_paragraph_credits_only_the_changed_word_to_the_new_version() {
        // 2,200 words in one paragraph: one word changed in version 2
        let old: String = (0..200)
            .map(|i| {
                format!("Cities shall promote learning number {i} for all and every resident; ")
            })
            .collect();
        let new = old.replacen("number 150 for all", "number 150 for everyone", 1);
        let s = spans(&[(1, old.as_str()), (2, new.as_str())]);
        let mine: Vec<&str> = s
            .iter()
            .filter(|(_, v)| *v == 2)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(mine, vec!["everyone"]);
        assert_eq!(s.iter().map(|(t, _)| t.as_str()).collect::<String>(), new);
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

    #[test]
    fn a_version_typed_by_several_people_credits_each_passage_to_its_typist() {
        let versions = [
            (1, "Learning for all.\n"),
            (2, "Learning for all, at every age, everywhere.\n"),
        ];
        // in version 2, ", at every age" (chars 16..30) typed by "A", ", everywhere" by "B"
        let typist = |k: usize, at: usize| match (k, at) {
            (0, _) => "v1",
            (_, a) if (16..30).contains(&a) => "A",
            _ => "B",
        };
        let spans: Vec<(String, &str)> = attribute_by(&versions, typist)
            .into_iter()
            .map(|s| (s.text, s.version))
            .collect();
        assert_eq!(
            spans,
            vec![
                ("Learning for all".into(), "v1"),
                (", at every age".into(), "A"),
                (", everywhere".into(), "B"),
                (".\n".into(), "v1"),
            ]
        );
    }
}
