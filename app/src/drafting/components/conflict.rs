//! A text with git-style conflict markers, drawn as the two sides of each conflict.

use super::*;

// ---------------------------------------------------------------------------------------------
// conflicts

/// One block of a text with merge markers: shared text, or a conflict between the current text
/// (`ours`) and the change (`theirs`).
pub(crate) enum Block {
    Text(Vec<String>),
    Conflict { ours: String, theirs: String },
}

pub(crate) fn parse_markers(text: &str) -> Vec<Block> {
    enum State {
        Text,
        Ours,
        Theirs,
    }
    let mut blocks = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    let (mut ours, mut theirs) = (String::new(), String::new());
    let mut state = State::Text;
    for line in text.lines() {
        match state {
            State::Text if line.starts_with("<<<<<<<") => {
                if !plain.is_empty() {
                    blocks.push(Block::Text(std::mem::take(&mut plain)));
                }
                state = State::Ours;
            }
            State::Text => plain.push(line.to_owned()),
            State::Ours if line.starts_with("=======") => state = State::Theirs,
            State::Ours => {
                ours.push_str(line);
                ours.push('\n');
            }
            State::Theirs if line.starts_with(">>>>>>>") => {
                blocks.push(Block::Conflict {
                    ours: std::mem::take(&mut ours),
                    theirs: std::mem::take(&mut theirs),
                });
                state = State::Text;
            }
            State::Theirs => {
                theirs.push_str(line);
                theirs.push('\n');
            }
        }
    }
    if !plain.is_empty() {
        blocks.push(Block::Text(plain));
    }
    blocks
}

/// Two texts that collide, next to each other.
pub(crate) fn conflict_pair(
    ours_label: String,
    ours: String,
    theirs_label: String,
    theirs: String,
) -> impl IntoView {
    let or_empty = |t: String| {
        if t.trim().is_empty() {
            view! { <em>"(deleted)"</em> }.into_any()
        } else {
            view! { <span>{soft_wrap(&t)}</span> }.into_any()
        }
    };
    view! {
        <div class="conflict-pair">
            <div class="conflict-side ours">
                <p class="conflict-label">{ours_label}</p>
                <div class="conflict-text">{or_empty(ours)}</div>
            </div>
            <div class="conflict-side theirs">
                <p class="conflict-label">{theirs_label}</p>
                <div class="conflict-text">{or_empty(theirs)}</div>
            </div>
        </div>
    }
}

/// A text with merge markers, drawn: shared passages folded, each conflict side by side.
#[component]
pub(crate) fn MarkedText(text: String, ours_label: String, theirs_label: String) -> impl IntoView {
    let mut n = 0;
    parse_markers(&text)
        .into_iter()
        .map(|b| match b {
            Block::Text(lines) if lines.len() > 6 => {
                let head = lines[..2].join("\n");
                let tail = lines[lines.len() - 2..].join("\n");
                let middle = lines[2..lines.len() - 2].join("\n");
                let hidden = lines.len() - 4;
                view! {
                    <div class="conflict-context">
                        <div class="conflict-text">{head}</div>
                        <details class="diff-gap">
                            <summary>{format!("… {hidden} more lines")}</summary>
                            <div class="conflict-text">{middle}</div>
                        </details>
                        <div class="conflict-text">{tail}</div>
                    </div>
                }
                .into_any()
            }
            Block::Text(lines) => view! {
                <div class="conflict-context"><div class="conflict-text">{lines.join("\n")}</div></div>
            }
            .into_any(),
            Block::Conflict { ours, theirs } => {
                n += 1;
                view! {
                    <section class="conflict-region" aria-label=format!("Conflict {n}")>
                        <h3 class="conflict-heading">{format!("Conflict {n}")}</h3>
                        {conflict_pair(ours_label.clone(), ours, theirs_label.clone(), theirs)}
                    </section>
                }
                .into_any()
            }
        })
        .collect_view()
}
