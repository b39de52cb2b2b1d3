//! What people type into the drafting forms, checked once at the edge: a Markdown text, an
//! amendment's title, prose (rationale, reason, comment) and a version message. A refusal
//! ([`Invalid`]) names its field as data ([`InputField`]), so the form shows it under the right
//! field whatever the wording of the message.

use std::fmt;

/// Longest amendment title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest rationale, comment or reason, in characters.
pub const MAX_PROSE_CHARS: usize = 10_000;
/// Longest version message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;
/// Largest declaration text, in bytes (about 150,000 words).
pub const MAX_MARKDOWN_BYTES: usize = 1_000_000;

/// The field of a drafting form an input refusal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputField {
    /// The whole Markdown text (its form name depends on the form: `markdown`,
    /// `proposed_markdown`, `modified_markdown`).
    Text,
    Title,
    Rationale,
    Reason,
    Comment,
    Message,
    /// A paragraph named by its label.
    Paragraph,
}

impl InputField {
    /// The word for the field in a message ("The rationale is required.").
    pub fn noun(self) -> &'static str {
        match self {
            InputField::Text => "text",
            InputField::Title => "title",
            InputField::Rationale => "rationale",
            InputField::Reason => "reason",
            InputField::Comment => "comment",
            InputField::Message => "message",
            InputField::Paragraph => "paragraph",
        }
    }

    /// The name of the form field; `text_field` is the whole text's name in the form at hand.
    pub fn form_name(self, text_field: &str) -> &str {
        match self {
            InputField::Text => text_field,
            InputField::Comment => "body",
            other => other.noun(),
        }
    }
}

/// Input out of bounds: which field, and a message that says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: InputField,
    pub message: String,
}

impl Invalid {
    pub fn new(field: InputField, message: impl Into<String>) -> Self {
        Invalid {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}

/// A Markdown text as stored: `\r\n` and lone `\r` become `\n`, and a non-empty text ends with
/// a newline.
pub fn normalise(markdown: &str) -> String {
    let mut t = markdown.replace("\r\n", "\n").replace('\r', "\n");
    if !t.is_empty() && !t.ends_with('\n') {
        t.push('\n');
    }
    t
}

/// The first control character of `text` that no text typed in a form holds (NUL and the other
/// C0 and C1 controls, but for tab and the line ends), with its line (from 1): git treats a
/// text with a NUL as binary and will not merge it; we refuse such text at the edge.
fn control_character(text: &str) -> Option<(char, usize)> {
    let mut line = 1;
    for c in text.chars() {
        match c {
            '\n' => line += 1,
            '\t' | '\r' => {}
            c if c.is_control() => return Some((c, line)),
            _ => {}
        }
    }
    None
}

/// Refuses `text` for `field` if it holds NUL or another control character (tab and line
/// ends aside), naming the character and its line.
pub fn refuse_controls(text: &str, field: InputField) -> Result<(), Invalid> {
    match control_character(text) {
        None => Ok(()),
        Some((c, line)) => {
            let what = field.noun();
            let name = if c == '\0' {
                "a NUL character"
            } else {
                "a control character"
            };
            Err(Invalid::new(
                field,
                format!(
                    "The {what} holds {name} (U+{:04X}) on line {line}; remove it and send the {what} again.",
                    u32::from(c)
                ),
            ))
        }
    }
}

/// A whole text: at most [`MAX_MARKDOWN_BYTES`], not blank, without control characters (NUL
/// included); normalised.
pub fn check_text(markdown: &str) -> Result<String, Invalid> {
    if markdown.len() > MAX_MARKDOWN_BYTES {
        return Err(Invalid::new(
            InputField::Text,
            "The text is too long (at most 1 MB).",
        ));
    }
    refuse_controls(markdown, InputField::Text)?;
    let t = normalise(markdown);
    if t.trim().is_empty() {
        return Err(Invalid::new(InputField::Text, "The text is empty."));
    }
    Ok(t)
}

/// An amendment's title: 1 to [`MAX_TITLE_CHARS`] characters, trimmed.
pub fn check_title(title: &str) -> Result<String, Invalid> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Invalid::new(InputField::Title, "The title is required."));
    }
    refuse_controls(t, InputField::Title)?;
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(Invalid::new(
            InputField::Title,
            format!("The title is too long (at most {MAX_TITLE_CHARS} characters)."),
        ));
    }
    Ok(t.to_owned())
}

/// Trimmed prose of at most [`MAX_PROSE_CHARS`] for `field` (rationale, reason or comment).
pub fn check_prose(text: &str, field: InputField, required: bool) -> Result<String, Invalid> {
    let what = field.noun();
    let t = text.trim();
    if required && t.is_empty() {
        return Err(Invalid::new(field, format!("The {what} is required.")));
    }
    refuse_controls(t, field)?;
    if t.chars().count() > MAX_PROSE_CHARS {
        return Err(Invalid::new(
            field,
            format!("The {what} is too long (at most {MAX_PROSE_CHARS} characters)."),
        ));
    }
    Ok(normalise(t).trim_end().to_owned())
}

/// A version message: at most [`MAX_MESSAGE_CHARS`], trimmed (may be empty).
pub fn check_message(message: &str) -> Result<String, Invalid> {
    let m = message.trim();
    refuse_controls(m, InputField::Message)?;
    if m.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Invalid::new(
            InputField::Message,
            format!("The message is too long (at most {MAX_MESSAGE_CHARS} characters)."),
        ));
    }
    Ok(m.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_names_its_field() {
        assert_eq!(check_text(" \n").unwrap_err().field, InputField::Text);
        assert_eq!(check_title("").unwrap_err().field, InputField::Title);
        let long = "x".repeat(MAX_PROSE_CHARS + 1);
        let e = check_prose(&long, InputField::Reason, false).unwrap_err();
        assert_eq!(
            (e.field, e.message.starts_with("The reason")),
            (InputField::Reason, true)
        );
        let e = check_prose("", InputField::Comment, true).unwrap_err();
        assert_eq!(e.field.form_name("markdown"), "body");
        let e = check_message(&"m".repeat(MAX_MESSAGE_CHARS + 1)).unwrap_err();
        assert_eq!(e.field, InputField::Message);
        assert_eq!(
            InputField::Text.form_name("proposed_markdown"),
            "proposed_markdown"
        );
    }

    #[test]
    fn a_nul_or_another_control_character_is_refused_with_its_line() {
        let e = check_text("# T\n\nOne\u{0}two.\n").unwrap_err();
        assert_eq!(e.field, InputField::Text);
        assert!(
            e.message.contains("NUL") && e.message.contains("line 3"),
            "{}",
            e.message
        );
        let e = check_text("a\u{1b}[31m\n").unwrap_err();
        assert!(e.message.contains("U+001B") && e.message.contains("line 1"));
        assert_eq!(check_title("T\u{0}").unwrap_err().field, InputField::Title);
        assert_eq!(
            check_prose("why\u{7f}", InputField::Rationale, false)
                .unwrap_err()
                .field,
            InputField::Rationale
        );
        assert_eq!(
            check_message("m\u{0}").unwrap_err().field,
            InputField::Message
        );
        // tabs, line ends and other scripts are text
        assert!(check_text("a\tb\r\n\u{a0}ü 中文 العربية\n").is_ok());
    }

    #[test]
    fn texts_are_normalised() {
        assert_eq!(check_text("a\r\nb").unwrap(), "a\nb\n");
        assert_eq!(
            check_prose("  why\r\n ", InputField::Rationale, false).unwrap(),
            "why"
        );
        assert_eq!(check_title("  T  ").unwrap(), "T");
    }
}
