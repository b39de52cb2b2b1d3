#![recursion_limit = "256"]
//! The browser half: hydrate the server-rendered page.
//!
//! Pages are lazy routes (`app::routes`): their code may sit in files of its own (`cargo leptos
//! build --split`), which hydration waits for. Only then are the page's handlers attached, so
//! only then does `<body>` get `data-hydrated="true"` (which the browser tests wait for).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // an error means the executor is running already, which is what is wanted
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        let mounted = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        mounted.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
