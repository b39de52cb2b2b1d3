//! Form parts every feature uses: a labelled field and text area, a select, the alerts and the
//! notice an action ends with, and the log-in prompt for a page that needs it.

use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, ErrorKind};
use crate::ui::textarea_text;
use leptos::prelude::*;

/// The error an action ended with, if any.
pub(crate) fn error_of<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(Result::err))
}

/// A message for errors that belong to no single field (wrong password, not allowed…).
#[component]
pub(crate) fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })
    }
}

/// A labelled input with its validation message underneath, tied by `aria-describedby`.
#[component]
pub(crate) fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional, into)] value: Option<String>,
    /// The input's id, where a page has two fields of one name (default `f-{name}`).
    #[prop(optional)]
    id: Option<&'static str>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = id.map_or_else(|| format!("f-{name}"), str::to_string);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.message)
    };
    let has_hint = hint.is_some();
    let described = {
        let err_id = err_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            />
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

/// A labelled select with its validation message underneath, tied by `aria-describedby`.
#[component]
pub(crate) fn SelectField(
    name: &'static str,
    label: &'static str,
    options: Vec<OptionDto>,
    /// The label of an empty first choice ("none"), if the field may stay empty.
    #[prop(optional)]
    empty: Option<&'static str>,
    #[prop(optional, into)] selected: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let message = move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.message)
    };
    let described = {
        let err_id = err_id.clone();
        move || message().is_some().then(|| err_id.clone())
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=name
                required=empty.is_none()
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            >
                {empty.map(|e| view! { <option value="">{e}</option> })}
                {options
                    .into_iter()
                    .map(|o| {
                        let on = selected.as_deref() == Some(o.value.as_str());
                        view! { <option value=o.value selected=on>{o.label}</option> }
                    })
                    .collect_view()}
            </select>
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

#[component]
pub(crate) fn NoticeView(notice: Notice) -> impl IntoView {
    view! { <p class="form-notice" role="status">{notice.message}</p> }
}

/// Percent-encode a path for a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The log-in prompt for a page that needs it, keeping where to come back to.
pub fn login_hint(err: &AppError) -> Option<String> {
    (err.kind == ErrorKind::Unauthorised).then(|| {
        let path = leptos_router::hooks::use_location()
            .pathname
            .get_untracked();
        format!("/login?next={}", urlencode(&path))
    })
}

/// The message of an error for a form: errors for none of `fields` (so no error is ever hidden
/// because its field is not on the form).
#[component]
pub(crate) fn Alert(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })
    }
}

pub(crate) fn field_message(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.message)
    }
}

/// A labelled textarea with its validation message, like [`Field`].
#[component]
pub(crate) fn TextField(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(default = false)] required: bool,
    #[prop(optional, into)] value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_message(error, name);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
                inner_html=textarea_text(&value)
            ></textarea>
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}
