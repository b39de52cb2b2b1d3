//! One-shot table of the drafting engine's figures, next to `git merge-file`:
//! `cargo run --release -p engine-bench`. Medians (and minima) of a few runs, single thread.

use std::hint::black_box;
use std::time::Duration;

use domain::drafting::{
    attribute, collisions, diff_words, merge3, paragraphs, rebase_all, side_by_side, MergeOutcome,
    RebaseOutcome, Rebaser,
};
use engine_bench::{git_files, time, GitMerge, Workload};

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn row(what: &str, runs: usize, (median, min): (Duration, Duration), target: &str) {
    println!(
        "| {what} | {} | {} | {runs} | {target} |",
        ms(median),
        ms(min)
    );
}

fn main() {
    let w = Workload::generate();
    println!(
        "Declaration: {} words, {} paragraphs, {} bytes; 300 amendments of 1-3 paragraphs; merged change of 10 paragraphs; chain of {} versions.\n",
        w.words(),
        paragraphs(&w.base).len(),
        w.base.len(),
        w.chain.len()
    );
    println!("| operation | median | min | runs | target |");
    println!("|---|---|---|---|---|");

    row(
        "`diff_words`, 5 % of paragraphs edited",
        20,
        time(20, || {
            black_box(diff_words(&w.base, &w.five_percent));
        }),
        "< 50 ms",
    );
    row(
        "`side_by_side`, same versions",
        20,
        time(20, || {
            black_box(side_by_side(&w.base, &w.five_percent));
        }),
        "",
    );
    row(
        "`merge3`, one amendment over the merged change",
        20,
        time(20, || {
            let _ = black_box(merge3(&w.base, &w.new_base, &w.amendments[0]));
        }),
        "",
    );
    row(
        "rebase 300 amendments (`rebase_all`, base diffed once)",
        10,
        time(10, || {
            let _ = black_box(rebase_all(&w.base, &w.new_base, &w.amendments));
        }),
        "< 1 s",
    );
    row(
        "rebase 300 amendments as the server does: each outcome written, then dropped, before the next (`Rebaser::rebase` in turn, as `db::drafting::rebase_pending`)",
        10,
        time(10, || {
            let rebaser = Rebaser::new(&w.base, &w.new_base).expect("no fault");
            for a in &w.amendments {
                let _ = black_box(rebaser.rebase(a));
            }
        }),
        "< 60 ms",
    );
    row(
        "rebase 300 amendments (`merge3` one by one)",
        5,
        time(5, || {
            for a in &w.amendments {
                let _ = black_box(merge3(&w.base, &w.new_base, a));
            }
        }),
        "",
    );
    let chain: Vec<(u32, &str)> = w.chain.iter().map(|(v, t)| (*v, t.as_str())).collect();
    row(
        "`attribute`, chain of 20 versions",
        10,
        time(10, || {
            black_box(attribute(&chain));
        }),
        "",
    );
    let pending: Vec<(usize, &str)> = w
        .amendments
        .iter()
        .map(String::as_str)
        .enumerate()
        .collect();
    row(
        "`collisions` among 300 amendments",
        10,
        time(10, || {
            black_box(collisions(&w.base, &pending));
        }),
        "",
    );

    // the yardstick, and a check that both agree on the very same inputs
    let files = git_files(&w);
    let Some(git) = GitMerge::new(&files) else {
        println!("\n(git not found: no git merge-file yardstick)");
        return;
    };
    row(
        "`git merge-file -p`, one amendment (process included)",
        20,
        time(20, || {
            black_box(git.merge("new_base", "base", "amendment-0"));
        }),
        "yardstick",
    );
    row(
        "`git diff --no-index --word-diff=porcelain`, the same two versions as `diff_words` (process included)",
        20,
        time(20, || {
            black_box(git.word_diff("base", "five_percent"));
        }),
        "yardstick",
    );
    row(
        "`git merge-file -p` × 300, sequential",
        3,
        time(3, || {
            for i in 0..w.amendments.len() {
                black_box(git.merge("new_base", "base", &format!("amendment-{i}")));
            }
        }),
        "yardstick",
    );

    let rebaser = Rebaser::new(&w.base, &w.new_base).expect("no fault");
    let (mut clean, mut agree) = (0, 0);
    for (i, a) in w.amendments.iter().enumerate() {
        let ours = match rebaser.rebase(a).expect("no fault") {
            RebaseOutcome::Clean(t) => {
                clean += 1;
                (0, t)
            }
            RebaseOutcome::NeedsUpdate(c) => (c.regions.len() as i32, c.with_markers),
        };
        if ours == git.merge("new_base", "base", &format!("amendment-{i}")) {
            agree += 1;
        }
    }
    let single = matches!(
        merge3(&w.base, &w.new_base, &w.amendments[0]),
        Ok(MergeOutcome::Clean(_))
    );
    println!(
        "\nRebase outcomes: {clean} clean, {} need an update; identical to git merge-file (exit code and output): {agree}/{}. Single merge clean: {single}.",
        w.amendments.len() - clean,
        w.amendments.len()
    );
}
