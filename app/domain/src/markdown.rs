//! Markdown from users, rendered so that it can never run script in anyone's browser.
//!
//! pulldown-cmark escapes all text and attribute values it writes. What it would pass through
//! untouched is raw HTML (blocks and inline) and link/image destinations. Here raw HTML is turned
//! into visible text, and a destination is kept only when it is relative or uses a scheme from a
//! short allow-list (`http`, `https`, `mailto`); anything else (`javascript:`, `data:`,
//! `vbscript:`, entity or whitespace tricks that a browser would decode into those) becomes `#`.
//! Images are not loaded: each becomes a link to its address (an image from elsewhere would tell
//! its server who reads the page), and every link carries `rel="nofollow ugc noopener"`.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o
}

/// Render Markdown to HTML that is safe to insert into a page.
pub fn render_safe(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(neutralise);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    // every `<a` in the output is one pulldown-cmark wrote (raw HTML was made text above)
    out.replace("<a href=\"", "<a rel=\"nofollow ugc noopener\" href=\"")
}

/// Render a text of the declaration: as [`render_safe`], with its square brackets shown
/// ([`crate::drafting::brackets`]): a bracketed passage between two bracket marks, an agreed ad
/// referendum passage between two half-brackets followed by "ad ref". The marks are fixed
/// markup written here, never user text.
pub fn render_draft(markdown: &str) -> String {
    use crate::drafting::brackets as b;
    let source = b::to_placeholders(markdown);
    let events = Parser::new_ext(&source, options())
        .map(neutralise)
        .flat_map(|event| match event {
            Event::Text(t) if t.contains(is_mark) => show_marks(&t),
            Event::Code(t) if t.contains(is_mark) => {
                vec![Event::Code(b::placeholders_to_source(&t).into())]
            }
            other => vec![other],
        });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out.replace("<a href=\"", "<a rel=\"nofollow ugc noopener\" href=\"")
}

fn is_mark(c: char) -> bool {
    use crate::drafting::brackets as b;
    matches!(
        c,
        b::P_OPEN | b::P_CLOSE | b::P_AD_REF_OPEN | b::P_AD_REF_CLOSE
    )
}

/// A text with placeholders as text and the marks' markup, in order.
fn show_marks(text: &str) -> Vec<Event<'static>> {
    use crate::drafting::brackets as b;
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(is_mark) {
        if i > 0 {
            out.push(Event::Text(rest[..i].to_owned().into()));
        }
        let c = rest[i..].chars().next().unwrap_or(b::P_OPEN);
        out.push(Event::InlineHtml(CowStr::Borrowed(match c {
            b::P_OPEN => r#"<span class="bracket" title="In brackets: not agreed">[</span>"#,
            b::P_CLOSE => r#"<span class="bracket">]</span>"#,
            b::P_AD_REF_OPEN => r#"<span class="adref-mark" title="Agreed ad referendum">⸢</span>"#,
            _ => r#"<span class="adref-mark">⸣</span><sup class="adref">ad ref</sup>"#,
        })));
        rest = &rest[i + c.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(rest.to_owned().into()));
    }
    out
}

/// Make one parser event harmless.
pub fn neutralise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url, false),
            title,
            id,
        }),
        // an image becomes a link to it, its description the link's text
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url, true),
            title,
            id,
        }),
        Event::End(pulldown_cmark::TagEnd::Image) => Event::End(pulldown_cmark::TagEnd::Link),
        other => other,
    }
}

fn safe_url(url: CowStr<'_>, image: bool) -> CowStr<'_> {
    if is_safe_url(&url, image) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Whether a (decoded) link destination is safe to emit. Browsers drop ASCII tab and newline
/// anywhere in a URL and leading control characters and spaces, so the scheme is read the same
/// way here.
pub fn is_safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            if image {
                matches!(scheme.as_str(), "http" | "https")
            } else {
                matches!(scheme.as_str(), "http" | "https" | "mailto")
            }
        }
        // no scheme: a relative reference, a path, a query or a fragment
        _ => true,
    }
}

/// The plain text of a Markdown fragment (for titles, summaries and search).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A block of a Markdown text as plain text, for layouts that are not HTML (the PDF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlainBlock {
    /// A heading, with its level (1–6).
    Heading(u8, String),
    /// A paragraph, or one item of a list (with its bullet or number).
    Text(String),
}

/// The blocks of a Markdown text, inline markup removed: each heading, paragraph and list item
/// on its own, in order. Raw HTML is dropped, as the safe rendering drops it.
pub fn plain_blocks(markdown: &str) -> Vec<PlainBlock> {
    use crate::drafting::brackets as b;
    use pulldown_cmark::TagEnd;
    let source = b::to_placeholders(markdown);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut heading: Option<u8> = None;
    // for each open list: the next number, or None for bullets
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |text: &mut String, heading: Option<u8>, out: &mut Vec<PlainBlock>| {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.clear();
        if t.is_empty() {
            return;
        }
        out.push(match heading {
            Some(level) => PlainBlock::Heading(level, t),
            None => PlainBlock::Text(t),
        });
    };
    for ev in Parser::new_ext(&source, options()) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut text, None, &mut out);
                heading = Some(level as u8);
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut text, heading, &mut out);
                heading = None;
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut text, None, &mut out);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut text, None, &mut out);
                let indent = "  ".repeat(lists.len().saturating_sub(1));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        text.push_str(&format!("{indent}{n}. "));
                        *n += 1;
                    }
                    _ => text.push_str(&format!("{indent}• ")),
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                flush(&mut text, None, &mut out)
            }
            Event::Text(t) => text.push_str(&b::placeholders_to_plain(&t)),
            Event::Code(t) => text.push_str(&b::placeholders_to_source(&t)),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    flush(&mut text, None, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_blocks_keep_structure_and_drop_markup() {
        use super::PlainBlock::*;
        let md = "# The *Title*\n\nWe **commit** to `learning`.\nOn two lines.\n\n1. first\n2. second\n\n- a\n- b <script>x</script>\n\n<div>raw</div>\n";
        assert_eq!(
            super::plain_blocks(md),
            vec![
                Heading(1, "The Title".into()),
                Text("We commit to learning. On two lines.".into()),
                Text("1. first".into()),
                Text("2. second".into()),
                Text("• a".into()),
                Text("• b x".into()),
            ]
        );
    }

    use super::*;

    /// Reads every real tag of the output (text `<` is always escaped, so each `<` opens one) and
    /// checks that only harmless elements and attributes appear, with safe destinations.
    fn assert_inert(html: &str) {
        const TAGS: &[&str] = &[
            "p",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "em",
            "strong",
            "a",
            "img",
            "ul",
            "ol",
            "li",
            "code",
            "pre",
            "blockquote",
            "hr",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "del",
            "sup",
            "div",
            "span",
        ];
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            let after = &rest[i + 1..];
            let end = after.find('>').expect("unclosed tag");
            let tag = after[..end].trim_start_matches('/').trim_end_matches('/');
            let name = tag
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            assert!(TAGS.contains(&name.as_str()), "tag {name:?} in {html}");
            // attributes: name="value" pairs; values never contain a raw quote (escaped)
            let mut attrs = tag[name.len()..].trim();
            while !attrs.is_empty() {
                let eq = attrs.find('=').expect("attribute without value");
                let an = attrs[..eq].trim().to_ascii_lowercase();
                let v = &attrs[eq + 1..];
                assert!(v.starts_with('"'), "unquoted attribute in {html}");
                let close = v[1..].find('"').expect("unterminated attribute") + 1;
                let value = &v[1..close];
                assert!(
                    ["href", "src", "title", "alt", "start", "style", "class", "rel"]
                        .contains(&an.as_str()),
                    "attribute {an:?} in {html}"
                );
                if an == "rel" {
                    assert_eq!(value, "nofollow ugc noopener", "rel in {html}");
                }
                if an == "style" {
                    assert!(
                        value.starts_with("text-align:"),
                        "style {value:?} in {html}"
                    );
                }
                if an == "href" || an == "src" {
                    // the browser decodes character references once: every `&` must open
                    // one of the references the writer uses, which decode to plain characters
                    const REFS: [(&str, &str); 5] = [
                        ("&#x27;", "'"),
                        ("&quot;", "\""),
                        ("&lt;", "<"),
                        ("&gt;", ">"),
                        ("&amp;", "&"),
                    ];
                    for (i, _) in value.match_indices('&') {
                        assert!(
                            REFS.iter().any(|(r, _)| value[i..].starts_with(r)),
                            "unexpected reference in url {value:?}"
                        );
                    }
                    let decoded = REFS
                        .iter()
                        .fold(value.to_string(), |d, (r, c)| d.replace(r, c));
                    assert!(
                        is_safe_url(&decoded, an == "src"),
                        "unsafe url {value:?} in {html}"
                    );
                }
                attrs = v[close + 1..].trim();
            }
            rest = &after[end + 1..];
        }
    }

    #[test]
    fn the_checker_catches_what_it_must() {
        for bad in [
            "<script>x</script>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<img src=\"x\" onerror=\"alert(1)\">",
            "<svg onload=\"x\"></svg>",
        ] {
            let caught = std::panic::catch_unwind(|| assert_inert(bad)).is_err();
            assert!(caught, "checker missed {bad}");
        }
    }

    const PAYLOADS: &[&str] = &[
        "<script>alert(1)</script>",
        "hello <script>alert(1)</script> world",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<div onclick=\"alert(1)\">click</div>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](&#x6A;avascript:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](<java\tscript:alert(1)>)",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "[x](\"onmouseover=alert(1) \")",
        "[x](https://example.org \"\\\" onmouseover=alert(1) x=\\\"\")",
        "<details open ontoggle=alert(1)>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "`<script>alert(1)</script>`",
        "<!-- --><script>alert(1)</script>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    ];

    #[test]
    fn payloads_are_inert() {
        for p in PAYLOADS {
            let html = render_safe(p);
            assert_inert(&html);
        }
    }

    #[test]
    fn payloads_in_brackets_are_inert() {
        for p in PAYLOADS {
            for marked in [
                format!("[[{p}]]"),
                format!("a [[ad ref: {p}]] b"),
                format!("[[x / {p}]]"),
            ] {
                assert_inert(&render_draft(&marked));
            }
        }
        // the placeholder characters typed by someone are dropped, never markup
        assert_inert(&render_draft("a \u{E000}<script>x</script>\u{E001} b"));
        assert!(!render_draft("a \u{E000}b\u{E001}").contains("bracket"));
    }

    #[test]
    fn brackets_render_as_brackets() {
        let html =
            render_draft("We [[welcome / note]] the *plan* [[ad ref: of 2030]]; `[[code]]`.");
        assert!(html.contains(r#"<span class="bracket" title="In brackets: not agreed">[</span>welcome / note<span class="bracket">]</span>"#), "{html}");
        assert!(
            html.contains(
                r#"⸢</span>of 2030<span class="adref-mark">⸣</span><sup class="adref">ad ref</sup>"#
            ),
            "{html}"
        );
        assert!(html.contains("<code>[[code]]</code>"), "{html}");
        // ordinary brackets and a link stay as they are
        let html = render_draft("[1] and [UIL](https://uil.unesco.org/)");
        assert!(html.starts_with("<p>[1] and <a rel"), "{html}");
        // plain blocks (the PDF) show the brackets as text
        assert_eq!(
            plain_blocks("1. We [[welcome]] the [[ad ref: plan]]."),
            vec![PlainBlock::Text(
                "1. We [welcome] the plan (ad ref).".into()
            )]
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render_safe("a <b>bold</b> claim");
        assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn safe_links_survive() {
        let html = render_safe("[UIL](https://uil.unesco.org/) and [top](#p1) and [mail](mailto:a@b.org) and [rel](/conferences)");
        assert!(html.contains("href=\"https://uil.unesco.org/\""));
        assert!(html.contains("href=\"#p1\""));
        assert!(html.contains("href=\"mailto:a@b.org\""));
        assert!(html.contains("href=\"/conferences\""));
        assert_eq!(
            html.matches("<a rel=\"nofollow ugc noopener\" href=")
                .count(),
            4
        );
    }

    #[test]
    fn images_are_not_loaded_but_linked() {
        let html = render_safe("![a map](https://tracker.example/pixel.png) and ![x](/local.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://tracker.example/pixel.png\">a map</a>"),
            "{html}"
        );
        assert!(html.contains("href=\"/local.png\">x</a>"), "{html}");
    }

    #[test]
    fn ordinary_markdown_renders() {
        let html = render_safe("# Title\n\nSome *emphasis* and a list:\n\n1. one\n2. two\n");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("<ol>"));
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(plain_text("**Bold** and `code`"), "Bold and code");
    }

    proptest::proptest! {
        #[test]
        fn any_input_renders_inert(s in "(<|>|script|svg|on[a-z]+=|javascript:|data:|\\[x\\]\\(|\\)|&#[0-9]+;| |\n|\"|'|[a-z]{1,4})*") {
            assert_inert(&render_safe(&s));
        }
    }
}
