//! The organisation's brand on the pages: its name in the header and every
//! title, its logo in the header and at `/brand/…` (with the right type,
//! `nosniff`, a locked-down policy for SVG and an ETag), its introduction
//! on the home page and its names for levels and families; a catalog
//! without `organisation.toml` looks as it always did.

mod common;

use std::fs;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{catalog_copy, get, send, testdata};
use rolebook_web::{AppState, CatalogSource, app};

const ORGANISATION: &str = r#"name = "Acme <Software>"
intro = """
Acme's roles, from the {role:sre-manager}
to the <b>director</b>.

A second paragraph.
"""

[levels]
manager = "Engineering Manager (M1)"

[families]
reliability = "Reliability Engineering"
"#;

/// The export fixture with Acme's `organisation.toml` and `logo` (a file
/// under testdata/logos) as `logo.svg` or `logo.png`.
fn branded(logo: Option<&str>) -> tempfile::TempDir {
    let dir = catalog_copy("export");
    fs::write(dir.path().join("organisation.toml"), ORGANISATION).expect("write");
    if let Some(file) = logo {
        let name = if file.ends_with(".svg") {
            "logo.svg"
        } else {
            "logo.png"
        };
        fs::copy(testdata(file), dir.path().join(name)).expect("copy");
    }
    dir
}

fn serve(dir: &Path) -> axum::Router {
    app(AppState::load(CatalogSource::Dir(dir.to_path_buf())).expect("valid"))
}

#[tokio::test]
async fn pages_carry_the_organisations_name_logo_intro_and_names() {
    let dir = branded(Some("logos/acme.svg"));
    let router = serve(dir.path());
    let home = get(&router, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let body = &home.body;
    assert!(
        body.contains("<title>Role blueprints · Acme &#60;Software&#62;</title>"),
        "{body}"
    );
    assert!(body.contains("aria-label=\"Acme &#60;Software&#62; home\""));
    assert!(body.contains("<span>Acme &#60;Software&#62;</span>"));
    assert!(body.contains("<img class=\"brand-logo\" src=\"/brand/logo.svg\" alt=\"\">"));
    assert!(!body.contains("class=\"brand-mark\""));
    // The intro: references resolved, text escaped, a paragraph per block.
    assert!(
        body.contains(
            "<p class=\"lede\">Acme&#39;s roles, from the SRE Manager to the &#60;b&#62;director&#60;/b&#62;.</p><p class=\"lede\">A second paragraph.</p>"
        ),
        "{body}"
    );
    // The organisation's level and family names on the grid and the role.
    assert!(body.contains("Engineering Manager (M1)"));
    assert!(body.contains("Reliability Engineering"));
    assert!(!body.contains("Site reliability engineering"));
    let role = get(&router, "/roles/sre-manager").await;
    assert!(role.body.contains("Engineering Manager (M1)"));
    assert!(role.body.contains("Reliability Engineering"));
    assert!(role.body.contains("· Acme &#60;Software&#62;</title>"));
    assert!(!role.body.contains("Site reliability engineering"));
}

#[tokio::test]
async fn the_logo_is_served_with_its_type_a_policy_and_an_etag() {
    let dir = branded(Some("logos/acme.svg"));
    let router = serve(dir.path());
    let svg = get(&router, "/brand/logo.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.header(header::CONTENT_TYPE), "image/svg+xml");
    assert_eq!(svg.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        svg.header(header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    );
    assert_eq!(
        svg.bytes,
        fs::read(testdata("logos/acme.svg")).expect("logo")
    );
    let etag = svg.header(header::ETAG).to_string();
    let again = send(
        &router,
        Request::get("/brand/logo.svg")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Only the logo the catalog has.
    assert_eq!(
        get(&router, "/brand/logo.png").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&router, "/brand/other.svg").await.status,
        StatusCode::NOT_FOUND
    );

    let dir = branded(Some("logos/acme.png"));
    let router = serve(dir.path());
    let png = get(&router, "/brand/logo.png").await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(png.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        png.bytes,
        fs::read(testdata("logos/acme.png")).expect("logo")
    );
    let home = get(&router, "/").await;
    assert!(home.body.contains("src=\"/brand/logo.png\""));

    // No logo, no route.
    let dir = branded(None);
    let router = serve(dir.path());
    assert_eq!(
        get(&router, "/brand/logo.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        get(&router, "/")
            .await
            .body
            .contains("class=\"brand-mark\"")
    );
}

#[tokio::test]
async fn without_organisation_settings_the_pages_are_rolebooks() {
    let dir = catalog_copy("export");
    let router = serve(dir.path());
    let home = get(&router, "/").await.body;
    assert!(home.contains("<title>Role blueprints · rolebook</title>"));
    assert!(home.contains("aria-label=\"rolebook home\""));
    assert!(home.contains("<span>rolebook</span>"));
    assert!(home.contains("class=\"brand-mark\""));
    assert!(!home.contains("brand-logo"));
    // The default introduction counts; it names no role.
    assert!(
        home.contains("<p class=\"lede\">Scope, responsibilities, decision rights, skills on a 5-level scale, the KPIs each role owns and where it leads — for 2 roles in 1 job family.</p>"),
        "{home}"
    );
    assert!(!home.contains("SRE Manager to CTO"));
    assert!(home.contains("Site reliability engineering"));
}

#[test]
fn the_static_site_writes_the_logo_and_brands_its_pages() {
    let dir = branded(Some("logos/acme.png"));
    let catalog = rolebook_core::load(rolebook_core::Sources::from_dir(dir.path()).expect("read"))
        .catalog
        .expect("valid");
    let snap = rolebook_web::site::snapshot(catalog, "acme".to_string());
    let assets = rolebook_web::site::assets(&snap);
    let logo = assets
        .iter()
        .find(|(file, _)| file == "brand/logo.png")
        .expect("the logo is written");
    assert_eq!(logo.1, fs::read(testdata("logos/acme.png")).expect("logo"));
    let renderer = rolebook_web::site::StaticSite::new(&snap);
    let routes = rolebook_web::site::static_routes(&snap);
    let page = |file: &str| {
        let route = routes
            .iter()
            .find(|r| r.file() == file)
            .unwrap_or_else(|| panic!("no route for {file}"));
        renderer.render(route).expect("renders").html
    };
    let home = page("index.html");
    assert!(home.contains("<img class=\"brand-logo\" src=\"brand/logo.png\" alt=\"\">"));
    assert!(home.contains("· Acme &#60;Software&#62;</title>"));
    assert!(home.contains("A second paragraph."));
    let role = page("roles/sre-manager.html");
    assert!(role.contains("src=\"../brand/logo.png\""));
    assert!(role.contains("Engineering Manager (M1)"));
}
