//! Small text helpers shared by the server and the browser.

use sha2::{Digest, Sha256};

/// SHA-256 of a text's UTF-8 bytes, as lower-case hex (what `sha256sum` prints).
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// `s` with the five characters that matter in HTML text and attribute values escaped.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The most characters a form field of this name takes, whatever the form: the edge's own
/// bound, under the finer rules of each input (a title's 200, a name's 120, …), so that no
/// field anywhere takes an unbounded text.
pub fn max_chars(field: &str) -> usize {
    // `key_features[0]` and the like are bounded as their list
    let field = field.split('[').next().unwrap_or(field);
    match field {
        // the declaration and amendments to it
        "markdown" | "proposed_markdown" | "modified_markdown" => 1_000_000,
        // prose people write
        "description" | "rationale" | "body" | "changelog" | "reason" | "message" | "decision" => {
            20_000
        }
        // one name a line
        "chairs" | "speakers" => 10_000,
        _ => 2_000,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_is_escaped() {
        assert_eq!(
            super::escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    use super::*;

    #[test]
    fn matches_sha256sum() {
        // printf 'abc' | sha256sum
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sha256_hex("").len(), 64);
    }
}
