//! Badges as a print-ready PDF: one A6 badge per page, or four on each A4 sheet with cut
//! marks. Each shows the conference, the name, the delegation or organisation, the category
//! in words on a band of its colour, and the badge code as a QR code and as text (to type
//! when there is no camera). Drawn with printpdf at fixed places; DejaVu Serif embedded.

use app::error::AppError;
use db::desk::BadgeRow;
use domain::desk::{category_colour, BadgeLayout};
use domain::registration::Category;
use printpdf::{
    Color, IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference, Point,
    Rgb,
};
use qrcode::{EcLevel, QrCode};

static SERIF: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

const BADGE_W: f64 = 105.0;
const BADGE_H: f64 = 148.0;

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    tracing::error!("badge PDF, {what}: {e}");
    AppError::internal()
}

fn rgb((r, g, b): (u8, u8, u8)) -> Color {
    Color::Rgb(Rgb::new(
        f64::from(r) / 255.0,
        f64::from(g) / 255.0,
        f64::from(b) / 255.0,
        None,
    ))
}

/// A page and the place of its top-left corner; `y` measured down from the top, in mm.
struct Slot<'a> {
    layer: &'a PdfLayerReference,
    page_h: f64,
    x: f64,
    y: f64,
}

impl Slot<'_> {
    fn point(&self, x: f64, y: f64) -> (Point, bool) {
        (
            Point::new(Mm(self.x + x), Mm(self.page_h - (self.y + y))),
            false,
        )
    }

    fn rect(&self, x: f64, y: f64, w: f64, h: f64, fill: Color) {
        self.layer.set_fill_color(fill);
        self.layer.add_shape(Line {
            points: vec![
                self.point(x, y),
                self.point(x + w, y),
                self.point(x + w, y + h),
                self.point(x, y + h),
            ],
            is_closed: true,
            has_fill: true,
            has_stroke: false,
            is_clipping_path: false,
        });
    }

    /// Text with its baseline at `y`.
    fn text(&self, s: &str, size: f64, x: f64, y: f64, font: &IndirectFontRef, colour: Color) {
        self.layer.set_fill_color(colour);
        self.layer.use_text(
            s,
            size,
            Mm(self.x + x),
            Mm(self.page_h - (self.y + y)),
            font,
        );
    }
}

/// Splits a long name into at most two lines at the space nearest its middle.
fn name_lines(name: &str) -> Vec<String> {
    let n = name.chars().count();
    if n <= 20 {
        return vec![name.to_owned()];
    }
    let mid = n / 2;
    let best = name
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .min_by_key(|i| (name[..*i].chars().count()).abs_diff(mid));
    match best {
        Some(i) => vec![name[..i].trim().to_owned(), name[i..].trim().to_owned()],
        None => vec![name.to_owned()],
    }
}

/// A font size (pt) at which `chars` characters fit in `width` mm (DejaVu Serif's characters are
/// at most about 0.62 em wide on average), capped at `max`.
fn fitting(chars: usize, width: f64, max: f64) -> f64 {
    let width_pt = width / 25.4 * 72.0;
    (width_pt / (0.62 * chars.max(1) as f64)).clamp(6.0, max)
}

struct Fonts {
    regular: IndirectFontRef,
    bold: IndirectFontRef,
}

fn draw_badge(slot: &Slot, fonts: &Fonts, conference: &str, b: &BadgeRow) -> Result<(), AppError> {
    let category = Category::parse(&b.category);
    let colour = category.map_or((0x33, 0x33, 0x33), category_colour);
    let word = category.map_or_else(|| b.category.clone(), |c| c.label().to_owned());
    let black = rgb((0x11, 0x18, 0x27));
    let white = rgb((0xff, 0xff, 0xff));
    let grey = rgb((0x4b, 0x55, 0x63));
    let inner = BADGE_W - 16.0;
    // the category band, with its name in words
    slot.rect(0.0, 0.0, BADGE_W, 20.0, rgb(colour));
    let upper = word.to_uppercase();
    slot.text(
        &upper,
        fitting(upper.chars().count(), inner, 15.0),
        8.0,
        13.0,
        &fonts.bold,
        white.clone(),
    );
    // the conference
    let title: String = conference.chars().take(60).collect();
    slot.text(
        &title,
        fitting(title.chars().count(), inner, 10.0),
        8.0,
        29.0,
        &fonts.regular,
        grey.clone(),
    );
    // the name, one or two lines
    let lines = name_lines(&b.name);
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let size = fitting(longest, inner, 24.0);
    let step = size * 0.4;
    let mut y = 44.0;
    for l in &lines {
        slot.text(l, size, 8.0, y, &fonts.bold, black.clone());
        y += step + 2.0;
    }
    if let Some(a) = &b.affiliation {
        let a: String = a.chars().take(70).collect();
        slot.text(
            &a,
            fitting(a.chars().count(), inner, 13.0),
            8.0,
            y + 3.0,
            &fonts.regular,
            black.clone(),
        );
    }
    // the QR code, 42 mm square, and the code as text under it
    let qr = QrCode::with_error_correction_level(b.code.as_str().as_bytes(), EcLevel::M)
        .map_err(|e| internal("QR code", e))?;
    let width = qr.width();
    let colors = qr.to_colors();
    let side = 42.0;
    let module = side / width as f64;
    let (qx, qy) = ((BADGE_W - side) / 2.0, 80.0);
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] == qrcode::Color::Dark {
                let start = col;
                while col < width && colors[row * width + col] == qrcode::Color::Dark {
                    col += 1;
                }
                // a hair wider than the run, so that neighbouring modules leave no seam
                slot.rect(
                    qx + start as f64 * module,
                    qy + row as f64 * module,
                    (col - start) as f64 * module + 0.02,
                    module + 0.02,
                    black.clone(),
                );
            } else {
                col += 1;
            }
        }
    }
    let grouped = b.code.grouped();
    slot.text(
        &grouped,
        11.0,
        (BADGE_W - 46.0) / 2.0,
        qy + side + 7.0,
        &fonts.regular,
        black.clone(),
    );
    // a thin band of the category's colour at the foot
    slot.rect(0.0, BADGE_H - 6.0, BADGE_W, 6.0, rgb(colour));
    Ok(())
}

/// Thin grey cut marks along the lines between the four badges of an A4 sheet.
fn cut_marks(layer: &PdfLayerReference) {
    layer.set_outline_color(rgb((0x9c, 0xa3, 0xaf)));
    layer.set_outline_thickness(0.3);
    let slot = Slot {
        layer,
        page_h: 297.0,
        x: 0.0,
        y: 0.0,
    };
    for (a, b) in [
        ((BADGE_W, 0.0), (BADGE_W, 297.0)),
        ((0.0, BADGE_H), (210.0, BADGE_H)),
    ] {
        layer.add_shape(Line {
            points: vec![slot.point(a.0, a.1), slot.point(b.0, b.1)],
            is_closed: false,
            has_fill: false,
            has_stroke: true,
            is_clipping_path: false,
        });
    }
}

fn fonts(doc: &PdfDocumentReference) -> Result<Fonts, AppError> {
    Ok(Fonts {
        regular: doc
            .add_external_font(SERIF)
            .map_err(|e| internal("font", e))?,
        bold: doc
            .add_external_font(SERIF_BOLD)
            .map_err(|e| internal("font", e))?,
    })
}

/// The badges of `rows` as one PDF.
pub fn badges_pdf(
    conference: &str,
    rows: &[BadgeRow],
    layout: BadgeLayout,
) -> Result<Vec<u8>, AppError> {
    let (page_w, page_h) = match layout {
        BadgeLayout::A6 => (BADGE_W, BADGE_H),
        BadgeLayout::A4 => (210.0, 297.0),
    };
    let (doc, first_page, first_layer) = PdfDocument::new(
        format!("Badges: {conference}"),
        Mm(page_w),
        Mm(page_h),
        "Badges",
    );
    let fonts = fonts(&doc)?;
    let per_page = layout.per_page();
    let pages = rows.len().div_ceil(per_page).max(1);
    for p in 0..pages {
        let layer = if p == 0 {
            doc.get_page(first_page).get_layer(first_layer)
        } else {
            let (page, layer) = doc.add_page(Mm(page_w), Mm(page_h), "Badges");
            doc.get_page(page).get_layer(layer)
        };
        if layout == BadgeLayout::A4 {
            cut_marks(&layer);
        }
        for (i, b) in rows.iter().skip(p * per_page).take(per_page).enumerate() {
            let slot = Slot {
                layer: &layer,
                page_h,
                x: (i % 2) as f64 * BADGE_W,
                y: (i / 2) as f64 * BADGE_H,
            };
            draw_badge(&slot, &fonts, conference, b)?;
        }
        if rows.is_empty() {
            let slot = Slot {
                layer: &layer,
                page_h,
                x: 0.0,
                y: 0.0,
            };
            slot.text(
                "No accredited participants to print badges for.",
                10.0,
                8.0,
                20.0,
                &fonts.regular,
                rgb((0, 0, 0)),
            );
        }
    }
    let mut out = std::io::BufWriter::new(Vec::new());
    doc.save(&mut out).map_err(|e| internal("writing", e))?;
    out.into_inner().map_err(|e| internal("writing", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_break_at_the_space_nearest_the_middle() {
        assert_eq!(name_lines("Trine Hansen"), ["Trine Hansen"]);
        assert_eq!(
            name_lines("María Fernanda Espinosa Garcés"),
            ["María Fernanda", "Espinosa Garcés"]
        );
        assert_eq!(
            name_lines("Abcdefghijklmnopqrstuvwxyz"),
            ["Abcdefghijklmnopqrstuvwxyz"]
        );
        assert!(fitting(40, 89.0, 24.0) < fitting(10, 89.0, 24.0));
        assert_eq!(fitting(1, 89.0, 24.0), 24.0);
    }
}
