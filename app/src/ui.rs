//! Pieces every page shares.

/// The markup for a `<textarea>`'s starting text: `text` escaped as text.
///
/// Leptos writes a textarea's children into the server's HTML unescaped (it treats them like a
/// `<script>`'s), so a `</textarea>` in someone's text would end the element and what follows
/// would become live markup. Every textarea that shows stored text takes it through here, as
/// `inner_html=textarea_text(&value)`: the HTML parser reads a textarea's content as escapable
/// raw text, so the entities turn back into exactly `text`, in the server's page and in the
/// browser alike.
pub fn textarea_text(text: &str) -> String {
    domain::text::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_textarea_break_out_stays_text() {
        let t = textarea_text("</textarea><script>alert(1)</script> & \"q\"");
        assert!(!t.contains('<') && !t.contains('>'));
        assert_eq!(
            t,
            "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
