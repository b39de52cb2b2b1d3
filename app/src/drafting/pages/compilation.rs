//! The compilation text as a page: the current version with every pending amendment inline,
//! read where it is discussed, and followed live (a new version, an amendment submitted,
//! accepted or withdrawn shows without a reload). The same text downloads as Markdown.

use crate::drafting::api::*;
use crate::ui::page::{slug_param, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CompilationPage() -> impl IntoView {
    let slug = slug_param();
    let live = crate::live::components::use_live();
    let data = Resource::new(
        move || (slug(), live.tick(domain::live::Topic::Declaration)),
        |(s, _)| get_compilation(s),
    );
    view! {
        <Title text="Compilation text" />
        <section class="page">
            <p class="eyebrow"><a href=move || format!("/conferences/{}/amendments", slug())>"Amendments"</a></p>
            <h1>"Compilation text"</h1>
            <p class="note">
                "The current text of the declaration with every pending amendment inline, after the paragraph it changes. It follows the drafting as it happens. "
                <a href=move || format!("/conferences/{}/declaration/compilation.md", slug()) download="compilation.md">"Download it (Markdown)"</a>
            </p>
            <Loaded data=data transition=true let:markdown>
                <article class="declaration prose compilation" inner_html=domain::markdown::render_draft(&markdown)></article>
            </Loaded>
        </section>
    }
}
