//! One compressed body out of parts compressed separately, so that a page kept compressed can
//! be sent with one small part of it changed (a logged-in person's account corner) without
//! compressing the rest again.
//!
//! gzip: each part is a raw DEFLATE stream: every part but the last ends with a sync flush
//! (byte-aligned, no final block), the last with the final block. One gzip header, the parts'
//! DEFLATE data one after another, and a trailer whose CRC-32 is combined from the parts'
//! CRCs (`crc32fast`'s `combine`) make an ordinary single-member gzip file: nothing is
//! compressed per request.
//!
//! brotli: the first part is made "appendable" and the others "catable" (no reference before
//! their own start); the `brotli` crate's `BroCatli` joins such streams into one valid
//! stream, copying their bytes.

use axum::body::Bytes;
use std::io::Write;

/// Where a part stands in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    First,
    Middle,
    Last,
}

/// One part of a body, compressed both ways.
#[derive(Clone, Debug)]
pub struct Part {
    /// Raw DEFLATE (final block only if the part is [`Place::Last`]).
    deflate: Bytes,
    crc: u32,
    len: u64,
    brotli: Bytes,
}

/// The brotli window of every part (joined streams may not grow the window).
const LGWIN: i32 = 22;

impl Part {
    /// Compress `text` as the part at `place`, at brotli `quality` (0–11) and the matching
    /// DEFLATE level.
    pub fn make(text: &[u8], place: Place, quality: u32) -> std::io::Result<Part> {
        let level = flate2::Compression::new(quality.clamp(1, 9));
        let mut e = flate2::write::DeflateEncoder::new(Vec::with_capacity(text.len() / 4), level);
        e.write_all(text)?;
        let deflate = if place == Place::Last {
            e.finish()?
        } else {
            // a sync flush: everything so far, byte-aligned, and no final block
            e.flush()?;
            let out = e.get_ref().clone();
            // dropping the encoder writes its final block into its own buffer only
            drop(e);
            out
        };
        let mut params = brotli::enc::BrotliEncoderParams {
            quality: quality.min(11) as i32,
            lgwin: LGWIN,
            ..Default::default()
        };
        params.appendable = true;
        params.catable = place != Place::First;
        params.use_dictionary = place == Place::First;
        params.magic_number = false;
        let mut br = Vec::with_capacity(text.len() / 5);
        brotli::BrotliCompress(&mut &text[..], &mut br, &params)?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Ok(Part {
            deflate: deflate.into(),
            crc: crc.finalize(),
            len: text.len() as u64,
            brotli: br.into(),
        })
    }

    /// The compressed bytes kept (both encodings).
    pub fn weight(&self) -> usize {
        self.deflate.len() + self.brotli.len()
    }
}

/// The gzip file of the parts' texts one after another. `parts` runs from a
/// [`Place::First`] part to a [`Place::Last`] one.
pub fn gzip(parts: &[&Part]) -> Vec<u8> {
    let size: usize = parts.iter().map(|p| p.deflate.len()).sum();
    let mut out = Vec::with_capacity(size + 18);
    // magic, DEFLATE, no flags, no time, no extra flags, unknown system
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    let mut crc = crc32fast::Hasher::new();
    let mut len = 0u64;
    for p in parts {
        out.extend_from_slice(&p.deflate);
        crc.combine(&crc32fast::Hasher::new_with_initial_len(p.crc, p.len));
        len += p.len;
    }
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    // ISIZE: the length modulo 2^32
    out.extend_from_slice(&((len & 0xffff_ffff) as u32).to_le_bytes());
    out
}

/// The brotli stream of the parts' texts one after another, or `None` if the streams cannot
/// be joined (they were not made by [`Part::make`]).
pub fn brotli(parts: &[&Part]) -> Option<Vec<u8>> {
    use brotli::concat::{BroCatli, BroCatliResult};
    let size: usize = parts.iter().map(|p| p.brotli.len()).sum();
    let mut out = vec![0u8; size + 64];
    let mut at = 0usize;
    let mut cat = BroCatli::new();
    for p in parts {
        cat.new_brotli_file();
        let mut read = 0usize;
        loop {
            match cat.stream(&p.brotli, &mut read, &mut out, &mut at) {
                BroCatliResult::NeedsMoreInput => break,
                BroCatliResult::NeedsMoreOutput => {
                    let grown = out.len() * 2;
                    out.resize(grown, 0);
                }
                _ => return None,
            }
        }
    }
    loop {
        match cat.finish(&mut out, &mut at) {
            BroCatliResult::Success => break,
            BroCatliResult::NeedsMoreOutput => {
                let grown = out.len() * 2;
                out.resize(grown, 0);
            }
            _ => return None,
        }
    }
    out.truncate(at);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        // a single-member reader: the joined file must be one member, not several
        flate2::read::GzDecoder::new(b)
            .read_to_end(&mut out)
            .expect("a valid gzip file");
        out
    }

    fn unbrotli(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &b[..], &mut out).expect("a valid brotli stream");
        out
    }

    fn page(n: usize) -> (String, String, String) {
        let head = format!(
            "<!DOCTYPE html><html><head><title>Programme</title></head><body><header>{}",
            "<a href=\"/x\">link</a>".repeat(n)
        );
        let corner =
            "<div class=\"user-menu\"><a href=\"/account\">Søren &amp; Trine</a></div>".to_string();
        let tail = format!(
            "{}</header><main>{}</main></body></html>",
            "<nav>n</nav>".repeat(n),
            "<li class=\"session\">Forum on oceans, 09:00–10:30</li>".repeat(40 * n)
        );
        (head, corner, tail)
    }

    #[test]
    fn joined_parts_are_the_whole_text_both_ways() {
        for (n, quality) in [(0, 9), (1, 5), (30, 9), (400, 9), (400, 1)] {
            let (head, corner, tail) = page(n);
            let whole = format!("{head}{corner}{tail}");
            let h = Part::make(head.as_bytes(), Place::First, quality).unwrap();
            let c = Part::make(corner.as_bytes(), Place::Middle, 5).unwrap();
            let t = Part::make(tail.as_bytes(), Place::Last, quality).unwrap();
            let gz = gzip(&[&h, &c, &t]);
            assert_eq!(gunzip(&gz), whole.as_bytes(), "gzip, n = {n}");
            let br = brotli(&[&h, &c, &t]).expect("joined");
            assert_eq!(unbrotli(&br), whole.as_bytes(), "brotli, n = {n}");
            if n >= 30 {
                assert!(gz.len() * 4 < whole.len(), "compressed: {}", gz.len());
                assert!(br.len() * 4 < whole.len(), "compressed: {}", br.len());
            }
            // another corner between the same kept parts
            let other = "<div class=\"user-menu\"><a href=\"/login\">Log in</a></div>";
            let o = Part::make(other.as_bytes(), Place::Middle, 5).unwrap();
            let again = format!("{head}{other}{tail}");
            assert_eq!(gunzip(&gzip(&[&h, &o, &t])), again.as_bytes());
            assert_eq!(unbrotli(&brotli(&[&h, &o, &t]).unwrap()), again.as_bytes());
        }
    }

    #[test]
    fn an_empty_middle_part_joins_too() {
        let h = Part::make(b"<p>before</p>", Place::First, 9).unwrap();
        let c = Part::make(b"", Place::Middle, 5).unwrap();
        let t = Part::make(b"<p>after</p>", Place::Last, 9).unwrap();
        assert_eq!(gunzip(&gzip(&[&h, &c, &t])), b"<p>before</p><p>after</p>");
        assert_eq!(
            unbrotli(&brotli(&[&h, &c, &t]).unwrap()),
            b"<p>before</p><p>after</p>"
        );
    }
}
