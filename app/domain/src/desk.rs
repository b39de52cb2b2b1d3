//! The secretariat's desk: badge codes, the rules of checking people in, and badge colours.

use crate::registration::{Category, Status};
use serde::{Deserialize, Serialize};

/// Crockford's base-32 alphabet: no I, L, O, U, so a typed code is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The number of random bytes in a code (80 bits: 16 characters).
pub const CODE_BYTES: usize = 10;

/// A participant's badge code: 80 random bits (not the person's id), written as 16 characters
/// of Crockford's base 32. It is printed on the badge as text and as a QR code, and typed or
/// scanned at the desk.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BadgeCode(String);

impl BadgeCode {
    /// The code of `bytes` (from the operating system's random source).
    pub fn from_bytes(bytes: [u8; CODE_BYTES]) -> BadgeCode {
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let code = (0..16)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        BadgeCode(code)
    }

    /// A code as typed or scanned: case, spaces and dashes do not matter, and the letters
    /// Crockford reads as digits (O as 0, I and L as 1) are read so. `None` for anything that
    /// is not 16 characters of the alphabet.
    pub fn parse(s: &str) -> Option<BadgeCode> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        (code.len() == 16 && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(BadgeCode(code))
    }

    /// The stored form (16 characters).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The printed form, in groups of four: `7K3M-Q9XA-…`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// Why someone cannot be checked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotAdmitted {
    /// The registration is not yet accredited.
    Pending,
    /// The registration was rejected (its reason goes with the refusal).
    Rejected,
    /// The participant withdrew.
    Withdrawn,
}

impl NotAdmitted {
    pub fn message(self) -> &'static str {
        match self {
            NotAdmitted::Pending => "Not accredited yet: the registration is still pending.",
            NotAdmitted::Rejected => "Not admitted: the registration was rejected.",
            NotAdmitted::Withdrawn => "Not admitted: the registration was withdrawn.",
        }
    }
}

/// Whether a registration in `status` may be checked in: only an accredited one.
pub fn admits(status: Status) -> Result<(), NotAdmitted> {
    match status {
        Status::Accredited => Ok(()),
        Status::Pending => Err(NotAdmitted::Pending),
        Status::Rejected => Err(NotAdmitted::Rejected),
        Status::Withdrawn => Err(NotAdmitted::Withdrawn),
    }
}

/// A badge's band colour for a category (RGB), each distinct and dark enough for white text
/// on it (at least 4.5:1); the category is also printed in words, so colour is never the only
/// sign.
pub fn category_colour(c: Category) -> (u8, u8, u8) {
    match c {
        Category::MemberStateDelegate => (0x1f, 0x4e, 0x8c), // blue
        Category::Alternate => (0x2e, 0x6b, 0x3a),           // green
        Category::Adviser => (0x5b, 0x3f, 0x8c),             // violet
        Category::Observer => (0x8a, 0x4b, 0x08),            // brown
        Category::Ngo => (0x0e, 0x6b, 0x6b),                 // teal
        Category::Speaker => (0xa3, 0x1f, 0x34),             // red
        Category::Press => (0x33, 0x33, 0x33),               // charcoal
    }
}

/// How badges are laid out on paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeLayout {
    /// One A6 badge per page (105 × 148 mm), for badge printers.
    A6,
    /// Four A6 badges on each A4 sheet, with cut marks.
    A4,
}

impl BadgeLayout {
    pub fn parse(s: &str) -> Option<BadgeLayout> {
        match s {
            "a6" | "" => Some(BadgeLayout::A6),
            "a4" => Some(BadgeLayout::A4),
            _ => None,
        }
    }

    /// Badges on one page.
    pub fn per_page(self) -> usize {
        match self {
            BadgeLayout::A6 => 1,
            BadgeLayout::A4 => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_16_characters_of_the_alphabet_and_read_back_as_typed() {
        let c = BadgeCode::from_bytes([0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(c.as_str().len(), 16);
        assert_eq!(c.grouped().len(), 19);
        assert_eq!(BadgeCode::parse(&c.grouped()), Some(c.clone()));
        assert_eq!(
            BadgeCode::parse(&c.as_str().to_lowercase()),
            Some(c.clone())
        );
        assert_eq!(
            BadgeCode::parse(&format!(" {} ", c.grouped().replace('-', " "))),
            Some(c)
        );
        // every bit counts: two codes one bit apart differ
        let a = BadgeCode::from_bytes([0; 10]);
        let b = BadgeCode::from_bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_ne!(a, b);
        assert_eq!(a.as_str(), "0000000000000000");
    }

    #[test]
    fn bad_codes_are_none() {
        for s in [
            "",
            "ABC",
            "0000000000000000X",
            "UUUUUUUUUUUUUUUU",
            "00000000-0000-00!",
        ] {
            assert_eq!(BadgeCode::parse(s), None, "{s}");
        }
        assert_eq!(
            BadgeCode::parse("oooo-iiii-llll-0000").map(|c| c.as_str().to_owned()),
            Some("0000111111110000".to_owned())
        );
    }

    #[test]
    fn only_accredited_registrations_are_admitted() {
        assert_eq!(admits(Status::Accredited), Ok(()));
        assert_eq!(admits(Status::Pending), Err(NotAdmitted::Pending));
        assert_eq!(admits(Status::Rejected), Err(NotAdmitted::Rejected));
        assert_eq!(admits(Status::Withdrawn), Err(NotAdmitted::Withdrawn));
    }

    #[test]
    fn category_colours_are_distinct_and_dark_enough_for_white_text() {
        let all: Vec<_> = Category::ALL.iter().map(|c| category_colour(*c)).collect();
        for (i, a) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|b| b != a));
            let lum = |v: u8| {
                let c = f64::from(v) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            let l = 0.2126 * lum(a.0) + 0.7152 * lum(a.1) + 0.0722 * lum(a.2);
            assert!(1.05 / (l + 0.05) >= 4.5, "{a:?}");
        }
    }
}
