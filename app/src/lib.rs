#![recursion_limit = "256"]
//! The Leptos application: shell, routes, pages and server functions.
//!
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's WASM. Anything that
//! touches the database sits behind `ssr`.

#[cfg(feature = "ssr")]
pub mod access;
pub mod accounts;
pub mod adoption;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod desk;
pub mod drafting;
pub mod dto;
pub mod error;
#[cfg(feature = "ssr")]
pub mod idempotency;
#[cfg(feature = "ssr")]
pub mod limits;
pub mod live;
pub mod programme;
pub mod public;
pub mod registration;
mod routes;
pub mod seats;
pub mod ui;

pub use routes::App;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

/// The product's name, as shown in the header and titles.
pub const PRODUCT: &str = "Plenary";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // a visitor's reading page is not hydrated: no WASM, and no resource data written for it
    let light = ui::light::is_light();
    if light {
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                {(!light).then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
                {light.then(|| view! { <script nonce=leptos::nonce::use_nonce() inner_html=ui::light::SCRIPT></script> })}
            </body>
        </html>
    }
}
