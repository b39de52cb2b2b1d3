//! Criterion benches of the drafting engine, with `git merge-file` as a yardstick:
//! `cargo bench -p engine-bench --bench engine` (add a filter such as `rebase` to run one).
//! The one-shot table is quicker: `cargo run --release -p engine-bench`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use domain::drafting::{attribute, diff_words, merge3, rebase_all, side_by_side};
use engine_bench::{git_files, GitMerge, Workload};

fn engine(c: &mut Criterion) {
    let w = Workload::generate();
    let chain: Vec<(u32, &str)> = w.chain.iter().map(|(v, t)| (*v, t.as_str())).collect();

    let mut g = c.benchmark_group("drafting");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("diff_words 40k words, 5% edited", |b| {
        b.iter(|| diff_words(black_box(&w.base), black_box(&w.five_percent)))
    });
    g.bench_function("side_by_side 40k words, 5% edited", |b| {
        b.iter(|| side_by_side(black_box(&w.base), black_box(&w.five_percent)))
    });
    g.bench_function("merge3 single", |b| {
        b.iter(|| merge3(black_box(&w.base), &w.new_base, &w.amendments[0]))
    });
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .sampling_mode(SamplingMode::Flat);
    g.bench_function("attribute 20 versions", |b| {
        b.iter(|| attribute(black_box(&chain)))
    });
    g.bench_function("rebase 300 amendments", |b| {
        b.iter(|| rebase_all(black_box(&w.base), &w.new_base, &w.amendments))
    });
    g.finish();

    // yardstick: git merge-file on the same inputs, files written beforehand (not timed)
    let files = git_files(&w);
    let Some(git) = GitMerge::new(&files) else {
        eprintln!("git not found: no git merge-file yardstick");
        return;
    };
    let mut g = c.benchmark_group("git merge-file");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .sampling_mode(SamplingMode::Flat);
    g.bench_function("single", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(git.merge("new_base", "base", "amendment-0"));
            }
            start.elapsed()
        })
    });
    let names: Vec<String> = (0..w.amendments.len())
        .map(|i| format!("amendment-{i}"))
        .collect();
    g.bench_function("300 sequential (rebase)", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                for name in &names {
                    black_box(git.merge("new_base", "base", name));
                }
            }
            start.elapsed()
        })
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
