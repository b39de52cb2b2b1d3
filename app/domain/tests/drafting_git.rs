//! Differential test: `domain::drafting::merge3` against `git merge-file -p`.
//!
//! Random declarations (a few dozen paragraphs over a small vocabulary, so words and whole
//! paragraphs repeat) get random paragraph edits, insertions and deletions on two sides, some
//! of them identical on both sides, some next to each other. For every case the exit code of
//! git (0 = clean, otherwise the number of conflicts) must equal our number of conflicts, and
//! git's output must equal ours byte for byte: the merged text when clean, the text with
//! conflict markers otherwise (`-L ours -L base -L theirs` gives both the same labels).
//!
//! git is run outside any repository with no system or global configuration, so a user's
//! `merge.conflictStyle` cannot change its output. Without git the test is skipped with a
//! notice, except on CI (`CI=true`), where it fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use domain::drafting::{merge3, MergeOutcome};

/// A small deterministic generator (64-bit LCG, high bits), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const VOCABULARY: &[&str] = &[
    "the", "people", "shall", "peace", "rights", "all", "nations", "and", "of", "free", "law",
    "equal",
];

fn paragraph(rng: &mut Lcg) -> String {
    let words = 1 + rng.below(6);
    let mut text: Vec<&str> = (0..words)
        .map(|_| VOCABULARY[rng.below(VOCABULARY.len())])
        .collect();
    match rng.below(10) {
        0 => text.insert(0, "#"),
        1 => text.insert(0, "-"),
        _ => {}
    }
    let mut p = text.join(" ");
    if rng.chance(10) {
        // a list block: several lines in one paragraph
        p.push_str("\n- ");
        p.push_str(VOCABULARY[rng.below(VOCABULARY.len())]);
    }
    if rng.chance(5) {
        // a paragraph without letters, e.g. a rule
        p = "---".to_owned();
    }
    p
}

/// Line ends of a case: mostly `\n`-terminated documents; some without the final newline, some
/// with CRLF (git's marker and final-newline rules differ there).
#[derive(Clone, Copy)]
enum Ending {
    Lf,
    NoFinalNewline,
    Crlf,
}

fn render(paragraphs: &[String], ending: Ending) -> String {
    let mut doc = paragraphs.join("\n\n");
    match ending {
        Ending::Lf => doc.push('\n'),
        Ending::NoFinalNewline => {}
        Ending::Crlf => {
            doc.push('\n');
            doc = doc.replace('\n', "\r\n");
        }
    }
    doc
}

/// One side: `edits` random edits, insertions, deletions and (`move_percent` of the time) moves
/// of paragraphs of `base`.
fn edit(rng: &mut Lcg, base: &[String], edits: usize, move_percent: usize) -> Vec<String> {
    let mut doc = base.to_vec();
    for _ in 0..edits {
        let at = rng.below(doc.len() + 1);
        if at < doc.len() && rng.chance(move_percent) {
            // a paragraph moved elsewhere
            let p = doc.remove(at);
            let to = rng.below(doc.len() + 1);
            doc.insert(to, p);
            continue;
        }
        match rng.below(4) {
            0 | 1 if at < doc.len() => {
                let mut words: Vec<String> = doc[at].split(' ').map(str::to_owned).collect();
                let w = rng.below(words.len());
                words[w] = VOCABULARY[rng.below(VOCABULARY.len())].to_uppercase();
                doc[at] = words.join(" ");
            }
            2 if at < doc.len() && doc.len() > 1 => {
                doc.remove(at);
            }

            _ => doc.insert(at, paragraph(rng)),
        }
    }
    doc
}

fn git_merge_file(dir: &Path, base: &str, ours: &str, theirs: &str) -> Option<(i32, String)> {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        fs::write(&path, text).expect("write temp file");
        path
    };
    let (b, o, t) = (
        write("base", base),
        write("ours", ours),
        write("theirs", theirs),
    );
    let output = match Command::new("git")
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
        .arg(&o)
        .arg(&b)
        .arg(&t)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot run git: {e}"),
    };
    let code = output.status.code().expect("git exited by a signal");
    assert!(
        (0..128).contains(&code),
        "git merge-file failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some((
        code,
        String::from_utf8(output.stdout).expect("UTF-8 output"),
    ))
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("drafting-git-{}-{nanos}", std::process::id()));
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn ours_outcome(base: &str, ours: &str, theirs: &str) -> (i32, String) {
    match merge3(base, ours, theirs).expect("no fault") {
        MergeOutcome::Clean(text) => (0, text),
        MergeOutcome::Conflict(c) => (c.regions.len().min(127) as i32, c.with_markers),
    }
}

/// Sizes of generated cases.
struct Shape {
    /// Base paragraphs: `min + below(spread)`.
    paragraphs: (usize, usize),
    /// Edits per side: `min + below(spread)`.
    edits: (usize, usize),
    /// Share of edits that move a paragraph, in percent.
    move_percent: usize,
    /// Whether the cases must include clean and conflicting merges (at least 10 % each).
    both_outcomes: bool,
}

/// Runs `cases` random merges through git and `merge3`; panics with the first difference.
/// `DRAFTING_GIT_CASES` and `DRAFTING_GIT_SEED` override the count and seed (for runs by hand;
/// `DRAFTING_GIT_STATS` lists every difference).
fn agree_with_git(name: &str, cases: usize, seed: u64, shape: Shape) {
    let env = |var: &str, default: u64| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let cases = env("DRAFTING_GIT_CASES", cases as u64) as usize;
    let mut rng = Lcg(env("DRAFTING_GIT_SEED", seed));
    let dir = temp_dir();
    let mut counts = [0usize; 2]; // clean, conflicting
    let mut mismatches = Vec::new();
    for case in 0..cases {
        let n = shape.paragraphs.0 + rng.below(shape.paragraphs.1);
        let base: Vec<String> = (0..n).map(|_| paragraph(&mut rng)).collect();
        let edits = shape.edits.0 + rng.below(shape.edits.1);
        let ours = edit(&mut rng, &base, edits, shape.move_percent);
        let theirs = if rng.chance(15) {
            // part of the same change on both sides
            let mut t = ours.clone();
            if rng.chance(50) && !t.is_empty() {
                let at = rng.below(t.len());
                t[at] = paragraph(&mut rng);
            }
            t
        } else {
            let edits = shape.edits.0 + rng.below(shape.edits.1);
            edit(&mut rng, &base, edits, shape.move_percent)
        };
        let ending = match rng.below(20) {
            0 => Ending::NoFinalNewline,
            1 => Ending::Crlf,
            _ => Ending::Lf,
        };
        let (base, ours, theirs) = (
            render(&base, ending),
            render(&ours, ending),
            render(&theirs, ending),
        );
        let Some(git) = git_merge_file(&dir, &base, &ours, &theirs) else {
            let _ = fs::remove_dir_all(&dir);
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("git is not on PATH, and CI needs this test to run");
            }
            eprintln!("NOTICE: git is not on PATH; skipping {name} (differential test against git merge-file)");
            return;
        };
        let mine = ours_outcome(&base, &ours, &theirs);
        counts[usize::from(git.0 != 0)] += 1;
        if mine != git {
            mismatches.push((case, base, ours, theirs, git, mine));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    if std::env::var("DRAFTING_GIT_STATS").is_ok() {
        for (case, _, _, _, git, mine) in &mismatches {
            eprintln!(
                "case {case}: git exit {} ours {} same-text {}",
                git.0,
                mine.0,
                git.1 == mine.1
            );
        }
    }
    if let Some((case, base, ours, theirs, git, mine)) = mismatches.first() {
        panic!(
            "{name}: {} of {cases} cases differ from git; first: case {case}\n--- base\n{base}--- ours\n{ours}--- theirs\n{theirs}--- git (exit {})\n{}--- merge3 ({})\n{}",
            mismatches.len(),
            git.0,
            git.1,
            mine.0,
            mine.1
        );
    }
    eprintln!(
        "{name}: {cases} cases agree with git merge-file: {} clean, {} conflicting",
        counts[0], counts[1]
    );
    // the generator must exercise both outcomes
    if !shape.both_outcomes {
        assert!(counts[1] > 0, "no conflicting case");
        return;
    }
    assert!(counts[0] > cases / 10, "too few clean cases: {counts:?}");
    assert!(
        counts[1] > cases / 10,
        "too few conflicting cases: {counts:?}"
    );
}

/// Everyday amendments: 3 to 32 paragraphs, 1 to 4 paragraph edits per side.
#[test]
fn merge3_agrees_with_git_merge_file() {
    agree_with_git(
        "small",
        600,
        0x5eed_2026,
        Shape {
            paragraphs: (3, 30),
            edits: (1, 4),
            move_percent: 5,
            both_outcomes: true,
        },
    );
}

/// Heavy rewrites of long documents: hundreds of changed lines per side.
#[test]
fn merge3_agrees_with_git_merge_file_on_big_rewrites() {
    agree_with_git(
        "big",
        30,
        0xb16_2026,
        Shape {
            paragraphs: (200, 300),
            edits: (100, 300),
            move_percent: 5,
            both_outcomes: false,
        },
    );
}

/// Paragraphs shuffled around by the hundred: the diffs cost more than 256 edits, where xdiff
/// cuts its search short (the furthest-path cut-off) and so does `merge3`. (The other cut-off,
/// for a good snake, needs documents beyond ~32,000 lines; a run by hand with 40,000-paragraph
/// documents, shape (40000, 1) / (3000, 1), agreed with git too.)
#[test]
fn merge3_agrees_with_git_merge_file_on_shuffles() {
    agree_with_git(
        "shuffle",
        20,
        0x5407_2026,
        Shape {
            paragraphs: (400, 400),
            edits: (300, 300),
            move_percent: 90,
            both_outcomes: false,
        },
    );
}
