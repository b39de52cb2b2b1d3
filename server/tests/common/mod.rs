//! Shared by the HTTP test files: the real router on a random port.

use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

/// Serve the whole application on 127.0.0.1 (random port) over `db`; returns its base URL.
pub async fn serve(db: &DatabaseConnection) -> String {
    let leptos_options = LeptosOptions::builder()
        .output_name("conference")
        .site_root("target/site")
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let state = server::AppState::new(leptos_options, db.clone(), &base);
    let router = server::router(state);
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}
