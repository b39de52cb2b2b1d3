//! The core of real-time co-editing of the working draft: text operations ordered by the server
//! (operational transformation with a central order, as in Jupiter and Google Docs), not a CRDT.
//!
//! Why server-ordered operations: the server already puts every change of a conference in one
//! order (the event numbers of `domain::live`, kept in the database, shared by every instance
//! through PostgreSQL), so one order needs no second mechanism; an operation says who typed
//! what, which is what provenance credits; and the browser needs only this module (a few
//! kilobytes of WASM), where a CRDT library would add hundreds of kilobytes to a first load
//! the product keeps small.
//!
//! An [`Operation`] walks a text from its start: keep `n` characters, insert a string, delete
//! `n` characters. Lengths count Unicode scalar values (`char`s), never bytes. Two operations
//! made on the same text are [`transform`]ed so that applying either one and then the other's
//! transformed form gives the same text (the property every test here rests on); [`Server`]
//! applies operations in its order, transforming each against what the sender had not yet
//! seen; [`Client`] keeps at most one operation in flight and buffers what is typed meanwhile.

use serde::{Deserialize, Serialize};

/// One step of an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Retain(usize),
    Insert(String),
    Delete(usize),
}

/// An edit of a whole text: steps that cover exactly `base_len` characters of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub steps: Vec<Step>,
    /// The length (in characters) of the text it applies to.
    pub base_len: usize,
    /// The length of the text it makes.
    pub target_len: usize,
}

/// An operation that does not fit the text or the other operation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    #[error("the operation is for a text of {expected} characters, not {actual}")]
    WrongLength { expected: usize, actual: usize },
    #[error("the two operations were not made on the same text")]
    Mismatch,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Operation {
    pub fn new() -> Operation {
        Operation::default()
    }

    pub fn retain(mut self, n: usize) -> Operation {
        if n == 0 {
            return self;
        }
        self.base_len += n;
        self.target_len += n;
        if let Some(Step::Retain(last)) = self.steps.last_mut() {
            *last += n;
        } else {
            self.steps.push(Step::Retain(n));
        }
        self
    }

    pub fn insert(mut self, s: &str) -> Operation {
        if s.is_empty() {
            return self;
        }
        self.target_len += chars(s);
        // inserts go before deletes at the same place (one normal form for equal edits)
        let n = self.steps.len();
        match self.steps.as_mut_slice() {
            [.., Step::Insert(last)] => last.push_str(s),
            [.., Step::Insert(before), Step::Delete(_)] => before.push_str(s),
            [.., Step::Delete(_)] => self.steps.insert(n - 1, Step::Insert(s.to_owned())),
            _ => self.steps.push(Step::Insert(s.to_owned())),
        }
        self
    }

    pub fn delete(mut self, n: usize) -> Operation {
        if n == 0 {
            return self;
        }
        self.base_len += n;
        if let Some(Step::Delete(last)) = self.steps.last_mut() {
            *last += n;
        } else {
            self.steps.push(Step::Delete(n));
        }
        self
    }

    /// Whether it changes nothing.
    pub fn is_noop(&self) -> bool {
        self.steps.iter().all(|s| matches!(s, Step::Retain(_)))
    }

    /// The operation that turns `old` into `new`: what lies between their common start and
    /// common end is deleted and inserted (what a textarea's input event amounts to).
    pub fn between(old: &str, new: &str) -> Operation {
        let a: Vec<char> = old.chars().collect();
        let b: Vec<char> = new.chars().collect();
        let (prefix, suffix) = crate::common_ends::common_ends(&a, &b);
        let inserted: String = b[prefix..b.len() - suffix].iter().collect();
        Operation::new()
            .retain(prefix)
            .insert(&inserted)
            .delete(a.len() - prefix - suffix)
            .retain(suffix)
    }

    /// A fine-grained operation that turns `old` into `new`: a character diff (Myers), so that
    /// what both keep stays kept (carets and credited typists stay where they are) and only
    /// what differs is deleted and inserted. For texts saved or merged by the server.
    pub fn diff(old: &str, new: &str) -> Operation {
        use similar::{Algorithm, DiffOp, TextDiff};
        let d = TextDiff::configure()
            .algorithm(Algorithm::Myers)
            .timeout(std::time::Duration::from_millis(200))
            .diff_chars(old, new);
        let new_chars: Vec<&str> = d.new_slices().to_vec();
        let mut op = Operation::new();
        for o in d.ops() {
            match *o {
                DiffOp::Equal { len, .. } => op = op.retain(len),
                DiffOp::Delete { old_len, .. } => op = op.delete(old_len),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => op = op.insert(&new_chars[new_index..new_index + new_len].concat()),
                DiffOp::Replace {
                    old_len,
                    new_index,
                    new_len,
                    ..
                } => {
                    op = op
                        .insert(&new_chars[new_index..new_index + new_len].concat())
                        .delete(old_len)
                }
            }
        }
        op
    }

    /// Where a caret at character `index` of the text this operation applies to is once it
    /// has been applied. `own` says whether the operation is the caret owner's: their insert
    /// at the caret puts the caret after it; someone else's leaves it before.
    pub fn moved(&self, index: usize, own: bool) -> usize {
        let mut at = 0; // position in the old text
        let mut out = index;
        for step in &self.steps {
            if at > index {
                break;
            }
            match step {
                Step::Retain(n) => at += n,
                Step::Insert(s) => {
                    if at < index || (at == index && own) {
                        out += chars(s);
                    }
                }
                Step::Delete(n) => {
                    let gone = (*n).min(index.saturating_sub(at));
                    out -= gone;
                    at += n;
                }
            }
        }
        out
    }

    /// The text this operation makes of `text`.
    pub fn apply(&self, text: &str) -> Result<String, OpError> {
        let actual = chars(text);
        if actual != self.base_len {
            return Err(OpError::WrongLength {
                expected: self.base_len,
                actual,
            });
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.chars();
        for step in &self.steps {
            match step {
                Step::Retain(n) => out.extend(rest.by_ref().take(*n)),
                Step::Insert(s) => out.push_str(s),
                Step::Delete(n) => {
                    rest.by_ref().take(*n).for_each(drop);
                }
            }
        }
        Ok(out)
    }

    /// One operation doing `self`, then `next` (made on the text `self` makes).
    pub fn compose(&self, next: &Operation) -> Result<Operation, OpError> {
        if self.target_len != next.base_len {
            return Err(OpError::Mismatch);
        }
        let mut out = Operation::new();
        let mut a = Steps::new(&self.steps);
        let mut b = Steps::new(&next.steps);
        loop {
            match (a.peek(), b.peek()) {
                (None, None) => return Ok(out),
                // what `self` deleted, `next` never saw
                (Some(Step::Delete(n)), _) => {
                    out = out.delete(n);
                    a.next();
                }
                // what `next` inserts, `self` never had
                (_, Some(Step::Insert(s))) => {
                    out = out.insert(&s);
                    b.next();
                }
                (None, _) | (_, None) => return Err(OpError::Mismatch),
                (Some(x), Some(y)) => {
                    let n = x.len().min(y.len());
                    match (a.take(n), b.take(n)) {
                        (Step::Retain(_), Step::Retain(_)) => out = out.retain(n),
                        (Step::Retain(_), Step::Delete(_)) => out = out.delete(n),
                        (Step::Insert(s), Step::Retain(_)) => out = out.insert(&s),
                        // inserted, then deleted: nothing
                        (Step::Insert(_), Step::Delete(_)) => {}
                        _ => return Err(OpError::Mismatch),
                    }
                }
            }
        }
    }
}

/// `a` and `b` were made on the same text; returns `(a', b')` such that `b` then `a'` and `a`
/// then `b'` make the same text. Where both insert at one place, `a`'s text comes first (`a`
/// is the one the server ordered first).
pub fn transform(a: &Operation, b: &Operation) -> Result<(Operation, Operation), OpError> {
    if a.base_len != b.base_len {
        return Err(OpError::Mismatch);
    }
    let (mut a2, mut b2) = (Operation::new(), Operation::new());
    let mut x = Steps::new(&a.steps);
    let mut y = Steps::new(&b.steps);
    loop {
        match (x.peek(), y.peek()) {
            (None, None) => return Ok((a2, b2)),
            (Some(Step::Insert(s)), _) => {
                let n = chars(&s);
                a2 = a2.insert(&s);
                b2 = b2.retain(n);
                x.next();
            }
            (_, Some(Step::Insert(s))) => {
                let n = chars(&s);
                a2 = a2.retain(n);
                b2 = b2.insert(&s);
                y.next();
            }
            (None, _) | (_, None) => return Err(OpError::Mismatch),
            (Some(p), Some(q)) => {
                let n = p.len().min(q.len());
                match (x.take(n), y.take(n)) {
                    (Step::Retain(_), Step::Retain(_)) => {
                        a2 = a2.retain(n);
                        b2 = b2.retain(n);
                    }
                    // both deleted it: gone once
                    (Step::Delete(_), Step::Delete(_)) => {}
                    (Step::Delete(_), Step::Retain(_)) => a2 = a2.delete(n),
                    (Step::Retain(_), Step::Delete(_)) => b2 = b2.delete(n),
                    _ => return Err(OpError::Mismatch),
                }
            }
        }
    }
}

impl Step {
    /// How many characters of the text it walks (an insert: of its own).
    fn len(&self) -> usize {
        match self {
            Step::Retain(n) | Step::Delete(n) => *n,
            Step::Insert(s) => chars(s),
        }
    }
}

/// Steps read piecewise: a step can be taken in parts.
struct Steps<'a> {
    steps: &'a [Step],
    index: usize,
    /// How much of the current step was taken already.
    used: usize,
}

impl<'a> Steps<'a> {
    fn new(steps: &'a [Step]) -> Steps<'a> {
        Steps {
            steps,
            index: 0,
            used: 0,
        }
    }

    /// The rest of the current step.
    fn peek(&self) -> Option<Step> {
        let step = self.steps.get(self.index)?;
        Some(match step {
            Step::Retain(n) => Step::Retain(n - self.used),
            Step::Delete(n) => Step::Delete(n - self.used),
            Step::Insert(s) => Step::Insert(s.chars().skip(self.used).collect()),
        })
    }

    fn next(&mut self) {
        self.index += 1;
        self.used = 0;
    }

    /// Take `n` of the current step (at most what is left of it).
    fn take(&mut self, n: usize) -> Step {
        let Some(rest) = self.peek() else {
            return Step::Retain(0);
        };
        let left = rest.len();
        let part = match rest {
            Step::Retain(_) => Step::Retain(n.min(left)),
            Step::Delete(_) => Step::Delete(n.min(left)),
            Step::Insert(s) => Step::Insert(s.chars().take(n).collect()),
        };
        if n >= left {
            self.next();
        } else {
            self.used += n;
        }
        part
    }
}

/// An operation as the server ordered it: its revision (1, 2, …) and who made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ordered<A> {
    pub revision: u64,
    pub author: A,
    pub operation: Operation,
}

/// The server's copy of a shared text: every operation in the order it was applied.
#[derive(Clone, Debug)]
pub struct Server<A> {
    pub text: String,
    pub history: Vec<Ordered<A>>,
}

impl<A: Clone> Server<A> {
    pub fn new(text: &str) -> Server<A> {
        Server {
            text: text.to_owned(),
            history: Vec::new(),
        }
    }

    /// The revision of the text (how many operations it has had).
    pub fn revision(&self) -> u64 {
        self.history.len() as u64
    }

    /// Receive `operation`, made by `author` on revision `seen` of the text: it is transformed
    /// against everything applied since, applied, and returned as ordered (to be sent to
    /// everyone, the author included, who takes it as the acknowledgement).
    pub fn receive(
        &mut self,
        author: A,
        seen: u64,
        operation: Operation,
    ) -> Result<Ordered<A>, OpError> {
        if seen > self.revision() {
            return Err(OpError::Mismatch);
        }
        let mut op = operation;
        for earlier in &self.history[seen as usize..] {
            op = transform(&earlier.operation, &op)?.1;
        }
        self.text = op.apply(&self.text)?;
        let ordered = Ordered {
            revision: self.revision() + 1,
            author,
            operation: op,
        };
        self.history.push(ordered.clone());
        Ok(ordered)
    }
}

/// One editor's copy: the text as shown, the revision of the server's text it is based on, the
/// operation sent and not yet acknowledged, and what was typed since (composed into one).
#[derive(Clone, Debug)]
pub struct Client {
    pub text: String,
    pub revision: u64,
    pub in_flight: Option<Operation>,
    pub buffer: Option<Operation>,
}

impl Client {
    pub fn new(text: &str, revision: u64) -> Client {
        Client {
            text: text.to_owned(),
            revision,
            in_flight: None,
            buffer: None,
        }
    }

    /// The person typed: `op` on the shown text. Returns the operation to send now (with the
    /// revision it is based on), if nothing is in flight; otherwise it waits in the buffer.
    pub fn local(&mut self, op: Operation) -> Result<Option<(u64, Operation)>, OpError> {
        self.text = op.apply(&self.text)?;
        if self.in_flight.is_none() {
            self.in_flight = Some(op.clone());
            return Ok(Some((self.revision, op)));
        }
        self.buffer = Some(match self.buffer.take() {
            None => op,
            Some(b) => b.compose(&op)?,
        });
        Ok(None)
    }

    /// The server's operation of `revision` arrived. `mine` says whether it is the one in
    /// flight coming back (the acknowledgement). Returns the buffered operation to send next, if
    /// the acknowledgement frees the way for it.
    pub fn remote(
        &mut self,
        revision: u64,
        op: &Operation,
        mine: bool,
    ) -> Result<Option<(u64, Operation)>, OpError> {
        self.remote_shown(revision, op, mine).map(|(next, _)| next)
    }

    /// [`Client::remote`], also returning the operation that changed the shown text (none for
    /// the acknowledgement): a caret or a mark in the shown text moves with it
    /// ([`Operation::moved`]).
    #[allow(clippy::type_complexity)]
    pub fn remote_shown(
        &mut self,
        revision: u64,
        op: &Operation,
        mine: bool,
    ) -> Result<(Option<(u64, Operation)>, Option<Operation>), OpError> {
        if revision != self.revision + 1 {
            return Err(OpError::Mismatch);
        }
        self.revision = revision;
        if mine {
            self.in_flight = self.buffer.take();
            return Ok((self.in_flight.clone().map(|b| (self.revision, b)), None));
        }
        // bring the remote operation past what this editor has that the server has not
        let mut remote = op.clone();
        if let Some(f) = self.in_flight.take() {
            let (f2, r2) = transform(&remote, &f).map(|(r, f)| (f, r))?;
            self.in_flight = Some(f2);
            remote = r2;
        }
        if let Some(b) = self.buffer.take() {
            let (b2, r2) = transform(&remote, &b).map(|(r, b)| (b, r))?;
            self.buffer = Some(b2);
            remote = r2;
        }
        self.text = remote.apply(&self.text)?;
        Ok((None, Some(remote)))
    }

    /// Whether everything typed here has reached the server (nothing in flight or waiting).
    pub fn settled(&self) -> bool {
        self.in_flight.is_none() && self.buffer.is_none()
    }
}

/// Who typed each character of a text: runs of (characters, typist), `None` for text that was
/// not typed in the shared draft (where it started, or what a save merged in). Kept in step with
/// the text by [`Typists::apply`]; provenance credits each passage to its typist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typists<A> {
    pub runs: Vec<(usize, Option<A>)>,
}

impl<A> Default for Typists<A> {
    fn default() -> Typists<A> {
        Typists { runs: Vec::new() }
    }
}

impl<A: Clone + PartialEq> Typists<A> {
    /// A text of `len` characters that nobody typed here.
    pub fn untyped(len: usize) -> Typists<A> {
        let mut t = Typists { runs: Vec::new() };
        t.push(len, None);
        t
    }

    /// How many characters the runs cover.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|r| r.0).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, n: usize, who: Option<A>) {
        if n == 0 {
            return;
        }
        match self.runs.last_mut() {
            Some((m, w)) if *w == who => *m += n,
            _ => self.runs.push((n, who)),
        }
    }

    /// The runs once `op` (typed by `who`, or by nobody) has been applied: kept characters
    /// keep their typist, inserted ones are `who`'s. Runs that do not cover the operation's
    /// text (which cannot happen when kept in step) are started again as untyped.
    pub fn apply(&self, op: &Operation, who: Option<A>) -> Typists<A> {
        if self.len() != op.base_len {
            return Typists::untyped(op.target_len);
        }
        let mut out = Typists { runs: Vec::new() };
        let mut runs = self.runs.iter().cloned();
        let mut current: Option<(usize, Option<A>)> = None;
        let mut take = |n: usize, keep: bool, out: &mut Typists<A>| {
            let mut left = n;
            while left > 0 {
                let (len, w) = match current.take().or_else(|| runs.next()) {
                    Some(r) => r,
                    None => return,
                };
                let used = len.min(left);
                if keep {
                    out.push(used, w.clone());
                }
                if len > used {
                    current = Some((len - used, w));
                }
                left -= used;
            }
        };
        for step in &op.steps {
            match step {
                Step::Retain(n) => take(*n, true, &mut out),
                Step::Delete(n) => take(*n, false, &mut out),
                Step::Insert(s) => out.push(chars(s), who.clone()),
            }
        }
        out
    }

    /// Who typed the character at `index` (`None` past the end, or untyped).
    pub fn at(&self, index: usize) -> Option<&A> {
        let mut start = 0;
        for (n, w) in &self.runs {
            if index < start + n {
                return w.as_ref();
            }
            start += n;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_keeps_inserts_and_deletes_and_counts_characters_not_bytes() {
        let op = Operation::new().retain(2).insert("é—").delete(1).retain(1);
        assert_eq!(op.apply("añbc").unwrap(), "añé—c");
        assert_eq!((op.base_len, op.target_len), (4, 5));
        assert_eq!(
            op.apply("abc"),
            Err(OpError::WrongLength {
                expected: 4,
                actual: 3
            })
        );
        assert_eq!(
            Operation::between("Learning for all", "Lifelong learning for all")
                .apply("Learning for all")
                .unwrap(),
            "Lifelong learning for all"
        );
        assert!(Operation::between("same", "same").is_noop());
    }

    #[test]
    fn two_inserts_at_one_place_keep_the_server_order() {
        let a = Operation::new().retain(3).insert("A");
        let b = Operation::new().retain(3).insert("B");
        let (a2, b2) = transform(&a, &b).unwrap();
        let via_a = b2.apply(&a.apply("abc").unwrap()).unwrap();
        let via_b = a2.apply(&b.apply("abc").unwrap()).unwrap();
        assert_eq!(via_a, "abcAB");
        assert_eq!(via_a, via_b);
    }

    #[test]
    fn a_diff_keeps_what_both_texts_share() {
        let old = "Learning for all, at every age.";
        let new = "Lifelong learning for all, at any age!";
        let op = Operation::diff(old, new);
        assert_eq!(op.apply(old).unwrap(), new);
        assert!(op
            .steps
            .iter()
            .any(|s| matches!(s, Step::Retain(n) if *n >= 10)));
        assert!(Operation::diff("same", "same").is_noop());
        assert_eq!(Operation::diff("", "é").apply("").unwrap(), "é");
    }

    #[test]
    fn a_caret_moves_with_what_others_type_before_it() {
        // "abcdef", caret after "abc" (3)
        let ins_before = Operation::new().retain(1).insert("XY").retain(5);
        assert_eq!(ins_before.moved(3, false), 5);
        let ins_at = Operation::new().retain(3).insert("Z").retain(3);
        assert_eq!(ins_at.moved(3, false), 3);
        assert_eq!(ins_at.moved(3, true), 4);
        let ins_after = Operation::new().retain(4).insert("Z").retain(2);
        assert_eq!(ins_after.moved(3, false), 3);
        let del_around = Operation::new().retain(1).delete(4).retain(1);
        assert_eq!(del_around.moved(3, false), 1);
        let del_before = Operation::new().delete(2).retain(4);
        assert_eq!(del_before.moved(3, false), 1);
        assert_eq!(del_before.moved(6, false), 4);
    }

    #[test]
    fn typists_follow_the_text_and_credit_who_typed_what() {
        let text = "abc";
        let t = Typists::<u32>::untyped(3);
        let op1 = Operation::new().retain(1).insert("XX").retain(2); // aXXbc by 1
        let t = t.apply(&op1, Some(1));
        let text = op1.apply(text).unwrap();
        let op2 = Operation::new().retain(2).delete(2).insert("yyy").retain(1); // aXyyyc by 2
        let t = t.apply(&op2, Some(2));
        let text = op2.apply(&text).unwrap();
        assert_eq!(text, "aXyyyc");
        assert_eq!(t.len(), 6);
        assert_eq!(
            t.runs,
            vec![(1, None), (1, Some(1)), (3, Some(2)), (1, None)]
        );
        assert_eq!(t.at(1), Some(&1));
        assert_eq!(t.at(0), None);
        // out of step: started again, untyped
        assert_eq!(t.apply(&op1, Some(3)), Typists::untyped(5));
    }
}
