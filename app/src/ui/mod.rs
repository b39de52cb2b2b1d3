//! Pieces every page shares: the page shell (`page`), form parts (`form`), the Key Features
//! checkboxes (`key_features`), visitors' light pages (`light`), and the text helpers below.

pub mod form;
pub mod key_features;
pub mod light;
pub mod page;

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

/// A fresh key for one form (an idempotency key: see the server's `idempotency`), 32 hex
/// digits. The page puts it in a hidden `idempotency_key` field; a form shown again after its
/// write gets a new one.
pub fn form_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        (0..4)
            .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("{:032x}", rand::random::<u128>())
    }
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

    #[test]
    fn form_keys_are_fresh() {
        let (a, b) = (form_key(), form_key());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
