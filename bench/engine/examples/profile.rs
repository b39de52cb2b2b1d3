//! One operation in a loop, for a profiler: `cargo run --release -p engine-bench --example
//! profile -- rebase|stream|diff [times]` (e.g. under `perf record`); `stream` rebases the
//! amendments one after the other, dropping each outcome, as the server does.
use domain::drafting::{diff_words, rebase_all, Rebaser};
use engine_bench::Workload;
use std::hint::black_box;

fn main() {
    let w = Workload::generate();
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "rebase".into());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let started = std::time::Instant::now();
    for _ in 0..times {
        match what.as_str() {
            "diff" => {
                black_box(diff_words(&w.base, &w.five_percent));
            }
            "stream" => {
                if let Ok(rebaser) = Rebaser::new(&w.base, &w.new_base) {
                    for a in &w.amendments {
                        let _ = black_box(rebaser.rebase(a));
                    }
                }
            }
            _ => {
                let _ = black_box(rebase_all(&w.base, &w.new_base, &w.amendments));
            }
        }
    }
    println!(
        "{what}: {:.2} ms each",
        started.elapsed().as_secs_f64() * 1000.0 / times as f64
    );
}
