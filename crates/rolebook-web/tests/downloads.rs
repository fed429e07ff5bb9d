//! Downloads through the router: every role, skill and KPI format and the
//! catalog's tables answer 200 with their media type and an attachment
//! name, and with the very bytes `rolebook_export` makes of the same
//! catalog (the code behind `rolebook export`); the pages link every one
//! of them; and bad addresses get the site's 404 page.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{get, send};
use rolebook_core::Catalog;
use rolebook_export::tables::{CatalogTables, SHEETS, sheets, to_xlsx};
use rolebook_export::{PDF_SUPPORTED, RoleFormat, export_kpi, export_role, export_skill};
use rolebook_web::{AppState, app};

fn router() -> Router {
    app(AppState::builtin().expect("the built-in catalog is valid"))
}

fn catalog() -> Catalog {
    rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

/// The formats this build offers.
fn formats() -> Vec<RoleFormat> {
    RoleFormat::ALL
        .into_iter()
        .filter(|f| *f != RoleFormat::Pdf || PDF_SUPPORTED)
        .collect()
}

/// `uri` answers 200 with `content_type`, as an attachment named `file`,
/// with `expected` as its body.
async fn assert_download(
    router: &Router,
    uri: &str,
    content_type: &str,
    file: &str,
    expected: &[u8],
) {
    let reply = get(router, uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    assert_eq!(reply.header(header::CONTENT_TYPE), content_type, "{uri}");
    assert_eq!(
        reply.header(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"{file}\""),
        "{uri}"
    );
    assert!(
        reply.bytes == expected,
        "{uri}: not the bytes rolebook_export makes ({} bytes, expected {})",
        reply.bytes.len(),
        expected.len()
    );
}

#[tokio::test]
async fn role_skill_and_kpi_downloads_are_the_exports_bytes() {
    let router = router();
    let catalog = catalog();
    let role = catalog.role("sre-manager").expect("built-in role");
    let skill = catalog
        .skill("incident-management")
        .expect("built-in skill");
    let kpi = catalog.kpi("mean-time-to-restore").expect("built-in KPI");
    for format in formats() {
        let ext = format.extension();
        let media_type = format.media_type();
        let expected = export_role(&catalog, role, format).expect("exports");
        let file = format!("sre-manager.{ext}");
        assert_download(
            &router,
            &format!("/downloads/roles/{file}"),
            media_type,
            &file,
            &expected,
        )
        .await;
        let expected = export_skill(&catalog, skill, format).expect("exports");
        let file = format!("incident-management.{ext}");
        assert_download(
            &router,
            &format!("/downloads/skills/{file}"),
            media_type,
            &file,
            &expected,
        )
        .await;
        let expected = export_kpi(&catalog, kpi, format).expect("exports");
        let file = format!("mean-time-to-restore.{ext}");
        assert_download(
            &router,
            &format!("/downloads/kpis/{file}"),
            media_type,
            &file,
            &expected,
        )
        .await;
    }
}

#[tokio::test]
async fn catalog_tables_download_as_the_cli_writes_them() {
    let router = router();
    let catalog = catalog();
    let tables = CatalogTables::new(&catalog);
    let sheets = sheets(&catalog, &tables);
    let xlsx = to_xlsx(&catalog, &sheets).expect("XLSX");
    assert_download(
        &router,
        "/downloads/catalog.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "catalog.xlsx",
        &xlsx,
    )
    .await;
    let json = tables.to_json().expect("JSON");
    assert_download(
        &router,
        "/downloads/catalog.json",
        "application/json",
        "catalog.json",
        &json,
    )
    .await;
    assert_eq!(sheets.len(), SHEETS.len());
    for sheet in &sheets {
        let csv = sheet.to_csv().expect("CSV");
        assert_download(
            &router,
            &format!("/downloads/catalog/{}", sheet.file),
            "text/csv; charset=utf-8",
            sheet.file,
            csv.as_bytes(),
        )
        .await;
    }
}

/// Every download link of the role, skill, KPI and home pages answers,
/// and each page offers every format.
#[tokio::test]
async fn pages_link_every_download() {
    let router = router();
    for (page, count) in [
        ("/roles/sre-manager", formats().len()),
        ("/skills/incident-management", formats().len()),
        ("/kpis/mean-time-to-restore", formats().len()),
        ("/", SHEETS.len() + 2),
    ] {
        let html = get(&router, page).await.body;
        let links: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.starts_with("/downloads/"))
            .collect();
        assert_eq!(links.len(), count, "{page}: {links:?}");
        for link in links {
            let reply = get(&router, link).await;
            assert_eq!(reply.status, StatusCode::OK, "{page} links {link}");
            assert!(
                reply
                    .header(header::CONTENT_DISPOSITION)
                    .starts_with("attachment"),
                "{link}"
            );
        }
    }
}

#[tokio::test]
async fn bad_download_addresses_get_the_404_page() {
    let router = router();
    for (uri, says) in [
        (
            "/downloads/roles/sre-manager.exe",
            "There is no “.exe” download; a role downloads as .docx",
        ),
        (
            "/downloads/skills/incident-management",
            "download names its format; a skill downloads as",
        ),
        (
            "/downloads/kpis/mean-time-to-restore.xlsx",
            "There is no “.xlsx” download; a KPI downloads as",
        ),
        (
            "/downloads/roles/sre-manger.pdf",
            "There is no role with id “sre-manger”",
        ),
        (
            "/downloads/skills/incident-managment.md",
            "There is no skill with id",
        ),
        ("/downloads/kpis/nope.md", "There is no KPI with id “nope”"),
        (
            "/downloads/catalog.zip",
            "the catalog downloads as /downloads/catalog.xlsx",
        ),
        (
            "/downloads/catalog/skills.csv",
            "CSV files are skills-matrix.csv",
        ),
        ("/downloads/roles/a/b.pdf", "Nothing lives at"),
    ] {
        let reply = get(&router, uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "text/html; charset=utf-8",
            "{uri}"
        );
        assert!(
            reply.body.contains(says),
            "{uri} lacks {says:?}:\n{}",
            reply.body
        );
        assert!(
            reply.headers.get(header::CONTENT_DISPOSITION).is_none(),
            "{uri}"
        );
    }
    // A typo in an id gets the closest one, as on the pages.
    let reply = get(&router, "/downloads/roles/sre-manger.pdf").await;
    assert!(
        reply.body.contains("href=\"/roles/sre-manager\""),
        "{}",
        reply.body
    );
}

/// A title or alias in the address goes to the canonical one, as a page
/// does.
#[tokio::test]
async fn titles_in_download_addresses_redirect_to_the_id() {
    let reply = get(&router(), "/downloads/roles/CTO.docx").await;
    assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        reply.header(header::LOCATION),
        "/downloads/roles/chief-technology-officer.docx"
    );
}

/// A download is made once per catalog: the repeat revalidates by ETag and
/// gets 304, still named as an attachment; documents already compressed
/// are not compressed again, text is.
#[tokio::test]
async fn downloads_revalidate_and_are_compressed_only_when_it_helps() {
    let router = router();
    let first = get(&router, "/downloads/roles/sre-manager.docx").await;
    let etag = first.header(header::ETAG).to_string();
    let request = Request::get("/downloads/roles/sre-manager.docx")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .expect("request");
    let again = send(&router, request).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.header(header::ETAG), etag);

    for (uri, compressed) in [
        ("/downloads/roles/sre-manager.docx", false),
        ("/downloads/catalog.xlsx", false),
        ("/downloads/catalog.json", true),
        ("/downloads/roles/sre-manager.md", true),
    ] {
        let request = Request::get(uri)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .expect("request");
        let reply = send(&router, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(
            reply.headers.get(header::CONTENT_ENCODING).is_some(),
            compressed,
            "{uri}"
        );
    }
}

/// A static site built without downloads (`--no-downloads`, and
/// `site::snapshot`) links none.
#[test]
fn static_pages_offer_no_downloads() {
    use rolebook_web::site::{self, Route, StaticSite};
    let snap = site::snapshot(catalog(), "built-in catalog".into());
    let site = StaticSite::new(&snap);
    for route in [
        Route::Home,
        Route::Role("sre-manager".into()),
        Route::Skill("incident-management".into()),
        Route::Kpi("mean-time-to-restore".into()),
    ] {
        let page = site.render(&route).expect("renders");
        assert!(!page.html.contains("downloads/"), "{route:?}");
        assert!(!page.html.contains("class=\"downloads"), "{route:?}");
    }
}
