//! Paragraphs of a Markdown declaration and their display numbers.

use serde::{Deserialize, Serialize};

/// One paragraph of a document: a maximal run of non-blank lines.
///
/// `start..end` are byte offsets into the document; `text` is `&document[start..end]`, from the
/// first character of its first line to the end of its last line, without that line's
/// terminator (`\n` or `\r\n`). Lines inside a paragraph keep their own terminators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Whether a line is blank as CommonMark defines it: empty, or only spaces and tabs (a lone
/// `\r` is a line end there). Other white space, such as a no-break space (U+00A0), is text:
/// a line of it continues its paragraph, as the Markdown renderer shows it.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| matches!(c, ' ' | '\t' | '\r'))
}

/// Byte ranges of the paragraphs of `text`, in order. Paragraphs are separated by one or more
/// blank lines (empty or whitespace-only); leading and trailing blank lines belong to none.
pub(crate) fn paragraph_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        if is_blank(content) {
            if let Some(range) = current.take() {
                out.push(range);
            }
        } else {
            let line_end = line_start + content.len();
            current = Some(match current {
                Some((start, _)) => (start, line_end),
                None => (line_start, line_end),
            });
        }
    }
    if let Some(range) = current {
        out.push(range);
    }
    out
}

/// Splits a document into its paragraphs (see [`Paragraph`]). An empty or blank document has
/// none. Works the same with or without a final newline, and with `\r\n` line ends.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    paragraph_ranges(text)
        .into_iter()
        .map(|(start, end)| Paragraph {
            start,
            end,
            text: text[start..end].to_owned(),
        })
        .collect()
}

/// Whether a paragraph is a Markdown ATX heading: up to three spaces, one to six `#`, then a
/// space, a tab or the end of the line (`#hashtag` is no heading, as in CommonMark).
pub fn is_heading(paragraph: &str) -> bool {
    let indent = paragraph.len() - paragraph.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &paragraph[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return false;
    }
    matches!(
        rest[hashes..].chars().next(),
        None | Some(' ' | '\t' | '\r' | '\n')
    )
}

/// Display numbers of paragraphs, one entry per paragraph: headings (see [`is_heading`]) get
/// `None`, every other paragraph (prose, list item block, numbered paragraph) gets the next
/// number, counting from 1. This is the "paragraph 5" that amendments refer to.
pub fn paragraph_numbers<S: AsRef<str>>(paragraphs: &[S]) -> Vec<Option<usize>> {
    let mut next = 0;
    paragraphs
        .iter()
        .map(|p| {
            if is_heading(p.as_ref()) {
                None
            } else {
                next += 1;
                Some(next)
            }
        })
        .collect()
}

impl AsRef<str> for Paragraph {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &str) -> Vec<String> {
        paragraphs(doc).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn empty_and_blank_documents_have_no_paragraphs() {
        assert!(paragraphs("").is_empty());
        assert!(paragraphs("\n\n  \n\t\n").is_empty());
    }

    #[test]
    fn splits_on_blank_and_whitespace_only_lines() {
        let doc = "# Title\n\nFirst line\nsecond line\n   \n- item\n\n\n1. Numbered\n";
        assert_eq!(
            texts(doc),
            vec![
                "# Title",
                "First line\nsecond line",
                "- item",
                "1. Numbered"
            ]
        );
    }

    #[test]
    fn a_line_of_no_break_spaces_does_not_split_a_paragraph() {
        // CommonMark: only spaces and tabs make a line blank
        let doc = "First line\n\u{a0}\u{a0}\nsecond line\n\n\u{2003}\nThird\n";
        assert_eq!(
            texts(doc),
            vec!["First line\n\u{a0}\u{a0}\nsecond line", "\u{2003}\nThird"]
        );
        // and the renderer agrees: one paragraph, not two
        let html = crate::markdown::render_safe("First line\n\u{a0}\u{a0}\nsecond line\n");
        assert_eq!(html.matches("<p>").count(), 1, "{html}");
    }

    #[test]
    fn offsets_point_into_the_document() {
        let doc = "\n\nAlpha beta\n\nGamma";
        let ps = paragraphs(doc);
        assert_eq!(ps.len(), 2);
        for p in &ps {
            assert_eq!(&doc[p.start..p.end], p.text);
        }
        assert_eq!(ps[0].start, 2);
        assert_eq!(ps[1].text, "Gamma");
        assert_eq!(ps[1].end, doc.len());
    }

    #[test]
    fn final_newline_does_not_matter() {
        assert_eq!(texts("A\n\nB\n"), texts("A\n\nB"));
    }

    #[test]
    fn crlf_line_ends_are_not_part_of_the_text() {
        assert_eq!(texts("A\r\nA2\r\n\r\nB\r\n"), vec!["A\r\nA2", "B"]);
    }

    #[test]
    fn headings_are_not_numbered() {
        let ps = [
            "# Preamble",
            "We the people",
            "## Part 1",
            "#hashtag is prose",
            "Last",
        ];
        assert_eq!(
            paragraph_numbers(&ps),
            vec![None, Some(1), None, Some(2), Some(3)]
        );
        assert!(is_heading("###"));
        assert!(is_heading("   # indented"));
        assert!(!is_heading("    # code block"));
        assert!(!is_heading("####### seven"));
        assert!(paragraph_numbers::<&str>(&[]).is_empty());
    }
}
