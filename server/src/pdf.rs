//! The published declaration as a PDF, for printing and archiving: title, the place and date of
//! adoption, the paragraphs numbered as on the final page (from [`Published::body`]), the
//! adopted amendments and the SHA-256 of the Markdown. Laid out by `genpdf` in DejaVu Serif, embedded in the binary.

use app::adoption::service::Published;
use app::error::AppError;
use domain::drafting::{initial_labels, paragraphs};
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

/// The PDF of the published declaration.
pub fn declaration_pdf(p: &Published) -> Result<Vec<u8>, AppError> {
    let d = &p.dto;
    let family = fonts::FontFamily {
        regular: font(SERIF)?,
        bold: font(SERIF_BOLD)?,
        italic: font(SERIF)?,
        bold_italic: font(SERIF_BOLD)?,
    };
    let mut doc = genpdf::Document::new(family);
    doc.set_title(d.title.clone());
    doc.set_font_size(11);
    doc.set_line_spacing(1.3);
    let mut decorator = genpdf::SimplePageDecorator::new();
    decorator.set_margins(20);
    doc.set_page_decorator(decorator);

    let bold = style::Style::new().bold();
    let muted = style::Style::new().with_color(style::Color::Greyscale(90));
    doc.push(elements::Paragraph::new(d.conference.title.clone()).styled(muted.with_font_size(10)));
    doc.push(elements::Break::new(0.5));
    doc.push(elements::Paragraph::new(d.title.clone()).styled(bold.with_font_size(18)));
    doc.push(elements::Paragraph::new(d.adopted.sentence()).styled(muted));
    doc.push(elements::Break::new(1.0));

    // numbered as on the final page
    let paras = paragraphs(&p.body);
    for (para, label) in paras.iter().zip(initial_labels(&paras)) {
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

    let mut out = Vec::new();
    doc.render(&mut out).map_err(|e| {
        tracing::error!("PDF: {e}");
        AppError::internal()
    })?;
    Ok(out)
}
