//! Property tests of the drafting engine (`domain::drafting`).

use domain::drafting::{
    attribute, diff_words, merge3, paragraphs, rebase_all, side_by_side, touched_paragraphs,
    DiffOp, MergeOutcome, RebaseOutcome, SpanKind,
};
use proptest::prelude::*;
use proptest::sample::Index;

const VOCABULARY: &[&str] = &[
    "the", "people", "shall", "peace", "rights", "all", "nations", "and", "of", "free",
];

/// A paragraph of a few words from a small vocabulary (so paragraphs repeat), sometimes a
/// heading, a list block or a rule.
fn paragraph() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(VOCABULARY), 1..6),
        0..10u8,
    )
        .prop_map(|(words, kind)| {
            let text = words.join(" ");
            match kind {
                0 => format!("# {text}"),
                1 => format!("- {text}\n- {}", words[0]),
                2 => "---".to_owned(),
                _ => text,
            }
        })
}

fn render(paragraphs: &[String]) -> String {
    let mut doc = paragraphs.join("\n\n");
    if !doc.is_empty() {
        doc.push('\n');
    }
    doc
}

/// A paragraph-level edit: (kind, where, new text).
type Edit = (u8, Index, String);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((0..3u8, any::<Index>(), paragraph()), 0..5)
}

fn apply(base: &[String], edits: &[Edit]) -> Vec<String> {
    let mut doc = base.to_vec();
    for (kind, at, text) in edits {
        let at = at.index(doc.len() + 1);
        match kind {
            0 if at < doc.len() => doc[at] = text.clone(),
            1 if at < doc.len() => {
                doc.remove(at);
            }
            _ => doc.insert(at, text.clone()),
        }
    }
    doc
}

/// Any text, including odd whitespace, CRLF, punctuation and non-ASCII letters.
fn any_text() -> impl Strategy<Value = String> {
    "[ab cé,.!\n\r\t-]{0,60}"
}

fn old_and_new(ops: &[DiffOp]) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for op in ops {
        match op {
            DiffOp::Equal(t) => {
                old.push_str(t);
                new.push_str(t);
            }
            DiffOp::Delete(t) => old.push_str(t),
            DiffOp::Insert(t) => new.push_str(t),
        }
    }
    (old, new)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An amendment merged onto its own, unchanged base is the amendment, whichever side.
    #[test]
    fn merging_onto_the_unchanged_base_gives_the_amendment(b in any_text(), t in any_text()) {
        prop_assert_eq!(merge3(&b, &b, &t).expect("no fault"), MergeOutcome::Clean(t.clone()));
        prop_assert_eq!(merge3(&b, &t, &b).expect("no fault"), MergeOutcome::Clean(t.clone()));
    }

    #[test]
    fn merging_onto_the_unchanged_base_gives_the_amendment_for_documents(
        base in prop::collection::vec(paragraph(), 0..15),
        e in edits(),
    ) {
        let b = render(&base);
        let t = render(&apply(&base, &e));
        prop_assert_eq!(merge3(&b, &b, &t).expect("no fault"), MergeOutcome::Clean(t.clone()));
        prop_assert_eq!(merge3(&b, &t, &b).expect("no fault"), MergeOutcome::Clean(t.clone()));
    }

    /// Edits of different paragraphs, with at least one untouched paragraph between any
    /// paragraph one side touches and any the other side touches, all survive the merge.
    #[test]
    fn non_overlapping_changes_both_survive(
        n in 3..25usize,
        owners in prop::collection::vec(0..3u8, 25),
        actions in prop::collection::vec(0..3u8, 25),
    ) {
        // distinct paragraphs, so no edit can slide onto a neighbour
        let base: Vec<String> = (0..n).map(|k| format!("Paragraph {k} of the base.")).collect();
        // owner of each paragraph: 0 nobody, 1 ours, 2 theirs; a paragraph right after one of
        // the other side is left alone
        let mut owner: Vec<u8> = owners[..n].to_vec();
        for k in 1..n {
            if owner[k] != 0 && owner[k - 1] != 0 && owner[k] != owner[k - 1] {
                owner[k] = 0;
            }
        }
        // action on an owned paragraph: 0 rewrite, 1 delete, 2 insert a new paragraph before it
        let side = |who: u8| -> Vec<String> {
            let mut doc = Vec::new();
            for k in 0..n {
                if owner[k] != who {
                    doc.push(base[k].clone());
                    continue;
                }
                match actions[k] {
                    0 => doc.push(format!("Paragraph {k} as rewritten by side {who}.")),
                    1 => {}
                    _ => {
                        doc.push(format!("New paragraph by side {who} before {k}."));
                        doc.push(base[k].clone());
                    }
                }
            }
            doc
        };
        let both = {
            let mut doc = Vec::new();
            for k in 0..n {
                let who = owner[k];
                if who == 0 {
                    doc.push(base[k].clone());
                    continue;
                }
                match actions[k] {
                    0 => doc.push(format!("Paragraph {k} as rewritten by side {who}.")),
                    1 => {}
                    _ => {
                        doc.push(format!("New paragraph by side {who} before {k}."));
                        doc.push(base[k].clone());
                    }
                }
            }
            doc
        };
        let (b, ours, theirs) = (render(&base), render(&side(1)), render(&side(2)));
        prop_assert_eq!(merge3(&b, &ours, &theirs).expect("no fault"), MergeOutcome::Clean(render(&both)));
    }

    /// The merge does not depend on which side is "ours" when it is clean both ways.
    #[test]
    fn clean_merges_are_symmetric(
        base in prop::collection::vec(paragraph(), 0..15),
        ex in edits(),
        ey in edits(),
    ) {
        let b = render(&base);
        let x = render(&apply(&base, &ex));
        let y = render(&apply(&base, &ey));
        if let (MergeOutcome::Clean(xy), MergeOutcome::Clean(yx)) = (merge3(&b, &x, &y).expect("no fault"), merge3(&b, &y, &x).expect("no fault")) {
            prop_assert_eq!(xy, yx);
        }
    }

    /// Rebasing many amendments at once gives what rebasing each one does.
    #[test]
    fn batch_rebase_equals_single_merges(
        base in prop::collection::vec(paragraph(), 0..12),
        merged in edits(),
        pending in prop::collection::vec(edits(), 0..6),
    ) {
        let b = render(&base);
        let new_base = render(&apply(&base, &merged));
        let proposals: Vec<String> = pending.iter().map(|e| render(&apply(&base, e))).collect();
        let batch = rebase_all(&b, &new_base, &proposals).expect("no fault");
        for (p, outcome) in proposals.iter().zip(batch) {
            let single = match merge3(&b, &new_base, p).expect("no fault") {
                MergeOutcome::Clean(t) => RebaseOutcome::Clean(t),
                MergeOutcome::Conflict(c) => RebaseOutcome::NeedsUpdate(c),
            };
            prop_assert_eq!(outcome, single);
        }
    }

    /// A word diff gives back both texts exactly, with no empty op and no two adjacent ops of
    /// one kind.
    #[test]
    fn word_diff_reconstructs_both_texts(old in any_text(), new in any_text()) {
        let ops = diff_words(&old, &new);
        prop_assert_eq!(old_and_new(&ops), (old.clone(), new.clone()));
        for op in &ops {
            let (DiffOp::Equal(t) | DiffOp::Delete(t) | DiffOp::Insert(t)) = op;
            prop_assert!(!t.is_empty());
        }
        for pair in ops.windows(2) {
            prop_assert!(std::mem::discriminant(&pair[0]) != std::mem::discriminant(&pair[1]));
        }
    }

    #[test]
    fn word_diff_reconstructs_documents(
        base in prop::collection::vec(paragraph(), 0..15),
        e in edits(),
    ) {
        let (old, new) = (render(&base), render(&apply(&base, &e)));
        prop_assert_eq!(old_and_new(&diff_words(&old, &new)), (old, new));
    }

    /// The side-by-side view shows every paragraph of both versions once, in order, and each
    /// cell's spans make up its paragraph.
    #[test]
    fn side_by_side_covers_both_versions(
        base in prop::collection::vec(paragraph(), 0..15),
        e in edits(),
    ) {
        let (old, new) = (render(&base), render(&apply(&base, &e)));
        let rows = side_by_side(&old, &new);
        for (version, get, deleted_or_inserted) in [
            (&old, 0, SpanKind::Deleted),
            (&new, 1, SpanKind::Inserted),
        ] {
            let paras = paragraphs(version);
            let cells: Vec<_> = rows
                .iter()
                .filter_map(|r| if get == 0 { r.old.as_ref() } else { r.new.as_ref() })
                .collect();
            prop_assert_eq!(cells.len(), paras.len());
            for (k, (cell, para)) in cells.iter().zip(&paras).enumerate() {
                prop_assert_eq!(cell.index, k);
                let text: String = cell.spans.iter().map(|s| s.text.as_str()).collect();
                prop_assert_eq!(&text, &para.text);
                for span in &cell.spans {
                    prop_assert!(span.kind == SpanKind::Equal || span.kind == deleted_or_inserted);
                }
            }
        }
    }

    /// Touched paragraphs are valid, increasing base indices, and none for an unchanged text.
    #[test]
    fn touched_paragraphs_are_base_indices(
        base in prop::collection::vec(paragraph(), 0..15),
        e in edits(),
    ) {
        let b = render(&base);
        let touched = touched_paragraphs(&b, &render(&apply(&base, &e)));
        prop_assert!(touched.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(touched.iter().all(|&k| k < base.len()));
        prop_assert!(touched_paragraphs(&b, &b).is_empty());
    }

    /// Attribution spans make up the last version, and a version with nothing new gets no span.
    #[test]
    fn attribution_spans_concatenate_to_the_final_text(
        texts in prop::collection::vec(any_text(), 1..6),
    ) {
        let chain: Vec<(usize, &str)> = texts.iter().map(String::as_str).enumerate().collect();
        let spans = attribute(&chain);
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        prop_assert_eq!(&joined, texts.last().expect("non-empty chain"));
        prop_assert!(spans.iter().all(|s| !s.text.is_empty() && s.version < texts.len()));
        prop_assert!(spans.windows(2).all(|w| w[0].version != w[1].version));
    }

    #[test]
    fn attribution_of_an_edit_chain(
        base in prop::collection::vec(paragraph(), 1..10),
        chain_edits in prop::collection::vec(edits(), 1..6),
    ) {
        let mut versions = vec![base.clone()];
        for e in &chain_edits {
            let last = versions.last().cloned().unwrap_or_default();
            versions.push(apply(&last, e));
        }
        let texts: Vec<(usize, String)> = versions.iter().map(|v| render(v)).enumerate().collect();
        let spans = attribute(&texts);
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        prop_assert_eq!(&joined, &texts[texts.len() - 1].1);
        // an unchanged last version keeps everything's attribution
        let mut same = texts.clone();
        let last = same[same.len() - 1].1.clone();
        same.push((99, last));
        prop_assert!(attribute(&same).iter().all(|s| s.version != 99));
    }
}
