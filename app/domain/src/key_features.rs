//! The Key Features of Learning Cities (Beijing, 2013): twelve areas in three tiers, drawn
//! like the UNESCO emblem — the pediment (benefits), the columns (building blocks) and the
//! foundation steps (fundamental conditions).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Pediment,
    Column,
    Foundation,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Pediment => "pediment",
            Tier::Column => "column",
            Tier::Foundation => "foundation",
        }
    }
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "pediment" => Some(Tier::Pediment),
            "column" => Some(Tier::Column),
            "foundation" => Some(Tier::Foundation),
            _ => None,
        }
    }
    /// What the tier stands for in the framework.
    pub fn meaning(self) -> &'static str {
        match self {
            Tier::Pediment => "Wider benefits of building a learning city",
            Tier::Column => "Major building blocks of a learning city",
            Tier::Foundation => "Fundamental conditions for building a learning city",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFeature {
    /// Stable code: P1–P3, C1–C6, F1–F3.
    pub code: &'static str,
    pub tier: Tier,
    /// 1-based position within its tier.
    pub position: u8,
    pub title: &'static str,
}

/// The twelve areas, in the order of the framework.
pub const KEY_FEATURES: [KeyFeature; 12] = [
    kf(
        "P1",
        Tier::Pediment,
        1,
        "Individual empowerment and social cohesion",
    ),
    kf(
        "P2",
        Tier::Pediment,
        2,
        "Economic development and cultural prosperity",
    ),
    kf("P3", Tier::Pediment, 3, "Sustainable development"),
    kf(
        "C1",
        Tier::Column,
        1,
        "Inclusive learning in the education system",
    ),
    kf(
        "C2",
        Tier::Column,
        2,
        "Re-vitalised learning in families and communities",
    ),
    kf(
        "C3",
        Tier::Column,
        3,
        "Effective learning for and in the workplace",
    ),
    kf(
        "C4",
        Tier::Column,
        4,
        "Extended use of modern learning technologies",
    ),
    kf("C5", Tier::Column, 5, "Enhanced quality in learning"),
    kf(
        "C6",
        Tier::Column,
        6,
        "A vibrant culture of learning throughout life",
    ),
    kf(
        "F1",
        Tier::Foundation,
        1,
        "Strong political will and commitment",
    ),
    kf(
        "F2",
        Tier::Foundation,
        2,
        "Governance and participation of all stakeholders",
    ),
    kf(
        "F3",
        Tier::Foundation,
        3,
        "Mobilisation and utilisation of resources",
    ),
];

const fn kf(code: &'static str, tier: Tier, position: u8, title: &'static str) -> KeyFeature {
    KeyFeature {
        code,
        tier,
        position,
        title,
    }
}

pub fn by_code(code: &str) -> Option<&'static KeyFeature> {
    KEY_FEATURES.iter().find(|k| k.code == code)
}

/// Checked Key Feature codes: in the framework's order, each once; `None` if one is unknown.
pub fn parse_codes<S: AsRef<str>>(codes: &[S]) -> Option<Vec<&'static str>> {
    if codes.iter().any(|c| by_code(c.as_ref().trim()).is_none()) {
        return None;
    }
    Some(
        KEY_FEATURES
            .iter()
            .map(|k| k.code)
            .filter(|code| codes.iter().any(|c| c.as_ref().trim() == *code))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_checked_ordered_and_unique() {
        assert_eq!(
            super::parse_codes(&["F1", "P2", "P2", " C3 "]),
            Some(vec!["P2", "C3", "F1"])
        );
        assert_eq!(super::parse_codes::<&str>(&[]), Some(vec![]));
        assert_eq!(super::parse_codes(&["P1", "X9"]), None);
    }

    use super::*;

    #[test]
    fn three_six_three() {
        let count = |t| KEY_FEATURES.iter().filter(|k| k.tier == t).count();
        assert_eq!(count(Tier::Pediment), 3);
        assert_eq!(count(Tier::Column), 6);
        assert_eq!(count(Tier::Foundation), 3);
    }

    #[test]
    fn codes_are_unique_and_found() {
        for k in KEY_FEATURES.iter() {
            assert_eq!(by_code(k.code), Some(k));
            assert_eq!(Tier::parse(k.tier.as_str()), Some(k.tier));
        }
        assert!(by_code("X9").is_none());
    }
}
