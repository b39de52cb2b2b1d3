//! Property tests of the co-editing core (`domain::coedit`): three editors type at once, their
//! operations reach the server and come back in random interleavings, and every copy ends with
//! the same text, with nothing typed lost or doubled.

use domain::coedit::{transform, Client, Operation, Server, Typists};
use proptest::prelude::*;
use std::collections::VecDeque;

/// A random operation on a text of `len` characters, from a list of choices.
fn op_on(len: usize, choices: &[(u8, usize, String)]) -> Operation {
    let mut op = Operation::new();
    let mut left = len;
    for (kind, n, s) in choices {
        match kind % 3 {
            0 => {
                let k = (*n).min(left);
                op = op.retain(k);
                left -= k;
            }
            1 => op = op.insert(s),
            _ => {
                let k = (*n).min(left);
                op = op.delete(k);
                left -= k;
            }
        }
    }
    op.retain(left)
}

fn choices() -> impl Strategy<Value = Vec<(u8, usize, String)>> {
    prop::collection::vec((any::<u8>(), 0usize..6, "[a-zé—]{0,4}"), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Either order of two concurrent operations makes the same text.
    #[test]
    fn transformed_operations_meet(text in "[a-z ]{0,20}", x in choices(), y in choices()) {
        let n = text.chars().count();
        let (a, b) = (op_on(n, &x), op_on(n, &y));
        let (a2, b2) = transform(&a, &b).unwrap();
        let one = b2.apply(&a.apply(&text).unwrap()).unwrap();
        let two = a2.apply(&b.apply(&text).unwrap()).unwrap();
        prop_assert_eq!(one, two);
    }

    /// The character diff makes the new text, and keeps at least the common start and end.
    #[test]
    fn a_diff_makes_the_new_text(old in "[a-zé ]{0,30}", new in "[a-zé ]{0,30}") {
        let op = Operation::diff(&old, &new);
        prop_assert_eq!(op.apply(&old).unwrap(), new);
    }

    /// Who typed what stays in step with the text: as long, each inserted character credited
    /// to its typist, each kept one to whoever had it.
    #[test]
    fn typists_stay_in_step(text in "[a-z ]{0,20}", x in choices(), y in choices()) {
        let a = op_on(text.chars().count(), &x);
        let t = Typists::<u8>::untyped(text.chars().count()).apply(&a, Some(1));
        let after_a = a.apply(&text).unwrap();
        let b = op_on(after_a.chars().count(), &y);
        let t = t.apply(&b, Some(2));
        let after_b = b.apply(&after_a).unwrap();
        prop_assert_eq!(t.len(), after_b.chars().count());
        let by = |who: u8| t.runs.iter().filter(|r| r.1 == Some(who)).map(|r| r.0).sum::<usize>();
        let inserted = |op: &Operation| op.steps.iter().map(|s| match s {
            domain::coedit::Step::Insert(s) => s.chars().count(),
            _ => 0,
        }).sum::<usize>();
        prop_assert_eq!(by(2), inserted(&b));
        prop_assert!(by(1) <= inserted(&a));
    }

    /// A caret keeps its place in the text around it: the character after it before an
    /// operation (if the operation keeps it) is the character after it afterwards, once what
    /// is inserted right at the caret is counted before it (`own`; for someone else's insert
    /// there the caret stays before it, as the unit test shows).
    #[test]
    fn a_caret_stays_by_its_character(text in "[a-z]{1,20}", x in choices(), at in 0usize..20) {
        let n = text.chars().count();
        let at = at.min(n - 1);
        let op = op_on(n, &x);
        // mark the character after the caret by an upper-case copy, kept if retained
        let marked: String = text.chars().enumerate().map(|(i, c)| if i == at { c.to_ascii_uppercase() } else { c }).collect();
        let after = op.apply(&marked).unwrap();
        if let Some(i) = after.chars().position(|c| c.is_ascii_uppercase()) {
            prop_assert_eq!(op.moved(at, true), i);
        }
    }

    /// Doing `a` then `b` is doing their composition.
    #[test]
    fn composing_is_doing_one_after_the_other(text in "[a-z ]{0,20}", x in choices(), y in choices()) {
        let a = op_on(text.chars().count(), &x);
        let after_a = a.apply(&text).unwrap();
        let b = op_on(after_a.chars().count(), &y);
        let ab = a.compose(&b).unwrap();
        prop_assert_eq!(ab.apply(&text).unwrap(), b.apply(&after_a).unwrap());
    }
}

/// What happens next in a run: an editor types, a sent operation reaches the server, or the
/// server's next operation reaches an editor.
#[derive(Clone, Debug)]
enum Action {
    Type {
        editor: usize,
        at: usize,
        delete: usize,
    },
    ToServer {
        editor: usize,
    },
    ToEditor {
        editor: usize,
    },
}

fn actions(deletes: bool) -> impl Strategy<Value = Vec<Action>> {
    let one = prop_oneof![
        (0usize..3, 0usize..1000, 0usize..4).prop_map(move |(editor, at, d)| Action::Type {
            editor,
            at,
            delete: if deletes { d } else { 0 },
        }),
        (0usize..3).prop_map(|editor| Action::ToServer { editor }),
        (0usize..3).prop_map(|editor| Action::ToEditor { editor }),
    ];
    prop::collection::vec(one, 1..120)
}

struct Run {
    server: Server<usize>,
    editors: Vec<Client>,
    /// what each editor sent and the server has not received (at most one: the one in flight)
    outbox: Vec<VecDeque<(u64, Operation)>>,
    /// what the server sent each editor and it has not read yet
    inbox: Vec<VecDeque<domain::coedit::Ordered<usize>>>,
    typed: Vec<String>,
}

impl Run {
    fn new(text: &str) -> Run {
        Run {
            server: Server::new(text),
            editors: (0..3).map(|_| Client::new(text, 0)).collect(),
            outbox: vec![VecDeque::new(); 3],
            inbox: vec![VecDeque::new(); 3],
            typed: Vec::new(),
        }
    }

    fn step(&mut self, a: &Action) {
        match *a {
            Action::Type { editor, at, delete } => {
                let text = &self.editors[editor].text;
                let n = text.chars().count();
                let at = at % (n + 1);
                let delete = delete.min(n - at);
                // every insert is one character found nowhere else (from Unicode's private
                // use area): lost or doubled shows
                let token = char::from_u32(0xE000 + self.typed.len() as u32)
                    .unwrap()
                    .to_string();
                self.typed.push(token.clone());
                let op = Operation::new()
                    .retain(at)
                    .insert(&token)
                    .delete(delete)
                    .retain(n - at - delete);
                if let Some(send) = self.editors[editor].local(op).unwrap() {
                    self.outbox[editor].push_back(send);
                }
            }
            Action::ToServer { editor } => {
                if let Some((seen, op)) = self.outbox[editor].pop_front() {
                    let ordered = self.server.receive(editor, seen, op).unwrap();
                    for inbox in &mut self.inbox {
                        inbox.push_back(ordered.clone());
                    }
                }
            }
            Action::ToEditor { editor } => {
                if let Some(o) = self.inbox[editor].pop_front() {
                    let mine = o.author == editor;
                    if let Some(send) = self.editors[editor]
                        .remote(o.revision, &o.operation, mine)
                        .unwrap()
                    {
                        self.outbox[editor].push_back(send);
                    }
                }
            }
        }
    }

    /// Deliver everything still on its way.
    fn settle(&mut self) {
        loop {
            let mut moved = false;
            for e in 0..3 {
                if !self.outbox[e].is_empty() {
                    self.step(&Action::ToServer { editor: e });
                    moved = true;
                }
                if !self.inbox[e].is_empty() {
                    self.step(&Action::ToEditor { editor: e });
                    moved = true;
                }
            }
            if !moved {
                return;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Three editors typing at once, in any interleaving of typing and delivery, end with the
    /// server's text; with inserts only, every token typed is in it exactly once.
    #[test]
    fn three_editors_converge_and_lose_nothing(text in "[a-z ]{0,12}", run in actions(false)) {
        let mut r = Run::new(&text);
        for a in &run {
            r.step(a);
        }
        r.settle();
        for e in &r.editors {
            prop_assert_eq!(&e.text, &r.server.text);
            prop_assert!(e.in_flight.is_none() && e.buffer.is_none());
        }
        for token in &r.typed {
            prop_assert_eq!(r.server.text.matches(token.as_str()).count(), 1, "{}", token);
        }
        // and what was there before is still there, in order
        let kept: String = {
            let mut t = r.server.text.clone();
            for token in &r.typed {
                t = t.replace(token.as_str(), "");
            }
            t
        };
        prop_assert_eq!(kept, text);
    }

    /// The same with deletions: every copy converges to the server's text, and a token is
    /// never doubled.
    #[test]
    fn three_editors_converge_with_deletions(text in "[a-z ]{0,12}", run in actions(true)) {
        let mut r = Run::new(&text);
        for a in &run {
            r.step(a);
        }
        r.settle();
        for e in &r.editors {
            prop_assert_eq!(&e.text, &r.server.text);
        }
        for token in &r.typed {
            prop_assert!(r.server.text.matches(token.as_str()).count() <= 1, "{}", token);
        }
    }
}
