//! Square brackets: text still under negotiation.
//!
//! In intergovernmental drafting a passage that is not yet agreed stands in square brackets,
//! sometimes with alternatives (`[option A / option B]`); once agreed at working level it is
//! "agreed ad referendum" (pending confirmation), then agreed, and the brackets go. Here the
//! marks are part of the text of the version, so they survive new versions, merges, rebases
//! and provenance as any other words do:
//!
//! - `[[passage]]` or `[[option A / option B]]`: bracketed (alternatives are separated by a
//!   slash with a space on each side);
//! - `[[ad ref: passage]]`: agreed ad referendum;
//! - no mark: agreed.
//!
//! A mark opens and closes in one paragraph; marks do not nest. A `[[` that is escaped
//! (`\[[`), that has no `]]` after it in its paragraph, or that is followed by another `[[`
//! before its `]]`, is ordinary text, and so is a `]]` that closes nothing. The one renderer
//! (`crate::markdown`) shows bracketed passages in brackets and ad ref passages marked, through
//! [`to_placeholders`].

use std::ops::Range;

use serde::{Deserialize, Serialize};

const OPEN: &str = "[[";
const CLOSE: &str = "]]";
const AD_REF: &str = "ad ref: ";
/// Between two alternatives of a bracket.
pub const SEPARATOR: &str = " / ";

/// Private-use characters standing for the marks while Markdown is parsed (see
/// [`to_placeholders`]); any in the text itself are removed first.
pub const P_OPEN: char = '\u{E000}';
pub const P_CLOSE: char = '\u{E001}';
pub const P_AD_REF_OPEN: char = '\u{E002}';
pub const P_AD_REF_CLOSE: char = '\u{E003}';

/// Where a passage stands in the negotiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BracketState {
    /// In square brackets: not agreed.
    Open,
    /// Agreed ad referendum: agreed, pending confirmation.
    AdRef,
}

/// One marked passage of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bracket {
    /// Index of its paragraph (as [`super::paragraphs`] counts them).
    pub paragraph: usize,
    /// The whole mark in the text, `[[` to `]]`.
    pub range: Range<usize>,
    /// The passage inside (after `ad ref: ` for an ad ref mark).
    pub inner: Range<usize>,
    pub state: BracketState,
}

impl Bracket {
    /// The passage's alternatives (one when it has none).
    pub fn alternatives<'a>(&self, text: &'a str) -> Vec<&'a str> {
        text[self.inner.clone()].split(SEPARATOR).collect()
    }
}

/// The marks of `text`, in order.
pub fn brackets(text: &str) -> Vec<Bracket> {
    let mut out = Vec::new();
    for (index, (start, end)) in super::paragraphs::paragraph_ranges(text)
        .into_iter()
        .enumerate()
    {
        let para = &text[start..end];
        let mut at = 0;
        while let Some(found) = para[at..].find(OPEN) {
            let open = at + found;
            if para[..open].ends_with('\\') {
                at = open + OPEN.len();
                continue;
            }
            let body = open + OPEN.len();
            let Some(close) = para[body..].find(CLOSE).map(|c| body + c) else {
                break;
            };
            if let Some(next) = para[body..close].find(OPEN) {
                // a second opening before this one closes: this one is text
                at = body + next;
                continue;
            }
            let (state, inner_start) = if para[body..close].starts_with(AD_REF) {
                (BracketState::AdRef, body + AD_REF.len())
            } else {
                (BracketState::Open, body)
            };
            if inner_start < close {
                out.push(Bracket {
                    paragraph: index,
                    range: start + open..start + close + CLOSE.len(),
                    inner: start + inner_start..start + close,
                    state,
                });
            }
            at = close + CLOSE.len();
        }
    }
    out
}

/// Where a paragraph stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParagraphStatus {
    /// No mark.
    Agreed,
    /// Ad ref marks only.
    AdRef,
    /// This many passages in brackets.
    Bracketed(usize),
}

/// The status of each paragraph of `text`, in order.
pub fn statuses(text: &str) -> Vec<ParagraphStatus> {
    let count = super::paragraphs::paragraph_ranges(text).len();
    let mut out = vec![ParagraphStatus::Agreed; count];
    for b in brackets(text) {
        let Some(s) = out.get_mut(b.paragraph) else {
            continue;
        };
        *s = match (b.state, *s) {
            (BracketState::Open, ParagraphStatus::Bracketed(n)) => {
                ParagraphStatus::Bracketed(n + 1)
            }
            (BracketState::Open, _) => ParagraphStatus::Bracketed(1),
            (BracketState::AdRef, ParagraphStatus::Agreed) => ParagraphStatus::AdRef,
            (BracketState::AdRef, other) => other,
        };
    }
    out
}

fn words(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// How much of the text is still in brackets: the words inside bracketed passages (all their
/// alternatives) and the words of the whole text as it reads (marks left out).
pub fn bracketed_words(text: &str) -> (usize, usize) {
    let inside = brackets(text)
        .iter()
        .filter(|b| b.state == BracketState::Open)
        .map(|b| words(&text[b.inner.clone()]))
        .sum();
    (inside, words(&plain(text)))
}

/// Why a bracket could not be set or settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BracketError {
    /// The text has no paragraph with this index.
    NoSuchParagraph,
    /// The passage to bracket is empty or only white space.
    EmptyPassage,
    /// The passage does not occur in the paragraph.
    PassageNotFound,
    /// The passage occurs this many times in the paragraph: give more of it.
    PassageAmbiguous(usize),
    /// The passage overlaps a passage already marked.
    AlreadyMarked,
    /// The passage or an alternative contains a mark (`[[`, `]]`) or a blank line, or an
    /// alternative contains the separator or a line end.
    Unusable,
    /// The text has no mark with this index.
    NoSuchBracket,
    /// The passage has alternatives, and the choice named none of them.
    ChooseAnAlternative(usize),
}

impl std::fmt::Display for BracketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BracketError::NoSuchParagraph => write!(f, "Choose a paragraph of the text."),
            BracketError::EmptyPassage => write!(f, "Give the words to put in brackets."),
            BracketError::PassageNotFound => write!(
                f,
                "These words are not in the paragraph: copy them exactly as they stand."
            ),
            BracketError::PassageAmbiguous(n) => write!(
                f,
                "These words stand {n} times in the paragraph: give more of the passage so that it is found once."
            ),
            BracketError::AlreadyMarked => {
                write!(f, "Part of this passage is already in brackets or agreed ad ref.")
            }
            BracketError::Unusable => write!(
                f,
                "A passage cannot contain [[, ]] or a blank line, and an alternative cannot contain \" / \" or a line break."
            ),
            BracketError::NoSuchBracket => {
                write!(f, "This bracket is no longer in the text: look again.")
            }
            BracketError::ChooseAnAlternative(n) => write!(
                f,
                "This passage has {n} alternatives: choose the one that was agreed."
            ),
        }
    }
}

impl std::error::Error for BracketError {}

impl From<super::anchors::PassageError> for BracketError {
    fn from(e: super::anchors::PassageError) -> Self {
        use super::anchors::PassageError as P;
        match e {
            P::NoSuchParagraph => BracketError::NoSuchParagraph,
            P::Empty => BracketError::EmptyPassage,
            P::NotFound => BracketError::PassageNotFound,
            P::Ambiguous(n) => BracketError::PassageAmbiguous(n),
        }
    }
}

fn usable(s: &str) -> bool {
    !s.contains(OPEN) && !s.contains(CLOSE) && super::paragraphs::paragraph_ranges(s).len() <= 1
}

/// `text` with `passage` of paragraph `paragraph` put in brackets, with `alternatives` (other
/// wordings proposed for it, in order) after it. The passage must stand exactly once in the
/// paragraph, outside any mark.
pub fn bracket(
    text: &str,
    paragraph: usize,
    passage: &str,
    alternatives: &[&str],
) -> Result<String, BracketError> {
    let passage = passage.trim();
    let alternatives: Vec<&str> = alternatives
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if !usable(passage)
        || passage.contains(SEPARATOR)
        || alternatives
            .iter()
            .any(|a| !usable(a) || a.contains(SEPARATOR) || a.contains('\n'))
    {
        return Err(BracketError::Unusable);
    }
    let range = super::anchors::locate(text, paragraph, passage)?;
    if brackets(text)
        .iter()
        .any(|b| b.range.start < range.end && range.start < b.range.end)
    {
        return Err(BracketError::AlreadyMarked);
    }
    let mut out = String::with_capacity(
        text.len() + 8 + alternatives.iter().map(|a| a.len() + 3).sum::<usize>(),
    );
    out.push_str(&text[..range.start]);
    out.push_str(OPEN);
    out.push_str(passage);
    for a in &alternatives {
        out.push_str(SEPARATOR);
        out.push_str(a);
    }
    out.push_str(CLOSE);
    out.push_str(&text[range.end..]);
    Ok(out)
}

/// What the committee decides about a marked passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    /// Agreed ad referendum, keeping alternative `choice` (1-based; needed when there are
    /// several).
    AdRef(Option<usize>),
    /// Agreed: the mark goes, alternative `choice` stays.
    Agreed(Option<usize>),
    /// Back in brackets (an ad ref passage whose confirmation did not come).
    Reopen,
}

/// `text` with mark number `index` (0-based, in [`brackets`] order) settled as `how`.
pub fn settle(text: &str, index: usize, how: Settle) -> Result<String, BracketError> {
    let b = brackets(text)
        .into_iter()
        .nth(index)
        .ok_or(BracketError::NoSuchBracket)?;
    let alternatives = b.alternatives(text);
    let chosen = |choice: Option<usize>| -> Result<&str, BracketError> {
        match (alternatives.as_slice(), choice) {
            ([one], None | Some(1)) => Ok(*one),
            (all, Some(k)) if k >= 1 && k <= all.len() => Ok(all[k - 1]),
            (all, _) => Err(BracketError::ChooseAnAlternative(all.len())),
        }
    };
    let replacement = match how {
        Settle::AdRef(choice) => format!("{OPEN}{AD_REF}{}{CLOSE}", chosen(choice)?),
        Settle::Agreed(choice) => chosen(choice)?.to_owned(),
        Settle::Reopen => format!("{OPEN}{}{CLOSE}", &text[b.inner.clone()]),
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..b.range.start]);
    out.push_str(&replacement);
    out.push_str(&text[b.range.end..]);
    Ok(out)
}

/// `text` with its marks replaced by placeholder characters ([`P_OPEN`] …), which Markdown
/// parses as ordinary text, so that a renderer can turn them into whatever shows a bracket
/// after parsing. Placeholder characters already in the text are removed.
pub fn to_placeholders(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| !matches!(*c, P_OPEN | P_CLOSE | P_AD_REF_OPEN | P_AD_REF_CLOSE))
        .collect();
    let marks = brackets(&clean);
    if marks.is_empty() {
        return clean;
    }
    let mut out = String::with_capacity(clean.len());
    let mut at = 0;
    for b in marks {
        out.push_str(&clean[at..b.range.start]);
        let (open, close) = match b.state {
            BracketState::Open => (P_OPEN, P_CLOSE),
            BracketState::AdRef => (P_AD_REF_OPEN, P_AD_REF_CLOSE),
        };
        out.push(open);
        out.push_str(&clean[b.inner.clone()]);
        out.push(close);
        at = b.range.end;
    }
    out.push_str(&clean[at..]);
    out
}

/// Placeholders back to what a plain text shows: brackets as `[` and `]`, an ad ref passage
/// followed by "(ad ref)".
pub fn placeholders_to_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            P_OPEN => out.push('['),
            P_CLOSE => out.push(']'),
            P_AD_REF_OPEN => {}
            P_AD_REF_CLOSE => out.push_str(" (ad ref)"),
            c => out.push(c),
        }
    }
    out
}

/// Placeholders back to the marks as written (for code, which shows its source).
pub fn placeholders_to_source(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            P_OPEN => out.push_str(OPEN),
            P_CLOSE | P_AD_REF_CLOSE => out.push_str(CLOSE),
            P_AD_REF_OPEN => {
                out.push_str(OPEN);
                out.push_str(AD_REF);
            }
            c => out.push(c),
        }
    }
    out
}

/// The text as it reads: bracketed passages in single brackets, ad ref passages without mark.
pub fn plain(text: &str) -> String {
    let marks = brackets(text);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for b in marks {
        out.push_str(&text[at..b.range.start]);
        match b.state {
            BracketState::Open => {
                out.push('[');
                out.push_str(&text[b.inner.clone()]);
                out.push(']');
            }
            BracketState::AdRef => out.push_str(&text[b.inner.clone()]),
        }
        at = b.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A short quotation of a passage ("“we welcome the plan”", at most eight words).
pub fn quote(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 8 {
        format!("“{} …”", words[..8].join(" "))
    } else {
        format!("“{}”", words.join(" "))
    }
}

/// What stands in the way of adopting `text` (paragraph labels `labels`): each mark, as
/// "Paragraph 3: “…” in brackets". Empty when the text may be adopted.
pub fn remaining(text: &str, labels: &[Option<super::Label>]) -> Vec<String> {
    brackets(text)
        .iter()
        .map(|m| {
            let place = labels
                .get(m.paragraph)
                .copied()
                .flatten()
                .map_or_else(|| "The title".to_owned(), |l| format!("Paragraph {l}"));
            let state = match m.state {
                BracketState::Open => "in brackets",
                BracketState::AdRef => "agreed ad referendum, not yet confirmed",
            };
            format!("{place}: {} {state}", quote(&text[m.inner.clone()]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = "# Title\n\n1. We commit to [[inclusive / universal]] access.\n\n2. We [[ad ref: welcome]] the plan [[of 2030]].\n\n3. Agreed text.\n";

    #[test]
    fn marks_are_found_with_their_state_and_alternatives() {
        let b = brackets(TEXT);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].paragraph, 1);
        assert_eq!(b[0].state, BracketState::Open);
        assert_eq!(b[0].alternatives(TEXT), ["inclusive", "universal"]);
        assert_eq!(&TEXT[b[0].range.clone()], "[[inclusive / universal]]");
        assert_eq!(b[1].state, BracketState::AdRef);
        assert_eq!(&TEXT[b[1].inner.clone()], "welcome");
        assert_eq!(b[2].alternatives(TEXT), ["of 2030"]);
        assert_eq!(
            statuses(TEXT),
            [
                ParagraphStatus::Agreed,
                ParagraphStatus::Bracketed(1),
                ParagraphStatus::Bracketed(1),
                ParagraphStatus::Agreed
            ]
        );
        assert_eq!(statuses("A [[ad ref: b]] c."), [ParagraphStatus::AdRef]);
    }

    #[test]
    fn unmatched_escaped_and_nested_openings_are_text() {
        assert!(brackets("a [[b c").is_empty());
        assert!(brackets("a \\[[b]] c").is_empty());
        assert!(
            brackets("a [[b\n\nc]] d").is_empty(),
            "a mark stays in its paragraph"
        );
        let b = brackets("a [[b [[c]] d");
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].inner, 8..9);
        assert!(brackets("a [[]] b").is_empty());
        assert!(brackets("a ]] b [ c ]").is_empty());
    }

    #[test]
    fn bracketing_and_settling_a_passage() {
        let t = "1. We welcome the plan.\n\n2. We note the plan.\n";
        let b = bracket(t, 0, "welcome", &["note", ""]).unwrap();
        assert_eq!(
            b,
            "1. We [[welcome / note]] the plan.\n\n2. We note the plan.\n"
        );
        assert_eq!(
            bracket(t, 0, "plan", &[]).unwrap(),
            "1. We welcome the [[plan]].\n\n2. We note the plan.\n"
        );
        assert_eq!(
            bracket(t, 2, "plan", &[]),
            Err(BracketError::NoSuchParagraph)
        );
        assert_eq!(bracket(t, 0, "  ", &[]), Err(BracketError::EmptyPassage));
        assert_eq!(
            bracket(t, 0, "noted", &[]),
            Err(BracketError::PassageNotFound)
        );
        assert_eq!(
            bracket("a b a", 0, "a", &[]),
            Err(BracketError::PassageAmbiguous(2))
        );
        assert_eq!(
            bracket(&b, 0, "welcome", &[]),
            Err(BracketError::AlreadyMarked)
        );
        assert_eq!(
            bracket(t, 0, "the", &["a / b"]),
            Err(BracketError::Unusable)
        );
        assert_eq!(
            bracket(t, 0, "the", &["a ]] b"]),
            Err(BracketError::Unusable)
        );

        assert_eq!(
            settle(&b, 0, Settle::Agreed(None)),
            Err(BracketError::ChooseAnAlternative(2))
        );
        let ad = settle(&b, 0, Settle::AdRef(Some(2))).unwrap();
        assert_eq!(
            ad,
            "1. We [[ad ref: note]] the plan.\n\n2. We note the plan.\n"
        );
        assert_eq!(statuses(&ad)[0], ParagraphStatus::AdRef);
        assert_eq!(
            settle(&ad, 0, Settle::Reopen).unwrap(),
            "1. We [[note]] the plan.\n\n2. We note the plan.\n"
        );
        assert_eq!(
            settle(&ad, 0, Settle::Agreed(None)).unwrap(),
            "1. We note the plan.\n\n2. We note the plan.\n"
        );
        assert_eq!(
            settle(&ad, 1, Settle::Agreed(None)),
            Err(BracketError::NoSuchBracket)
        );
    }

    #[test]
    fn what_stands_in_the_way_of_adoption() {
        let labels = crate::drafting::initial_labels(
            &crate::drafting::paragraphs(TEXT)
                .iter()
                .map(|p| p.text.clone())
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            remaining(TEXT, &labels),
            [
                "Paragraph 1: “inclusive / universal” in brackets",
                "Paragraph 2: “welcome” agreed ad referendum, not yet confirmed",
                "Paragraph 2: “of 2030” in brackets",
            ]
        );
        assert!(remaining("1. All agreed.", &labels).is_empty());
    }

    #[test]
    fn plain_text_and_share() {
        assert_eq!(
            plain(TEXT),
            "# Title\n\n1. We commit to [inclusive / universal] access.\n\n2. We welcome the plan [of 2030].\n\n3. Agreed text.\n"
        );
        // inclusive, universal, of, 2030 of: Title, 1, We, commit, to, inclusive, universal, access, 2, We, welcome, the, plan, of, 2030, 3, Agreed, text
        assert_eq!(bracketed_words(TEXT), (4, 18));
        let p = to_placeholders("x\u{E000}y [[a]] [[ad ref: b]]");
        assert_eq!(p, "xy \u{E000}a\u{E001} \u{E002}b\u{E003}");
        assert_eq!(placeholders_to_plain(&p), "xy [a] b (ad ref)");
        assert_eq!(placeholders_to_source(&p), "xy [[a]] [[ad ref: b]]");
    }

    /// A text of paragraphs of words, some passages bracketed.
    fn texts() -> impl Strategy<Value = Vec<Vec<(String, bool)>>> {
        let word = prop::sample::select(vec![
            "culture", "heritage", "rights", "policy", "access", "all", "the", "of", "digital",
        ])
        .prop_map(str::to_owned);
        let passage =
            (prop::collection::vec(word, 1..4), any::<bool>()).prop_map(|(w, b)| (w.join(" "), b));
        prop::collection::vec(prop::collection::vec(passage, 1..6), 1..5)
    }

    fn render(paras: &[Vec<(String, bool)>]) -> String {
        paras
            .iter()
            .map(|p| {
                p.iter()
                    .map(|(w, b)| if *b { format!("[[{w}]]") } else { w.clone() })
                    .collect::<Vec<_>>()
                    .join(" , ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
            + "\n"
    }

    fn marked(paras: &[Vec<(String, bool)>]) -> Vec<String> {
        paras
            .iter()
            .flatten()
            .filter(|(_, b)| *b)
            .map(|(w, _)| w.clone())
            .collect()
    }

    fn with_ad_ref(s: ParagraphStatus) -> ParagraphStatus {
        match s {
            ParagraphStatus::Agreed => ParagraphStatus::AdRef,
            other => other,
        }
    }

    fn inners(text: &str) -> Vec<String> {
        brackets(text)
            .iter()
            .map(|b| text[b.inner.clone()].to_owned())
            .collect()
    }

    /// One edit of an unmarked passage: (paragraph, passage, new words).
    fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
        prop::collection::vec(
            (
                0usize..5,
                0usize..6,
                prop::sample::select(vec!["new", "revised words", "", "and more"])
                    .prop_map(str::to_owned),
            ),
            1..8,
        )
    }

    fn apply(paras: &mut [Vec<(String, bool)>], (p, k, w): &(usize, usize, String)) {
        let n = paras.len();
        let para = &mut paras[p % n];
        let m = para.len();
        let (words, bracketed) = &mut para[k % m];
        if !*bracketed && !w.is_empty() {
            *words = w.clone();
        }
    }

    proptest! {
        /// A chain of versions, each changing unmarked words, keeps every bracket as it was;
        /// the newest also brackets one more passage. An amendment written on the first
        /// version (changing other unmarked words) and rebased onto the newest has the newest
        /// version's brackets, and the provenance of the newest reads them back whole.
        #[test]
        fn brackets_survive_version_chains_rebases_and_provenance(
            start in texts(), chain in edits(), amendment in edits(), add in (0usize..5, 0usize..6)
        ) {
            let want = marked(&start);
            let mut paras = start.clone();
            let base = render(&paras);
            prop_assert_eq!(inners(&base), want.clone());
            let mut versions = vec![base.clone()];
            for e in &chain {
                apply(&mut paras, e);
                let v = render(&paras);
                prop_assert_eq!(inners(&v), want.clone());
                versions.push(v);
            }
            let n = paras.len();
            let para = &mut paras[add.0 % n];
            let m = para.len();
            para[add.1 % m].1 = true;
            let newest = render(&paras);
            let want_new = marked(&paras);
            prop_assert_eq!(inners(&newest), want_new.clone());
            versions.push(newest.clone());

            let mut mine = start.clone();
            for e in &amendment {
                apply(&mut mine, e);
            }
            let proposed = render(&mine);
            let outcome = crate::drafting::rebase(&base, &newest, &proposed)
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            if let crate::drafting::RebaseOutcome::Clean(rebased) = outcome {
                prop_assert_eq!(inners(&rebased), want_new.clone());
            }
            let chain: Vec<(usize, &str)> = versions.iter().map(String::as_str).enumerate().collect();
            let attributed = crate::drafting::attribute(&chain);
            let back: String = attributed.iter().map(|s| s.text.as_str()).collect();
            prop_assert_eq!(inners(&back), want_new);
        }

        /// Bracketing a passage then agreeing it gives the text back; ad ref then agreed too.
        #[test]
        fn bracket_then_agree_is_the_identity(start in texts(), p in 0usize..5, k in 0usize..6, ad_ref in any::<bool>()) {
            let text = render(&start);
            let p = p % start.len();
            let para = &start[p];
            let (words, bracketed) = &para[k % para.len()];
            prop_assume!(!*bracketed);
            if let Ok(marked_text) = bracket(&text, p, words, &[]) {
                let marks = brackets(&marked_text);
                prop_assert_eq!(marks.len(), brackets(&text).len() + 1);
                // the new mark starts where the two texts first differ
                let at = text.bytes().zip(marked_text.bytes()).take_while(|(a, b)| a == b).count();
                let i = marks.iter().position(|b| b.range.start == at);
                prop_assert!(i.is_some());
                let i = i.unwrap_or_default();
                prop_assert_eq!(&marked_text[marks[i].inner.clone()], words.as_str());
                let agreed = if ad_ref {
                    let ad = settle(&marked_text, i, Settle::AdRef(None)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(statuses(&ad)[p], with_ad_ref(statuses(&text)[p]));
                    settle(&ad, i, Settle::Agreed(None)).map_err(|e| TestCaseError::fail(e.to_string()))?
                } else {
                    settle(&marked_text, i, Settle::Agreed(None)).map_err(|e| TestCaseError::fail(e.to_string()))?
                };
                prop_assert_eq!(agreed, text);
            }
        }
    }
}
