//! The versions of the declaration and the comparison of two.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::*;
use crate::error::AppError;
use crate::live::components::use_live;
use crate::ui::page::{slug_param, Loaded};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

// ---------------------------------------------------------------------------------------------
// versions

#[component]
pub(crate) fn CompareForm(
    slug: String,
    versions: Vec<VersionDto>,
    from: VersionNumber,
    to: VersionNumber,
) -> impl IntoView {
    let options = move |selected: VersionNumber| {
        versions
            .iter()
            .map(|v| {
                let label = if v.message.is_empty() {
                    format!("Version {}", v.number)
                } else {
                    format!("Version {} — {}", v.number, v.message)
                };
                view! { <option value=v.number.0 selected=v.number == selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <Form method="get" action=format!("/conferences/{slug}/declaration/compare") attr:class="filters compare-form" attr:aria-label="Compare versions">
            <div class="field">
                <label for="cmp-from">"Compare version"</label>
                <select id="cmp-from" name="from">{options(from)}</select>
            </div>
            <div class="field">
                <label for="cmp-to">"with version"</label>
                <select id="cmp-to" name="to">{options(to)}</select>
            </div>
            <button type="submit" class="button">"Compare"</button>
        </Form>
    }
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let slug = slug_param();
    let live = use_live();
    let data = Resource::new(
        move || (slug(), live.tick(Topic::Declaration)),
        |(s, _)| get_versions(s),
    );
    view! {
        <Title text="Versions of the declaration" />
        <Loaded data=data transition=true let:d>
            {
                let slug = d.head.conference.slug.clone();
                let current = d.head.current_version;
                let from = d.versions.iter().map(|v| v.number).filter(|&n| n < current).max().unwrap_or(current);
                let rows = d.versions.iter().enumerate().map(|(i, v)| {
                    let previous = d.versions.get(i + 1).map(|p| p.number);
                    let slug = slug.clone();
                    view! {
                        <tr class:current=v.current>
                            <th scope="row">
                                {v.number.0}
                                {v.current.then(|| view! { " " <span class="badge current-badge">"current"</span> })}
                            </th>
                            <td>{if v.message.is_empty() { "—".to_owned() } else { v.message.clone() }}</td>
                            <td>{v.author_name.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>
                                {match v.amendment_number {
                                    Some(n) => view! {
                                        <a href=amendment_href(&slug, n)>{v.source_label.clone()}</a>
                                        {v.amendment_title.clone().map(|t| view! { <br /><span class="session-meta">{t}</span> })}
                                    }.into_any(),
                                    None => view! { <span>{v.source_label.clone()}</span> }.into_any(),
                                }}
                            </td>
                            <td><Time at=v.created_at.clone() /></td>
                            <td>
                                {previous.map(|p| view! {
                                    <a href=format!("/conferences/{slug}/declaration/compare?from={p}&to={}", v.number)
                                        aria-label=format!("Changes from version {p} to version {}", v.number)>"Changes"</a>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <DraftingHeader head=d.head.clone() section=Some(Section::Versions) />
                    <section class="page">
                        <h1>"Versions"</h1>
                        <p class="note">"Every change to the text is kept as a version; versions are never changed or deleted. Newest first."</p>
                        {(d.versions.len() > 1).then(|| view! {
                            <CompareForm slug=slug.clone() versions=d.versions.clone() from=from to=current />
                        })}
                        <div class="table-scroll">
                            <table class="versions-table">
                                <caption class="visually-hidden">"Versions of the declaration, newest first"</caption>
                                <thead><tr>
                                    <th scope="col">"Version"</th>
                                    <th scope="col">"Message"</th>
                                    <th scope="col">"Author"</th>
                                    <th scope="col">"Source"</th>
                                    <th scope="col">"Date"</th>
                                    <th scope="col"><span class="visually-hidden">"Compare"</span></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let slug = slug_param();
    let from = query_param("from");
    let to = query_param("to");
    let inline = inline_view();
    let data = Resource::new(
        move || (slug(), from(), to()),
        |(slug, from, to)| async move {
            let parse = |v: Option<String>,
                         which: &str|
             -> Result<Option<VersionNumber>, AppError> {
                match v {
                    None => Ok(None),
                    Some(v) => v
                        .trim()
                        .parse::<i32>()
                        .map(|n| Some(VersionNumber(n)))
                        .map_err(|_| {
                            AppError::validation(which, format!("“{v}” is not a version number."))
                        }),
                }
            };
            let (from, to) = (parse(from, "from")?, parse(to, "to")?);
            let versions = get_versions(slug.clone()).await?;
            let current = versions.head.current_version;
            let to = to.unwrap_or(current);
            let from = from.unwrap_or_else(|| {
                versions
                    .versions
                    .iter()
                    .map(|v| v.number)
                    .filter(|&n| n < to)
                    .max()
                    .unwrap_or(to)
            });
            let cmp = compare_versions(slug, from, to).await?;
            Ok::<_, AppError>((cmp, versions.versions))
        },
    );
    view! {
        <Title text="Compare versions" />
        <Loaded data=data let:pair>
            {
                let (c, versions) = pair;
                let slug = c.head.conference.slug.clone();
                let (f, t) = (c.from.number, c.to.number);
                let here = format!("/conferences/{slug}/declaration/compare?from={f}&to={t}");
                let describe = |v: &VersionDto| {
                    let mut s = v.source_label.clone();
                    if let Some(a) = &v.author_name {
                        s.push_str(" · ");
                        s.push_str(a);
                    }
                    s.push_str(" · ");
                    s.push_str(&when(&v.created_at));
                    s
                };
                view! {
                    <DraftingHeader head=c.head.clone() section=Some(Section::Versions) />
                    <section class="page">
                        <h1>"Version "{f.0}" → Version "{t.0}</h1>
                        <dl class="facts compare-facts">
                            <div><dt>"Version "{f.0}</dt><dd>{if c.from.message.is_empty() { "—".to_owned() } else { c.from.message.clone() }}<br /><span class="session-meta">{describe(&c.from)}</span></dd></div>
                            <div><dt>"Version "{t.0}</dt><dd>{if c.to.message.is_empty() { "—".to_owned() } else { c.to.message.clone() }}<br /><span class="session-meta">{describe(&c.to)}</span></dd></div>
                        </dl>
                        <CompareForm slug=slug.clone() versions=versions from=f to=t />
                        <DiffView
                            diff=c.diff
                            old_label=format!("Version {f}")
                            new_label=format!("Version {t}")
                            inline=inline()
                            side_href=format!("{here}&view=side")
                            inline_href=format!("{here}&view=inline")
                        />
                        <p><a href=format!("/conferences/{slug}/declaration/versions")>"← All versions"</a></p>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
