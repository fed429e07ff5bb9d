//! The job-posting builder through the router: the form prefilled from
//! the catalog's organisation.toml, the preview with its wording findings
//! beside the text they concern, errors beside their fields, the preview
//! fragment, and every download equal to `rolebook_export::export_posting`
//! for the same options (the code behind `rolebook jd`).

mod common;

use axum::Router;
use axum::http::{StatusCode, header};
use common::get;
use rolebook_core::{Catalog, Sources};
use rolebook_export::jd::{Date, PostingInput};
use rolebook_export::{PDF_SUPPORTED, RoleFormat, export_posting};
use rolebook_web::{AppState, CatalogSource, app};

const ORGANISATION: &str = r#"name = "Acme Tools"
website = "https://acme.example"

[posting]
about = "Acme Tools makes tools for builders.\n\nOur ninjas ship every week."
working_model = "Hybrid: two days a week in Berlin."
benefits = ["30 days of leave", "A learning budget"]
equal_opportunity = "We hire on merit and welcome every applicant."
how_to_apply = "Apply at https://acme.example/jobs with a CV."
"#;

/// `testdata/catalogs/valid/export` with an organisation.toml, in a
/// temporary directory.
fn catalog_dir() -> tempfile::TempDir {
    let dir = common::catalog_copy("export");
    std::fs::write(dir.path().join("organisation.toml"), ORGANISATION).expect("write");
    dir
}

fn setup() -> (tempfile::TempDir, Router, Catalog) {
    let dir = catalog_dir();
    let state = AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid");
    let catalog = rolebook_core::load(Sources::from_dir(dir.path()).expect("readable"))
        .catalog
        .expect("valid");
    (dir, app(state), catalog)
}

/// The block of the page around `needle`: from the `posting-block` it is
/// in to the next one.
fn block_around<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in {html}"));
    let start = html[..at]
        .rfind("class=\"posting-block")
        .expect("in a block");
    let end = html[at..]
        .find("class=\"posting-block")
        .map_or(html.len(), |e| at + e);
    &html[start..end]
}

#[tokio::test]
async fn the_form_is_prefilled_from_the_organisation_and_findings_sit_beside_their_text() {
    let (_dir, router, _) = setup();
    let reply = get(&router, "/roles/sre-manager/posting").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    let html = &reply.body;
    assert!(
        html.contains(r#"name="company" type="text" value="Acme Tools""#),
        "{html}"
    );
    assert!(html.contains("https://acme.example"));
    assert!(html.contains("30 days of leave\nA learning budget</textarea>"));
    assert!(html.contains("We hire on merit"));
    // Every field has its label.
    for name in [
        "company",
        "company-url",
        "about",
        "locations",
        "remote",
        "working-model",
        "employment-type",
        "salary",
        "currency",
        "salary-per",
        "benefits",
        "equal-opportunity",
        "how-to-apply",
        "date-posted",
        "valid-through",
    ] {
        assert!(
            html.contains(&format!(r#"<label for="f-{name}">"#)),
            "{name}"
        );
        assert!(
            html.contains(&format!(r#"id="f-{name}" name="{name}""#)),
            "{name}"
        );
    }
    // The posting opens with the company's about-us, then the role.
    let doc = &html[html.find(r#"class="posting-doc""#).expect("a preview")..];
    let about = doc.find("About Acme Tools").expect("about us");
    let role = doc.find("About the role").expect("the role");
    assert!(about < role);
    // The finding is marked in its paragraph, with its note beside it.
    let block = block_around(html, r#"<mark class="finding""#);
    assert!(block.contains(">ninjas</mark>"), "{block}");
    assert!(block.contains("Our "), "{block}");
    assert!(block.contains(r#"class="posting-notes""#), "{block}");
    assert!(
        block.contains("“ninjas”") || block.contains("ninjas"),
        "{block}"
    );
    assert!(html.contains("1 inclusive-language finding"));
    // No inline script or style.
    assert!(!html.contains("<script>") && !html.contains("style="));
    assert!(html.contains(r#"<script src="/static/posting.js?v="#));
}

#[tokio::test]
async fn bad_input_is_shown_beside_its_field() {
    let (_dir, router, _) = setup();
    let long = "x".repeat(3000);
    let uri = format!(
        "/roles/sre-manager/posting?form=posting&salary=abc&currency=EUR&company-url=http%3A%2F%2Facme.example&date-posted=2026-11-10&valid-through=2026-11-01&about={long}"
    );
    let reply = get(&router, &uri).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let html = &reply.body;
    for (field, says) in [
        ("salary", "MIN-MAX"),
        ("company-url", "https://"),
        ("valid-through", "before it is posted"),
        ("about", "at most"),
    ] {
        let at = html
            .find(&format!(r#"<p class="field-error" id="e-{field}">"#))
            .unwrap_or_else(|| panic!("no error beside {field}"));
        let error = &html[at..at + html[at..].find("</p>").expect("closed")];
        assert!(error.contains(says), "{field}: {error}");
        assert!(
            html.contains(&format!(r#"aria-describedby="e-{field}""#)),
            "{field}"
        );
    }
    // What was typed stays in the form.
    assert!(html.contains(r#"value="abc""#));
    assert!(html.contains("The preview waits"));
}

#[tokio::test]
async fn the_preview_fragment_follows_the_query() {
    let (_dir, router, _) = setup();
    let reply = get(
        &router,
        "/roles/sre-manager/posting/preview?form=posting&company=Globex&about=We+build+rockets.&section=about&section=summary",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let html = &reply.body;
    assert!(!html.contains("<html"), "a fragment");
    assert!(html.contains("About Globex") && html.contains("We build rockets."));
    assert!(
        !html.contains("What you will do"),
        "only the sections ticked"
    );
    assert!(html.contains("/downloads/postings/sre-manager.docx?form=posting"));
    let bad = get(
        &router,
        "/roles/sre-manager/posting/preview?salary=abc&currency=EUR",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("MIN-MAX"));
}

#[tokio::test]
async fn downloads_are_the_bytes_of_export_posting() {
    let (_dir, router, catalog) = setup();
    let role = catalog.role("sre-manager").expect("fixture role");
    let query = "form=posting&company=Acme+Tools&locations=Berlin%2C+DE&remote=Germany&salary=90k-110k&currency=eur&salary-per=year&employment-type=full-time&date-posted=2026-11-01&valid-through=2026-12-31&benefits=Leave%0ABudget&section=about&section=summary&section=benefits";
    let input = PostingInput {
        company: Some("Acme Tools".into()),
        locations: vec!["Berlin, DE".into()],
        remote: vec!["Germany".into()],
        salary: Some("90k-110k".into()),
        currency: Some("eur".into()),
        salary_per: Some("year".into()),
        employment_type: Some("full-time".into()),
        date_posted: Some("2026-11-01".into()),
        valid_through: Some("2026-12-31".into()),
        benefits: Some(vec!["Leave".into(), "Budget".into()]),
        sections: Some(vec!["about".into(), "summary".into(), "benefits".into()]),
        ..PostingInput::default()
    };
    let options = input
        .resolve(
            catalog.organisation(),
            Date::parse("2030-01-01").expect("date"),
        )
        .expect("valid");
    let mut formats = vec![
        RoleFormat::Docx,
        RoleFormat::Html,
        RoleFormat::Markdown,
        RoleFormat::JsonLd,
    ];
    if PDF_SUPPORTED {
        formats.push(RoleFormat::Pdf);
    }
    for format in formats {
        let uri = format!(
            "/downloads/postings/sre-manager.{}?{query}",
            format.extension()
        );
        let reply = get(&router, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        assert_eq!(reply.header(header::CONTENT_TYPE), format.media_type());
        assert_eq!(
            reply.header(header::CONTENT_DISPOSITION),
            format!(
                "attachment; filename=\"sre-manager-job-posting.{}\"",
                format.extension()
            )
        );
        let expected = export_posting(&catalog, role, &options, format).expect("exports");
        assert!(reply.bytes == expected, "{uri}: not export_posting's bytes");
    }
    // The organisation's text (not in the query) is in the file.
    let md = get(
        &router,
        &format!("/downloads/postings/sre-manager.md?{query}"),
    )
    .await;
    assert!(
        md.body.contains("Acme Tools makes tools for builders."),
        "{}",
        md.body
    );
    let jsonld = get(
        &router,
        &format!("/downloads/postings/sre-manager.jsonld?{query}"),
    )
    .await;
    let data = jsonld.json();
    assert_eq!(data["hiringOrganization"]["sameAs"], "https://acme.example");
    assert_eq!(data["jobBenefits"], "Leave; Budget");
}

#[tokio::test]
async fn the_pages_links_download_what_the_preview_shows() {
    let (_dir, router, _) = setup();
    let page = get(&router, "/roles/sre-manager/posting?form=posting&company=Acme&locations=Berlin%2C+DE&section=summary").await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page
        .body
        .find("/downloads/postings/sre-manager.docx?")
        .expect("a DOCX link");
    let end = start + page.body[start..].find('"').expect("closed");
    let href = page.body[start..end]
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let docx = get(&router, &href).await;
    assert_eq!(docx.status, StatusCode::OK, "{href}");
    assert!(docx.bytes.starts_with(b"PK"), "a zip");
    let html = get(&router, &href.replace(".docx?", ".html?")).await;
    assert!(html.body.contains("Berlin, DE"), "{href}: {}", html.body);
    assert!(
        !html.body.contains("What you will do"),
        "only the sections ticked"
    );
}

#[tokio::test]
async fn bad_downloads_say_what_to_change() {
    let (_dir, router, _) = setup();
    let reply = get(
        &router,
        "/downloads/postings/sre-manager.docx?salary=abc&currency=EUR",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("MIN-MAX"), "{}", reply.body);
    let reply = get(&router, "/downloads/postings/sre-manager.json").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = get(&router, "/downloads/postings/sre-manager.jsonld?company=").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("hiring organisation"), "{}", reply.body);
    let reply = get(&router, "/downloads/postings/no-such-role.docx").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = get(&router, "/roles/no-such-role/posting").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn role_pages_link_the_builder() {
    let (_dir, router, _) = setup();
    let page = get(&router, "/roles/sre-manager").await;
    assert!(
        page.body.contains(r#"href="/roles/sre-manager/posting""#),
        "{}",
        page.body
    );
}
