//! Workloads for benchmarking the drafting engine (`domain::drafting`), shared by the one-shot
//! table (`cargo run --release -p engine-bench`) and the criterion benches
//! (`cargo bench -p engine-bench --bench engine`).
//!
//! Everything is generated deterministically (a 64-bit LCG), so every run measures the same
//! texts: a 40,000-word declaration of 800 paragraphs, versions of it, 300 pending amendments
//! and a merged amendment to rebase them over.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator (64-bit LCG, high bits).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// 320 made-up words of two or three syllables, so the prose has a realistic mix of repeated
/// and rare words.
fn vocabulary() -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ra", "to", "mi", "sen", "da", "lu", "ker", "vo", "pa", "tion", "al", "re", "con", "ment",
        "di", "ver",
    ];
    let mut rng = Lcg::new(7);
    (0..320)
        .map(|_| {
            let n = 2 + rng.below(2);
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

/// A generated declaration, kept as paragraphs so versions can be made by editing them.
#[derive(Clone)]
pub struct Declaration {
    pub paragraphs: Vec<String>,
}

impl Declaration {
    /// `n` paragraphs, about `words_per_paragraph` words each (a heading every 20 paragraphs,
    /// a numbered paragraph now and then).
    pub fn generate(seed: u64, n: usize, words_per_paragraph: usize) -> Declaration {
        let vocab = vocabulary();
        let mut rng = Lcg::new(seed);
        let paragraphs = (0..n)
            .map(|k| {
                if k % 20 == 0 {
                    format!("## Part {}: {}", k / 20 + 1, sentence(&mut rng, &vocab, 4))
                } else if k % 7 == 3 {
                    format!(
                        "{}. {}",
                        k % 10 + 1,
                        sentence(&mut rng, &vocab, words_per_paragraph)
                    )
                } else {
                    sentence(&mut rng, &vocab, words_per_paragraph)
                }
            })
            .collect();
        Declaration { paragraphs }
    }

    /// The Markdown text: paragraphs separated by blank lines, ending with a newline.
    pub fn text(&self) -> String {
        let mut text = self.paragraphs.join("\n\n");
        text.push('\n');
        text
    }

    pub fn words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }

    /// A copy with `count` distinct paragraphs (chosen by `rng`) edited: a few words replaced,
    /// a clause inserted or a sentence dropped; one edit in ten inserts a new paragraph instead.
    pub fn edited(&self, rng: &mut Lcg, count: usize) -> Declaration {
        let vocab = vocabulary();
        let mut out = self.clone();
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count.min(self.paragraphs.len()) {
            let k = rng.below(self.paragraphs.len());
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        chosen.sort_unstable();
        for &k in chosen.iter().rev() {
            if rng.below(10) == 0 {
                let words = 20 + rng.below(40);
                out.paragraphs.insert(k + 1, sentence(rng, &vocab, words));
                continue;
            }
            let mut words: Vec<String> = out.paragraphs[k].split(' ').map(str::to_owned).collect();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(words.len());
                match rng.below(3) {
                    0 => words[at] = vocab[rng.below(vocab.len())].clone(),
                    1 => words.insert(at, vocab[rng.below(vocab.len())].clone()),
                    _ if words.len() > 3 => {
                        words.remove(at);
                    }
                    _ => {}
                }
            }
            out.paragraphs[k] = words.join(" ");
        }
        out
    }
}

fn sentence(rng: &mut Lcg, vocab: &[String], words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        let mut word = vocab[rng.below(vocab.len())].clone();
        if i == 0 {
            word[..1].make_ascii_uppercase();
        }
        out.push_str(&word);
        out.push(match (i + 1 == words, rng.below(12)) {
            (true, _) => '.',
            (false, 0) => ',',
            _ => ' ',
        });
        if out.ends_with(',') {
            out.push(' ');
        }
    }
    out
}

/// The workload of every benchmark.
pub struct Workload {
    /// The 800-paragraph, ~40,000-word declaration.
    pub base: String,
    /// The base with 5 % of its paragraphs edited (the word-diff case).
    pub five_percent: String,
    /// The base after merging an amendment that changed 10 paragraphs.
    pub new_base: String,
    /// 300 pending amendments of the base, each editing 1 to 3 paragraphs.
    pub amendments: Vec<String>,
    /// A chain of 20 versions, each editing 1 to 10 paragraphs of the one before.
    pub chain: Vec<(u32, String)>,
}

impl Workload {
    pub fn generate() -> Workload {
        let doc = Declaration::generate(2026, 800, 52);
        let mut rng = Lcg::new(42);
        let five_percent = doc.edited(&mut rng, 40).text();
        let new_base = doc.edited(&mut rng, 10).text();
        let amendments = (0..300)
            .map(|_| {
                let n = 1 + rng.below(3);
                doc.edited(&mut rng, n).text()
            })
            .collect();
        let mut chain = vec![(0, doc.text())];
        let mut current = doc.clone();
        for id in 1..20 {
            let n = 1 + rng.below(10);
            current = current.edited(&mut rng, n);
            chain.push((id, current.text()));
        }
        Workload {
            base: doc.text(),
            five_percent,
            new_base,
            amendments,
            chain,
        }
    }

    pub fn words(&self) -> usize {
        self.base.split_whitespace().count()
    }
}

/// `git merge-file -p ours base theirs` on files already written, as a yardstick. The files of
/// a workload are written once, up front, so timings cover git alone (process start included).
pub struct GitMerge {
    dir: PathBuf,
}

impl GitMerge {
    /// Writes `files` (name, text) into a fresh temporary directory; `None` without git.
    pub fn new(files: &[(String, &str)]) -> Option<GitMerge> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("engine-bench-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).ok()?;
        for (name, text) in files {
            fs::write(dir.join(name), text).ok()?;
        }
        let merge = GitMerge { dir };
        Command::new("git")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .ok()?
            .success()
            .then_some(merge)
    }

    /// Runs `git merge-file -p ours base theirs` (file names in the directory); returns the exit
    /// code (the number of conflicts) and the output.
    pub fn merge(&self, ours: &str, base: &str, theirs: &str) -> (i32, String) {
        let out = Command::new("git")
            .args([
                "merge-file",
                "-p",
                "-L",
                "ours",
                "-L",
                "base",
                "-L",
                "theirs",
            ])
            .args([ours, base, theirs])
            .current_dir(&self.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CEILING_DIRECTORIES", dir_parent(&self.dir))
            .output();
        match out {
            Ok(out) => (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            ),
            Err(_) => (-1, String::new()),
        }
    }
}

impl GitMerge {
    /// Runs `git diff --no-index --word-diff=porcelain old new` (file names in the directory),
    /// the yardstick of the word diff; returns the length of its output.
    pub fn word_diff(&self, old: &str, new: &str) -> usize {
        Command::new("git")
            .args([
                "diff",
                "--no-index",
                "--no-color",
                "--word-diff=porcelain",
                old,
                new,
            ])
            .current_dir(&self.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CEILING_DIRECTORIES", dir_parent(&self.dir))
            .output()
            .map_or(0, |o| o.stdout.len())
    }
}

fn dir_parent(dir: &Path) -> &Path {
    dir.parent().unwrap_or(dir)
}

impl Drop for GitMerge {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The files `GitMerge` needs for a workload: `base`, `new_base`, `ours` (the first amendment)
/// and `amendment-N`.
pub fn git_files(w: &Workload) -> Vec<(String, &str)> {
    let mut files = vec![
        ("base".to_owned(), w.base.as_str()),
        ("new_base".to_owned(), w.new_base.as_str()),
        ("five_percent".to_owned(), w.five_percent.as_str()),
    ];
    for (i, a) in w.amendments.iter().enumerate() {
        files.push((format!("amendment-{i}"), a.as_str()));
    }
    files
}

/// Median and minimum of `runs` timings of `f`.
pub fn time<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}
