//! The browser's side of co-editing the working draft (`domain::coedit::Client`): what the
//! person types goes to the server as operations, one in flight at a time, each with a key of
//! its own (a retry after a lost answer is applied once); what the others type comes back in
//! the server's order and is put into the textarea, the caret moving with it. Offline, typing
//! goes on here and is sent when the connection is back. Without JavaScript none of this runs:
//! the page is a plain form that saves the whole text.

use leptos::html::Textarea;
use leptos::prelude::*;

/// How the editor stands with the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) enum SyncStatus {
    /// Everything typed here is in the shared draft.
    Synced,
    /// Typing on its way.
    Sending,
    /// The server cannot be reached: typing is kept here and sent once it can.
    Offline,
    /// The server refused (the declaration was adopted, the draft moved on in a way this copy
    /// cannot follow): the message says what to do.
    Refused(String),
}

impl SyncStatus {
    pub(crate) fn text(&self) -> String {
        match self {
            SyncStatus::Synced => "Connected: everything you typed is in the shared draft.".into(),
            SyncStatus::Sending => "Sending your typing…".into(),
            SyncStatus::Offline => "Offline: keep typing, your text is kept here and sent as soon as the connection is back.".into(),
            SyncStatus::Refused(m) => m.clone(),
        }
    }
}

/// The co-editing state of one editor page (a handle: copy it freely).
#[derive(Clone, Copy)]
pub(crate) struct CoEdit {
    pub status: RwSignal<SyncStatus>,
    /// The others' carets, by name, at character indices of the shown text.
    pub carets: RwSignal<Vec<(String, usize)>>,
    #[cfg(feature = "hydrate")]
    state: StoredValue<browser::State, LocalStorage>,
    #[cfg(feature = "hydrate")]
    slug: StoredValue<String>,
    #[cfg(feature = "hydrate")]
    node_ref: NodeRef<Textarea>,
    #[cfg(feature = "hydrate")]
    text: RwSignal<String>,
    #[cfg(feature = "hydrate")]
    live: crate::live::components::Live,
}

impl CoEdit {
    /// Start co-editing `text` (the shared draft at `revision`), shown in the textarea of
    /// `node_ref`, whose content `text` follows.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub(crate) fn start(
        slug: String,
        shared: &crate::drafting::dto::SharedDraftDto,
        node_ref: NodeRef<Textarea>,
        text: RwSignal<String>,
    ) -> CoEdit {
        let c = CoEdit {
            status: RwSignal::new(SyncStatus::Synced),
            carets: RwSignal::new(Vec::new()),
            #[cfg(feature = "hydrate")]
            state: StoredValue::new_local(browser::State::new(shared)),
            #[cfg(feature = "hydrate")]
            slug: StoredValue::new(slug),
            #[cfg(feature = "hydrate")]
            node_ref,
            #[cfg(feature = "hydrate")]
            text,
            #[cfg(feature = "hydrate")]
            live: crate::live::components::use_live(),
        };
        #[cfg(feature = "hydrate")]
        browser::run(c);
        c
    }

    /// Whether everything typed here has reached the server.
    pub(crate) fn settled(self) -> bool {
        #[cfg(feature = "hydrate")]
        {
            self.state.with_value(|s| s.client.settled())
        }
        #[cfg(not(feature = "hydrate"))]
        true
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{CoEdit, SyncStatus};
    use crate::drafting::api::{edit_shared_draft, get_shared_ops};
    use crate::drafting::dto::SharedDraftDto;
    use crate::drafting::dto::SharedOpDto;
    use crate::error::ErrorKind;
    use domain::coedit::{Client, Operation};
    use domain::ids::PersonId;
    use domain::live::Change;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use std::time::Duration;

    /// How many operations one catch-up brings at most (`drafting::service::shared::MAX_OPS`).
    const PAGE: usize = 500;

    pub(super) struct State {
        pub client: Client,
        me: PersonId,
        names: Vec<(PersonId, String)>,
        /// The others' carets, at character indices of the shown text.
        carets: Vec<(PersonId, usize)>,
        /// The key of the operation in flight (its acknowledgement comes back with it).
        in_flight_key: Option<String>,
        /// This page's keys: a random prefix and a counter.
        prefix: String,
        sent: u64,
        syncing: bool,
        again: bool,
    }

    impl State {
        pub fn new(shared: &SharedDraftDto) -> State {
            let r = leptos::web_sys::js_sys::Math::random();
            State {
                client: Client::new(&shared.text, shared.revision),
                me: shared.me,
                names: shared.editors.clone(),
                carets: Vec::new(),
                in_flight_key: None,
                prefix: format!("e{:x}", (r * 1e15) as u64),
                sent: 0,
                syncing: false,
                again: false,
            }
        }
    }

    pub(super) fn run(c: CoEdit) {
        // what the person types (and what a button puts in) goes out as an operation
        Effect::new(move |_| {
            let t = c.text.get();
            typed(c, &t);
        });
        // the stream brings each operation, in order: applied as it comes; a gap (the stream
        // reconnected past what it kept, the page opened between two) is read from the server
        Effect::new(move |_| {
            for change in c.live.take_edits() {
                if let Change::DraftEdited {
                    revision,
                    author,
                    operation,
                    key,
                    caret,
                } = change
                {
                    let op = SharedOpDto {
                        revision,
                        author,
                        operation,
                        key,
                        caret,
                    };
                    match apply(c, &op) {
                        Applied::Done => {}
                        Applied::Gap => {
                            sync(c);
                            break;
                        }
                        Applied::OutOfStep => break,
                    }
                }
            }
            show_carets(c);
            refresh_status(c);
        });
        // and now and then anyway (a stream that was down, a lost answer)
        if let Ok(h) = set_interval_with_handle(move || sync(c), Duration::from_secs(5)) {
            on_cleanup(move || h.clear());
        }
    }

    /// The shown text may have changed: what differs from the copy is typed.
    fn typed(c: CoEdit, now: &str) {
        let send = c.state.try_update_value(|s| {
            if s.client.text == now {
                return None;
            }
            let op = Operation::between(&s.client.text, now);
            for c in &mut s.carets {
                c.1 = op.moved(c.1, false);
            }
            s.client.local(op).ok().flatten().map(|(rev, op)| {
                s.sent += 1;
                let key = format!("{}-{}", s.prefix, s.sent);
                s.in_flight_key = Some(key.clone());
                (rev, op, key)
            })
        });
        if let Some(Some((rev, op, key))) = send {
            send_op(c, rev, op, key);
        }
        show_carets(c);
        refresh_status(c);
    }

    /// Where this editor's caret is (a character index of the shown text).
    fn my_caret(c: CoEdit) -> Option<u64> {
        let el = c.node_ref.get_untracked()?;
        let at = el.selection_end().ok().flatten()?;
        Some(char_index(&el.value(), at) as u64)
    }

    fn show_carets(c: CoEdit) {
        let named = c.state.with_value(|s| {
            s.carets
                .iter()
                .map(|(who, at)| {
                    let name = s
                        .names
                        .iter()
                        .find(|(p, _)| p == who)
                        .map_or_else(|| "A committee member".to_owned(), |(_, n)| n.clone());
                    (name, *at)
                })
                .collect::<Vec<_>>()
        });
        if c.carets.get_untracked() != named {
            c.carets.set(named);
        }
    }

    fn refresh_status(c: CoEdit) {
        let settled = c.settled();
        c.status.update(|st| match st {
            SyncStatus::Refused(_) | SyncStatus::Offline => {}
            _ => {
                *st = if settled {
                    SyncStatus::Synced
                } else {
                    SyncStatus::Sending
                }
            }
        });
    }

    fn send_op(c: CoEdit, rev: u64, op: Operation, key: String) {
        let Ok(json) = serde_json::to_string(&op) else {
            return;
        };
        let slug = c.slug.get_value();
        let caret = my_caret(c);
        spawn_local(async move {
            match edit_shared_draft(slug, rev, json.clone(), key.clone(), caret).await {
                Ok(_) => {
                    if c.status.get_untracked() == SyncStatus::Offline {
                        c.status.set(SyncStatus::Sending);
                    }
                    // its acknowledgement comes on the stream; without one, read it now
                    if !c.live.online() {
                        sync(c);
                    }
                }
                Err(e)
                    if matches!(
                        e.kind,
                        ErrorKind::Internal | ErrorKind::Busy | ErrorKind::TooManyRequests
                    ) =>
                {
                    // not through: the same operation, with the same key, in a moment
                    c.status.set(SyncStatus::Offline);
                    set_timeout(
                        move || send_op(c, rev, op, key),
                        Duration::from_secs(2),
                    );
                }
                Err(e) => c.status.set(SyncStatus::Refused(format!(
                    "Your typing could not be added to the shared draft: {} Reload the page to go on.",
                    e.message
                ))),
            }
        });
    }

    /// Bring this copy up to the server's revision.
    pub(super) fn sync(c: CoEdit) {
        let busy = c.state.try_update_value(|s| {
            if s.syncing {
                s.again = true;
                true
            } else {
                s.syncing = true;
                false
            }
        });
        if busy != Some(false) {
            return;
        }
        spawn_local(async move {
            loop {
                let after = c.state.with_value(|s| s.client.revision);
                let slug = c.slug.get_value();
                let ops = match get_shared_ops(slug, after).await {
                    Ok(ops) => ops,
                    Err(_) => break,
                };
                let full = ops.len() >= PAGE;
                // what was typed since the last input event is typed before the others' ops
                if let Some(el) = c.node_ref.get_untracked() {
                    typed(c, &el.value());
                }
                let mut stop = false;
                for o in &ops {
                    match apply(c, o) {
                        Applied::Done | Applied::Gap => {}
                        Applied::OutOfStep => {
                            stop = true;
                            break;
                        }
                    }
                }
                if stop {
                    break;
                }
                let again = c
                    .state
                    .try_update_value(|s| std::mem::take(&mut s.again))
                    .unwrap_or(false);
                if !full && !again {
                    break;
                }
            }
            c.state.update_value(|s| s.syncing = false);
            show_carets(c);
            refresh_status(c);
        });
    }

    /// What applying one ordered operation did.
    pub(super) enum Applied {
        /// Applied (or had been already).
        Done,
        /// It is not the next one: some are missing before it.
        Gap,
        /// This copy cannot follow (the page must be loaded again; the status says so).
        OutOfStep,
    }

    /// Apply the server's operation `o` to this copy (the acknowledgement, if it is the one in
    /// flight), moving the carets, and send what was waiting, if that frees the way.
    fn apply(c: CoEdit, o: &SharedOpDto) -> Applied {
        // what was typed since the last input event is typed before the others' operation
        if let Some(el) = c.node_ref.get_untracked() {
            typed(c, &el.value());
        }
        let step = c.state.try_update_value(|s| {
            if o.revision <= s.client.revision {
                return Some(Ok((None, None)));
            }
            if o.revision > s.client.revision + 1 {
                return None;
            }
            let mine = s.in_flight_key.as_deref() == Some(o.key.as_str());
            let r = s.client.remote_shown(o.revision, &o.operation, mine);
            if mine {
                s.in_flight_key = None;
            }
            Some(r.map(|(next, shown)| {
                // carets: the others' move with the text, the author's is where the operation
                // left it (past what this copy has not sent yet)
                if let Some(shown) = &shown {
                    for c in &mut s.carets {
                        c.1 = shown.moved(c.1, false);
                    }
                }
                if let (false, Some(at)) = (mine, o.caret) {
                    let mut at = at as usize;
                    for pending in [&s.client.in_flight, &s.client.buffer]
                        .into_iter()
                        .flatten()
                    {
                        at = pending.moved(at, false);
                    }
                    if o.author != s.me {
                        s.carets.retain(|(p, _)| *p != o.author);
                        s.carets.push((o.author, at));
                    }
                }
                let next = next.map(|(rev, op)| {
                    s.sent += 1;
                    let key = format!("{}-{}", s.prefix, s.sent);
                    s.in_flight_key = Some(key.clone());
                    (rev, op, key)
                });
                (next, shown)
            }))
        });
        match step {
            Some(Some(Ok((next, shown)))) => {
                if let Some(shown) = shown {
                    show(c, &shown);
                }
                if let Some((rev, op, key)) = next {
                    send_op(c, rev, op, key);
                }
                Applied::Done
            }
            Some(None) => Applied::Gap,
            _ => {
                c.status.set(SyncStatus::Refused(
                    "This copy of the shared draft is out of step: reload the page to go on (nothing saved is lost)."
                        .into(),
                ));
                Applied::OutOfStep
            }
        }
    }

    /// Put the copy's text into the textarea, the caret and selection moved by `op`.
    fn show(c: CoEdit, op: &Operation) {
        let text = c.state.with_value(|s| s.client.text.clone());
        if let Some(el) = c.node_ref.get_untracked() {
            let old = el.value();
            let start = el.selection_start().ok().flatten();
            let end = el.selection_end().ok().flatten();
            el.set_value(&text);
            if let (Some(s), Some(e)) = (start, end) {
                let s2 = op.moved(char_index(&old, s), false);
                let e2 = op.moved(char_index(&old, e), false);
                let _ = el.set_selection_range(utf16_index(&text, s2), utf16_index(&text, e2));
            }
        }
        c.text.set(text);
    }

    /// The character index of UTF-16 offset `units` in `s`.
    fn char_index(s: &str, units: u32) -> usize {
        let mut u = 0u32;
        for (i, ch) in s.chars().enumerate() {
            if u >= units {
                return i;
            }
            u += ch.len_utf16() as u32;
        }
        s.chars().count()
    }

    /// The UTF-16 offset of character index `chars` in `s`.
    fn utf16_index(s: &str, chars: usize) -> u32 {
        s.chars().take(chars).map(|c| c.len_utf16() as u32).sum()
    }
}
