//! The published declaration as a PDF, for printing and archiving: title, the place and date of
//! adoption, the paragraphs numbered as on the final page (from [`Published::body`]), the
//! adopted amendments and the SHA-256 of the Markdown; and the working draft with its square
//! brackets, for the negotiating table. Laid out by `genpdf` in DejaVu Serif, embedded in the
//! binary.

use app::adoption::service::Published;
use app::error::AppError;
use domain::drafting::{initial_labels, paragraphs, Label};
use domain::markdown::{plain_blocks, PlainBlock};
use genpdf::{elements, fonts, style, Alignment, Element};

static SERIF: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

fn font(bytes: &'static [u8]) -> Result<fonts::FontData, AppError> {
    fonts::FontData::new(bytes.to_vec(), None).map_err(|e| {
        tracing::error!("PDF font: {e}");
        AppError::internal()
    })
}

/// A document in DejaVu Serif with the page margins of all our PDFs.
fn document(title: &str) -> Result<genpdf::Document, AppError> {
    let family = fonts::FontFamily {
        regular: font(SERIF)?,
        bold: font(SERIF_BOLD)?,
        italic: font(SERIF)?,
        bold_italic: font(SERIF_BOLD)?,
    };
    let mut doc = genpdf::Document::new(family);
    doc.set_title(title.to_owned());
    doc.set_font_size(11);
    doc.set_line_spacing(1.3);
    let mut decorator = genpdf::SimplePageDecorator::new();
    decorator.set_margins(20);
    doc.set_page_decorator(decorator);
    Ok(doc)
}

/// The conference, the title and a line under it.
fn push_title(doc: &mut genpdf::Document, conference: &str, title: &str, under: &str) {
    let bold = style::Style::new().bold();
    let muted = style::Style::new().with_color(style::Color::Greyscale(90));
    doc.push(elements::Paragraph::new(conference.to_owned()).styled(muted.with_font_size(10)));
    doc.push(elements::Break::new(0.5));
    doc.push(elements::Paragraph::new(title.to_owned()).styled(bold.with_font_size(18)));
    doc.push(elements::Paragraph::new(under.to_owned()).styled(muted));
    doc.push(elements::Break::new(1.0));
}

/// The text, paragraph by paragraph, each numbered by its label; square brackets shown as such
/// ([`plain_blocks`]).
fn push_body(doc: &mut genpdf::Document, markdown: &str, labels: &[Option<Label>]) {
    let bold = style::Style::new().bold();
    let paras = paragraphs(markdown);
    let fresh;
    let labels = if labels.len() == paras.len() {
        labels
    } else {
        fresh = initial_labels(&paras);
        &fresh
    };
    for (para, label) in paras.iter().zip(labels) {
        for (i, block) in plain_blocks(&para.text).into_iter().enumerate() {
            match block {
                PlainBlock::Heading(level, text) => {
                    let size = match level {
                        1 => 16,
                        2 => 13,
                        _ => 12,
                    };
                    doc.push(elements::Break::new(0.6));
                    doc.push(elements::Paragraph::new(text).styled(bold.with_font_size(size)));
                }
                PlainBlock::Text(text) => {
                    let mut line = elements::Paragraph::default();
                    match label {
                        Some(n) if i == 0 => line.push_styled(format!("{n}.  "), bold),
                        _ => line.push(if label.is_some() { "     " } else { "" }),
                    }
                    line.push(text);
                    doc.push(line.aligned(Alignment::Left).padded((1, 0, 1, 0)));
                }
            }
        }
    }
}

fn render(doc: genpdf::Document) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    doc.render(&mut out).map_err(|e| {
        tracing::error!("PDF: {e}");
        AppError::internal()
    })?;
    Ok(out)
}

/// The working draft as a PDF, for the negotiating table: the current version, its paragraphs
/// labelled as on the drafting pages, passages in square brackets printed in brackets (and
/// agreed ad referendum ones marked "(ad ref)").
pub fn draft_pdf(
    conference: &str,
    title: &str,
    under: &str,
    markdown: &str,
    labels: &[Option<Label>],
) -> Result<Vec<u8>, AppError> {
    let mut doc = document(title)?;
    push_title(&mut doc, conference, title, under);
    push_body(&mut doc, markdown, labels);
    render(doc)
}

/// The PDF of the published declaration.
pub fn declaration_pdf(p: &Published) -> Result<Vec<u8>, AppError> {
    let d = &p.dto;
    let bold = style::Style::new().bold();
    let muted = style::Style::new().with_color(style::Color::Greyscale(90));
    let mut doc = document(&d.title)?;
    push_title(
        &mut doc,
        &d.conference.title,
        &d.title,
        &d.adopted.sentence(),
    );
    // numbered as on the final page
    push_body(&mut doc, &p.body, &[]);

    if !d.amendments.is_empty() {
        doc.push(elements::Break::new(1.0));
        doc.push(
            elements::Paragraph::new("Appendix: adopted amendments")
                .styled(bold.with_font_size(13)),
        );
        for a in &d.amendments {
            doc.push(elements::Paragraph::new(a.line()).padded((1, 0, 0, 0)));
        }
    }
    doc.push(elements::Break::new(1.5));
    doc.push(
        elements::Paragraph::new(format!(
            "SHA-256 of the adopted Markdown ({}-declaration.md): {}",
            d.conference.slug, d.sha256
        ))
        .styled(muted.with_font_size(8)),
    );

    render(doc)
}

/// The released programme as a PDF for printing: by day, each session as a line with its time,
/// room, kind and title, and its chairs and speakers under it.
pub fn programme_pdf(p: &app::programme::dto::ProgrammeDto) -> Result<Vec<u8>, AppError> {
    let bold = style::Style::new().bold();
    let muted = style::Style::new().with_color(style::Color::Greyscale(90));
    let title = format!("Programme: {}", p.conference.title);
    let mut doc = document(&title)?;
    let under = match &p.release {
        Some(r) => format!(
            "Release {} of {}. Times in {}.",
            r.number, r.released_label, p.conference.timezone
        ),
        None => "Not released yet.".to_owned(),
    };
    push_title(&mut doc, &p.conference.title, "Programme", &under);
    for day in &p.days {
        let sessions: Vec<_> = p.sessions.iter().filter(|s| s.day == day.date).collect();
        if sessions.is_empty() {
            continue;
        }
        doc.push(elements::Break::new(0.6));
        doc.push(elements::Paragraph::new(day.label.clone()).styled(bold.with_font_size(14)));
        for s in sessions {
            let mut line = elements::Paragraph::default();
            line.push_styled(format!("{}–{}  ", s.start_hm(), s.end_hm()), bold);
            line.push_styled(s.title.clone(), bold);
            doc.push(line.padded((1, 0, 0, 0)));
            let mut meta = vec![s.kind_label.clone()];
            if let Some(r) = &s.room {
                meta.push(r.clone());
            }
            if !s.chairs.is_empty() {
                meta.push(format!("Chair: {}", s.chairs.join(", ")));
            }
            if !s.speakers.is_empty() {
                meta.push(format!("Speakers: {}", s.speakers.join(", ")));
            }
            doc.push(
                elements::Paragraph::new(meta.join(" · "))
                    .styled(muted.with_font_size(9))
                    .padded((0, 0, 0, 12)),
            );
        }
    }
    render(doc)
}

/// The amendments as a table for the committee's papers: number, paragraph, sponsor,
/// co-sponsors, state and decision (a frame per row, so a row never breaks across pages).
pub fn amendments_pdf(t: &app::drafting::dto::AmendmentTableDto) -> Result<Vec<u8>, AppError> {
    let bold = style::Style::new().bold();
    let small = style::Style::new().with_font_size(9);
    let rows = &t.rows;
    let mut doc = document(&format!("Amendments: {}", t.declaration_title))?;
    push_title(
        &mut doc,
        &t.conference_title,
        "Amendments",
        &t.declaration_title,
    );
    let mut table = elements::TableLayout::new(vec![1, 2, 4, 3, 3, 2, 4]);
    table.set_cell_decorator(elements::FrameCellDecorator::new(true, true, false));
    let head = [
        "No.",
        "Para.",
        "Title",
        "Sponsor",
        "Co-sponsors",
        "State",
        "Decision",
    ];
    let mut row = table.row();
    for h in head {
        row.push_element(
            elements::Paragraph::new(h)
                .styled(bold.with_font_size(9))
                .padded((1, 1, 1, 1)),
        );
    }
    row.push().map_err(|e| {
        tracing::error!("PDF table: {e}");
        AppError::internal()
    })?;
    for a in rows {
        let mut row = table.row();
        for cell in [
            a.number.to_string(),
            a.paragraph.clone(),
            a.title.clone(),
            a.sponsor.clone(),
            a.co_sponsors.clone(),
            a.state.clone(),
            a.decision.clone(),
        ] {
            row.push_element(
                elements::Paragraph::new(cell)
                    .styled(small)
                    .padded((1, 1, 1, 1)),
            );
        }
        row.push().map_err(|e| {
            tracing::error!("PDF table: {e}");
            AppError::internal()
        })?;
    }
    doc.push(table);
    if rows.is_empty() {
        doc.push(elements::Paragraph::new(
            "No amendment is before the committee yet.",
        ));
    }
    render(doc)
}
