//! Static assets (stylesheet, script, icon), embedded in the binary.
//!
//! URLs carry a hash of the file (`/static/app.css?v=…`), so assets can be
//! cached for a year: a new build changes the URL, not the cached file.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "static/"]
struct Static;

/// `?v=` value for an asset: a short hash of its content.
fn version_of(name: &str) -> String {
    let mut hasher = DefaultHasher::new();
    if let Some(file) = Static::get(name) {
        file.data.hash(&mut hasher);
    }
    format!("{:010x}", hasher.finish() & 0xff_ffff_ffff)
}

/// The versioned URLs templates link to.
#[derive(Debug)]
pub struct AssetUrls {
    pub css: String,
    pub print_css: String,
    pub js: String,
    /// The job-posting builder's live preview (`posting.js`).
    pub posting_js: String,
    pub icon: String,
}

pub static URLS: LazyLock<AssetUrls> = LazyLock::new(|| AssetUrls {
    css: format!("/static/app.css?v={}", version_of("app.css")),
    print_css: format!("/static/print.css?v={}", version_of("print.css")),
    js: format!("/static/app.js?v={}", version_of("app.js")),
    posting_js: format!("/static/posting.js?v={}", version_of("posting.js")),
    icon: format!("/static/icon.svg?v={}", version_of("icon.svg")),
});

/// Assets only a server's pages use: the job-posting builder's script
/// (the static site has no builder).
const SERVER_ONLY: &[&str] = &["posting.js"];

/// Every embedded asset the static site uses: file name and content.
pub(crate) fn files() -> Vec<(String, Vec<u8>)> {
    Static::iter()
        .filter(|name| !SERVER_ONLY.contains(&name.as_ref()))
        .filter_map(|name| {
            let file = Static::get(&name)?;
            Some((name.into_owned(), file.data.into_owned()))
        })
        .collect()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `GET /static/{file}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    let Some(file) = Static::get(&name) else {
        return (StatusCode::NOT_FOUND, "no such static file").into_response();
    };
    let mut response = Response::new(Body::from(file.data.into_owned()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&name)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
