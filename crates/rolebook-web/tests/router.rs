//! The router driven without a network (`tower::ServiceExt::oneshot`):
//! every page and API route, and bad input getting a 4xx that says what
//! to fix.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{LOOPBACK, get, get_from, send};
use rolebook_web::{AppState, app};
use tower::ServiceExt;

fn router() -> Router {
    app(AppState::builtin().expect("the built-in catalog is valid"))
}

#[tokio::test]
async fn every_page_renders_with_security_headers() {
    let router = router();
    for (uri, needle) in [
        ("/", "The job-architecture grid"),
        ("/roles/sre-manager", "SRE Manager"),
        ("/skills", "Skills"),
        ("/skills/incident-management", "Incident management"),
        ("/kpis", "KPIs"),
        ("/kpis/mean-time-to-restore", "Mean time to restore"),
        ("/compare", "Compare roles"),
        (
            "/compare?roles=cto&roles=ciso",
            "Chief Information Security Officer",
        ),
        ("/career", "Career explorer"),
        ("/career/sre-manager", "Career paths around SRE Manager"),
        ("/career/sre-manager?to=cto", "Plan a path from SRE Manager"),
        ("/search?q=security", "result"),
        ("/search", "Search by role title"),
        ("/search?q=slo&kind=kpi&title=CDO", "Match a job title"),
        ("/gap", "Skill gap assessment"),
        ("/gap?target=sre-director", "Rate yourself"),
        (
            "/gap?target=sre-director&level.slo-engineering=4",
            "Development plan",
        ),
        ("/admin/diagnostics", "Catalog diagnostics"),
    ] {
        // The diagnostics are for the server's own machine only.
        let reply = if uri.starts_with("/admin/") {
            get_from(&router, uri, LOOPBACK).await
        } else {
            get(&router, uri).await
        };
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "text/html; charset=utf-8",
            "{uri}"
        );
        assert!(reply.body.contains(needle), "{uri} lacks {needle:?}");
        assert!(reply.body.starts_with("<!doctype html>"), "{uri}");
        let csp = reply.header(header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(
            reply.header(header::REFERRER_POLICY),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY");
        assert!(
            !reply
                .header(header::HeaderName::from_static("x-request-id"))
                .is_empty()
        );
        // No inline script or style anywhere, so the CSP can forbid them.
        assert!(
            !reply.body.contains("<script>"),
            "{uri} has an inline script"
        );
        assert!(
            !reply.body.contains(" style=\""),
            "{uri} has an inline style"
        );
        assert!(!reply.body.contains("<style"), "{uri} has a style element");
    }
}

#[tokio::test]
async fn home_grid_has_every_role_in_its_cell() {
    let router = router();
    let reply = get(&router, "/").await;
    let catalog = rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("valid");
    for role in catalog.roles() {
        assert!(
            reply
                .body
                .contains(&format!("href=\"/roles/{}\"", role.id.as_str())),
            "{} is missing from the grid",
            role.id.as_str()
        );
    }
    for family in catalog.families() {
        assert!(reply.body.contains(&family.name), "{}", family.name);
    }
}

#[tokio::test]
async fn role_page_has_every_section_with_anchors() {
    let reply = get(&router(), "/roles/sre-manager").await;
    for id in [
        "summary",
        "scope",
        "responsibilities",
        "decisions",
        "skills",
        "kpis",
        "career",
        "qualifications",
        "provenance",
    ] {
        assert!(
            reply.body.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
        assert!(
            reply.body.contains(&format!("href=\"#{id}\"")),
            "anchor link to {id}"
        );
    }
    assert!(
        reply.body.contains("aria-label=\"Level 4 of 5: Advanced\""),
        "skill levels on the scale"
    );
    assert!(
        reply.body.contains("href=\"/roles/sre-director\""),
        "career moves are links"
    );
    assert!(reply.body.contains("class=\"target\""), "KPI targets");
    assert!(reply.body.contains("media=\"print\""), "print stylesheet");
}

#[tokio::test]
async fn titles_and_aliases_in_urls_redirect_to_the_canonical_page() {
    let router = router();
    let reply = get(&router, "/roles/CTO").await;
    assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        reply.header(header::LOCATION),
        "/roles/chief-technology-officer"
    );
    let reply = get(&router, "/career/CISO").await;
    assert_eq!(
        reply.header(header::LOCATION),
        "/career/chief-information-security-officer"
    );
    let reply = get(&router, "/career?role=SRE%20Manager&depth=2").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.header(header::LOCATION),
        "/career/sre-manager?depth=2"
    );
}

#[tokio::test]
async fn unknown_things_get_404_pages_with_suggestions() {
    let router = router();
    for (uri, suggestion) in [
        ("/roles/sre-manger", "/roles/sre-manager"),
        ("/career/sre-manger", "/roles/sre-manager"),
        ("/sre-manger", "/roles/sre-manager"),
        ("/skills/incident-managment", "/skills/incident-management"),
        ("/kpis/mtr", ""),
        ("/no/such/page", ""),
    ] {
        let reply = get(&router, uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert!(reply.body.contains("Page not found"), "{uri}");
        if !suggestion.is_empty() {
            assert!(reply.body.contains("Did you mean"), "{uri}");
            assert!(
                reply.body.contains(&format!("href=\"{suggestion}\"")),
                "{uri}: {suggestion}"
            );
        }
    }
}

#[tokio::test]
async fn bad_page_input_gets_400_with_a_useful_message() {
    let router = router();
    for (uri, message) in [
        (
            "/compare?roles=cto,ciso,cio,cpo,cdo",
            "Compare takes 2 to 4 roles, got 5",
        ),
        (
            "/compare?roles=cto&roles=chief-technology-officer",
            "named twice",
        ),
        (
            "/career/sre-manager?depth=9",
            "Depth must be a whole number from 1 to 3",
        ),
        ("/career/sre-manager?depth=abc", "got “abc”"),
    ] {
        let reply = get(&router, uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(reply.body.contains(message), "{uri}: {}", reply.body);
    }
    let long = "x".repeat(300);
    let reply = get(&router, &format!("/search?q={long}")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("the limit is 200"), "{}", reply.body);
    let reply = get(&router, "/search?q=slo&kind=people").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("Unknown kind “people”"),
        "{}",
        reply.body
    );
    let reply = get(&router, &format!("/search?title={}", "t".repeat(301))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("the limit is 300"));
    let reply = get(&router, "/compare?roles=cto,sre-manger").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("href=\"/roles/sre-manager\""));
    let reply = get(&router, "/career/sre-manager?to=nobody-at-all").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn compare_page_highlights_differences() {
    let router = router();
    let reply = get(&router, "/compare?roles=sre-manager").await;
    assert!(reply.body.contains("Choose at least one more role"));
    let reply = get(
        &router,
        "/compare?roles=sre-manager,sre-director,vp-of-site-reliability-engineering",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("state-up"), "skill rises");
    assert!(
        reply.body.contains("class=\"only-one\""),
        "KPIs only one owns"
    );
    assert!(
        reply.body.contains("class=\"changed\""),
        "scope differences"
    );
    // Decision rights of all three roles side by side, not only against
    // the first.
    assert!(reply.body.contains("Decision rights side by side"));
    let catalog = catalog();
    let decisions = &reply.body[reply.body.find("h-cdec").expect("section")..];
    for id in [
        "sre-manager",
        "sre-director",
        "vp-of-site-reliability-engineering",
    ] {
        let role = catalog.role(id).expect("role");
        for item in role
            .decisions
            .decides
            .iter()
            .chain(&role.decisions.recommends)
            .chain(&role.decisions.consulted)
        {
            assert!(decisions.contains(&escaped(item)), "{id}: {item}");
        }
    }
    assert!(reply.body.contains("gap points"));
    // The selects keep the chosen roles.
    assert!(
        reply
            .body
            .contains("<option value=\"sre-director\" selected>")
    );
}

#[tokio::test]
async fn career_page_draws_a_linked_svg_and_finds_paths() {
    let router = router();
    let reply = get(&router, "/career/sre-manager?to=chief-technology-officer").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<svg width="), "server-drawn SVG");
    assert!(
        reply.body.contains("<a href=\"/career/sre-director\""),
        "nodes are links"
    );
    assert!(
        reply
            .body
            .contains("<a href=\"/career/sre-manager\" class=\"node fam-")
    );
    assert!(reply.body.contains(" focus\" aria-current=\"page\">"));
    assert!(!reply.body.contains("<?xml"), "an element, not a document");
    assert!(reply.body.contains("class=\"paths\""), "paths listed");
    assert!(reply.body.contains("total gap"));
    assert!(reply.body.contains("to gain across"), "readable sizes");
    assert!(
        reply.body.contains("Why this move:"),
        "every move has its reason"
    );
    assert!(
        reply.body.find("id=\"h-path\"") < reply.body.find("class=\"graph\""),
        "the planner answers above the graph"
    );
}

#[tokio::test]
async fn ownership_matrix_shows_targets_and_stakes_filtered() {
    let router = router();
    let catalog = catalog();
    let reply = get(&router, "/ownership").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Every role is a column, every owned KPI a row, each owner's target
    // in its cell.
    for role in catalog.roles() {
        assert!(
            reply
                .body
                .contains(&format!("<a href=\"/roles/{}\">", role.id.as_str())),
            "{}",
            role.id.as_str()
        );
    }
    let sre = catalog.role("sre-manager").expect("role");
    let own = &sre.kpis[0];
    assert!(
        reply
            .body
            .contains(&format!("<a href=\"/kpis/{}\">", own.kpi.as_str()))
    );
    assert!(reply.body.contains(&escaped(&own.target)));
    assert!(
        reply
            .body
            .contains("<span class=\"badge core\">accountable</span>")
    );
    // Filtered to a family and a level: only its roles.
    let reply = get(&router, "/ownership?family=reliability&level=manager").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("<a href=\"/roles/sre-manager\">"));
    assert!(!reply.body.contains("<a href=\"/roles/sre-director\">"));
    assert!(reply.body.contains("<option value=\"manager\" selected>"));
    // Bad filters say what is known.
    let reply = get(&router, "/ownership?family=astrology").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("family “astrology”; known: product"),
        "{}",
        reply.body
    );
    let reply = get(&router, "/ownership?colour=blue").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_page_finds_roles_skills_and_kpis() {
    let router = router();
    let reply = get(&router, "/search?q=cto").await;
    assert!(
        reply
            .body
            .contains("href=\"/roles/chief-technology-officer\"")
    );
    let reply = get(&router, "/search?q=incident").await;
    assert!(reply.body.contains("href=\"/skills/incident-management\""));
    // Matches are marked in titles and passages, typos read as words.
    let reply = get(&router, "/search?q=incident%20reliabilty").await;
    assert!(
        reply.body.contains("<mark>Reliability</mark>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<mark>incident</mark>"));
    assert!(reply.body.contains("Read “reliabilty” as “reliability”"));
    assert!(reply.body.contains("class=\"snippet\""));
    // The kind tabs filter.
    let reply = get(&router, "/search?q=incident&kind=kpi").await;
    assert!(reply.body.contains("href=\"/kpis/"));
    assert!(!reply.body.contains("<span class=\"badge\">skill</span>"));
    assert!(reply.body.contains("aria-current=\"page\">KPIs</a>"));
    let reply = get(&router, "/search?q=qqqqzzzz").await;
    assert!(reply.body.contains("No results for"));
    assert!(!reply.body.contains("class=\"named-role\""));
    // A job title in the search box: the page leads with the role it
    // names and says why, and that role is the first hit.
    let reply = get(&router, "/search?q=Sr.%20Dir.%2C%20Site%20Reliability").await;
    assert!(
        reply
            .body
            .contains("Role: <a href=\"/roles/sre-director\">SRE Director</a>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("reads as a job title"));
    let named = reply.body.find("class=\"named-role\"").expect("banner");
    let first_hit = reply.body.find("<ol class=\"results\">").expect("results");
    assert!(named < first_hit, "the banner leads");
    let after = &reply.body[first_hit..];
    assert!(
        after.find("href=\"/roles/sre-director\"") < after.find("</li>"),
        "the named role is the first hit"
    );
    // Match a job title: the answer, or the tied roles.
    let reply = get(&router, "/search?title=SRE%20Manager%2C%20Payments").await;
    assert!(reply.body.contains("<span class=\"badge\">match</span>"));
    assert!(
        reply
            .body
            .contains("class=\"resolved\"><a href=\"/roles/sre-manager\">SRE Manager</a>")
    );
    assert!(reply.body.contains("Runner-up:"));
    let reply = get(&router, "/search?q=data&title=CDO").await;
    assert!(
        reply
            .body
            .contains("<span class=\"badge\">ambiguous</span>")
    );
    assert!(reply.body.contains("href=\"/roles/chief-data-officer\""));
    assert!(reply.body.contains("href=\"/roles/chief-digital-officer\""));
    assert!(reply.body.contains("Tied roles:"));
    // Both forms keep their text.
    assert!(
        reply
            .body
            .contains("name=\"title\" type=\"text\" value=\"CDO\"")
    );
    assert!(
        reply
            .body
            .contains("<input type=\"hidden\" name=\"q\" value=\"data\">")
    );
    // The query is echoed escaped.
    let reply = get(&router, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.body.contains("<script>alert(1)"));
    assert!(
        reply.body.contains("&#60;script&#62;alert(1)")
            || reply.body.contains("&lt;script&gt;alert(1)")
    );
}

#[tokio::test]
async fn static_assets_are_embedded_and_cached_for_a_year() {
    let router = router();
    let home = get(&router, "/").await;
    let css = home
        .body
        .split("href=\"/static/app.css?v=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("versioned css link");
    let reply = get(&router, &format!("/static/app.css?v={css}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        "text/css; charset=utf-8"
    );
    assert!(reply.header(header::CACHE_CONTROL).contains("immutable"));
    assert!(reply.body.contains("prefers-color-scheme: dark"));
    for file in ["app.js", "print.css", "icon.svg"] {
        assert_eq!(
            get(&router, &format!("/static/{file}")).await.status,
            StatusCode::OK,
            "{file}"
        );
    }
    assert_eq!(
        get(&router, "/static/nope.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn health_reports_the_catalog() {
    let reply = get(&router(), "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["catalog"]["source"], "built-in catalog");
    assert!(body["catalog"]["roles"].as_u64().expect("count") > 20);
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn pages_and_api_answers_revalidate_with_etags() {
    let router = router();
    for uri in [
        "/roles/sre-manager",
        "/",
        "/api/v1/roles/sre-manager",
        "/api/v1/roles",
        "/api/v1/openapi.json",
    ] {
        let first = get(&router, uri).await;
        assert_eq!(first.header(header::CACHE_CONTROL), "no-cache", "{uri}");
        let etag = first.header(header::ETAG).to_string();
        let again = get(&router, uri).await;
        assert_eq!(again.header(header::ETAG), etag, "{uri}: stable ETag");
        let request = Request::get(uri)
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .expect("request");
        let revalidated = send(&router, request).await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(revalidated.body.is_empty());
    }
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let router = router();
    let request = Request::get("/roles/sre-manager")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .expect("request");
    let response = router.oneshot(request).await.expect("infallible");
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn oversized_bodies_and_other_methods_are_refused() {
    let router = router();
    let request = Request::post("/api/v1/roles")
        .header(header::CONTENT_LENGTH, 1_000_000)
        .body(Body::from(vec![b'x'; 1_000_000]))
        .expect("request");
    let reply = send(&router, request).await;
    assert!(
        reply.status == StatusCode::PAYLOAD_TOO_LARGE
            || reply.status == StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        reply.status
    );
    let over = rolebook_web::MAX_BODY_BYTES + 1;
    let request = Request::get("/roles/sre-manager")
        .header(header::CONTENT_LENGTH, over)
        .body(Body::from(vec![b'x'; over]))
        .expect("request");
    assert_eq!(
        send(&router, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let request = Request::delete("/roles/sre-manager")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&router, request).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

// ---------------------------------------------------------------- the API

#[tokio::test]
async fn api_lists_and_items() {
    let router = router();
    let roles = get(&router, "/api/v1/roles").await;
    assert_eq!(roles.status, StatusCode::OK);
    assert_eq!(roles.header(header::CONTENT_TYPE), "application/json");
    let body = roles.json();
    let total = body["total"].as_u64().expect("total");
    assert_eq!(body["roles"].as_array().expect("roles").len() as u64, total);

    let security = get(&router, "/api/v1/roles?family=security").await.json();
    assert!(security["total"].as_u64().expect("total") < total);
    assert!(
        security["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .all(|r| r["family"] == "security")
    );
    let directors = get(&router, "/api/v1/roles?family=security&level=c-level")
        .await
        .json();
    assert_eq!(
        directors["roles"][0]["id"],
        "chief-information-security-officer"
    );

    let role = get(&router, "/api/v1/roles/sre-manager").await.json();
    assert_eq!(role["title"], "SRE Manager");
    assert_eq!(role["level"]["id"], "manager");
    assert!(role["skills"][0]["level"].as_u64().is_some());
    assert!(role["kpis"][0]["target"].is_string());
    assert_eq!(role["career"]["next"][0]["role"], "sre-director");

    let framework = get(&router, "/api/v1/framework").await.json();
    assert_eq!(framework["proficiency"].as_array().expect("scale").len(), 5);

    let skills = get(&router, "/api/v1/skills").await.json();
    assert!(skills["total"].as_u64().expect("total") > 100);
    let skill = get(&router, "/api/v1/skills/incident-management")
        .await
        .json();
    assert_eq!(skill["levels"].as_array().expect("levels").len(), 5);
    assert!(
        skill["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|r| r["role"] == "sre-manager")
    );

    let kpis = get(&router, "/api/v1/kpis").await.json();
    assert!(kpis["total"].as_u64().expect("total") > 100);
    let kpi = get(&router, "/api/v1/kpis/mean-time-to-restore")
        .await
        .json();
    assert!(kpi["formula"].is_string());
    // Owners read up the ladder: the manager before the director.
    let owners: Vec<&str> = kpi["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .filter_map(|o| o["role"].as_str())
        .collect();
    let at = |id: &str| owners.iter().position(|o| *o == id);
    assert!(at("sre-manager") < at("sre-director"), "{owners:?}");
    assert!(at("sre-manager").is_some());
}

#[tokio::test]
async fn api_compare_career_paths_and_search() {
    let router = router();
    let compare = get(
        &router,
        "/api/v1/compare?roles=sre-manager&roles=sre-director",
    )
    .await;
    assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
    let compare = compare.json();
    assert_eq!(compare["roles"].as_array().expect("roles").len(), 2);
    assert_eq!(compare["diffs"][0]["from"], "sre-manager");
    assert!(compare["diffs"][0]["gap"]["total"].as_u64().expect("gap") > 0);
    assert!(
        !compare["diffs"][0]["skills_changed"]
            .as_array()
            .expect("changes")
            .is_empty()
    );
    assert!(
        !compare["kpis_owned_by_one"]
            .as_array()
            .expect("sole")
            .is_empty()
    );
    // Comma-separated and by title work too.
    let same = get(&router, "/api/v1/compare?roles=SRE%20Manager,sre-director")
        .await
        .json();
    assert_eq!(same["diffs"][0]["gap"], compare["diffs"][0]["gap"]);

    let career = get(&router, "/api/v1/career/sre-manager").await.json();
    assert!(
        career["moves"]
            .as_array()
            .expect("moves")
            .iter()
            .any(|m| m["to"] == "sre-director" && m["kind"] == "next")
    );
    assert!(!career["incoming"].as_array().expect("incoming").is_empty());

    let paths = get(&router, "/api/v1/career/sre-manager/paths?to=cto&k=2")
        .await
        .json();
    assert_eq!(paths["to"], "chief-technology-officer");
    let found = paths["paths"].as_array().expect("paths");
    assert!(!found.is_empty() && found.len() <= 2);
    assert_eq!(found[0]["steps"][0]["from"], "sre-manager");

    let search = get(&router, "/api/v1/search?q=cto&limit=3").await.json();
    assert_eq!(search["hits"][0]["id"], "chief-technology-officer");
    assert_eq!(search["hits"][0]["href"], "/roles/chief-technology-officer");
    assert_eq!(search["hits"][0]["kind"], "role");
    assert!(search["hits"].as_array().expect("hits").len() <= 3);
    assert!(search["total"].as_u64().expect("total") >= 1);
    let search = get(
        &router,
        "/api/v1/search?q=incident%20reliabilty&kind=skill,kpi",
    )
    .await
    .json();
    assert_eq!(search["corrections"][0]["word"], "reliabilty");
    assert_eq!(search["corrections"][0]["read_as"][0], "reliability");
    assert_eq!(search["partial"], false);
    let hits = search["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["kind"] == "skill" || h["kind"] == "kpi")
    );
    // Highlights are byte ranges of the text they mark.
    let snippet = &hits[0]["snippet"];
    let text = snippet["text"].as_str().expect("text");
    let [start, end] =
        [0, 1].map(|i| snippet["highlights"][0][i].as_u64().expect("offset") as usize);
    let marked = text[start..end].to_lowercase();
    assert!(
        marked.starts_with("incident") || marked.starts_with("reliab"),
        "{marked}"
    );
    let title = hits[0]["title"].as_str().expect("title");
    let [start, end] =
        [0, 1].map(|i| hits[0]["title_highlights"][0][i].as_u64().expect("offset") as usize);
    assert_eq!(title[start..end].to_lowercase(), "reliability");

    let resolved = get(&router, "/api/v1/resolve?title=SRE%20Manager,%20Payments")
        .await
        .json();
    assert_eq!(resolved["status"], "match");
    assert_eq!(resolved["role"]["role"], "sre-manager");
    assert_eq!(resolved["role"]["href"], "/roles/sre-manager");
    assert_eq!(resolved["ambiguous"], false);
    assert!(resolved["confidence"].as_f64().expect("confidence") > 0.5);
    assert_eq!(resolved["runner_up"]["role"], "sre-director");
    assert_eq!(resolved["explanation"]["ignored"][0], "Payments");
    assert!(
        resolved["explanation"]["summary"]
            .as_str()
            .expect("summary")
            .contains("ignored 'Payments'")
    );
    let cdo = get(&router, "/api/v1/resolve?title=CDO").await.json();
    assert_eq!(cdo["status"], "ambiguous");
    assert!(cdo["role"].is_null());
    assert_eq!(cdo["ambiguous"], true);
    assert_eq!(cdo["candidates"].as_array().expect("candidates").len(), 2);
    let none = get(&router, "/api/v1/resolve?title=Barista").await.json();
    assert_eq!(none["status"], "none");
    assert!(none["role"].is_null());
}

#[tokio::test]
async fn api_bad_input_gets_json_4xx_with_a_useful_message() {
    let router = router();
    for (uri, status, message) in [
        (
            "/api/v1/roles/sre-manger",
            404,
            "there is no role with id `sre-manger`",
        ),
        (
            "/api/v1/roles?family=sales",
            400,
            "unknown family `sales`; known: ",
        ),
        ("/api/v1/roles?level=intern", 400, "unknown level `intern`"),
        (
            "/api/v1/roles?famly=security",
            400,
            "unknown query parameter `famly`; known parameters: family, level",
        ),
        (
            "/api/v1/roles/sre-manager?x=1",
            400,
            "this endpoint takes no query parameters",
        ),
        (
            "/api/v1/skills/nope",
            404,
            "there is no skill with id `nope`",
        ),
        ("/api/v1/kpis/nope", 404, "there is no KPI with id `nope`"),
        ("/api/v1/compare", 400, "compare takes 2 to 4 roles, got 0"),
        ("/api/v1/compare?roles=cto", 400, "got 1"),
        ("/api/v1/compare?roles=a,b,c,d,e", 400, "got 5"),
        ("/api/v1/compare?roles=cto,cto", 400, "named twice"),
        (
            "/api/v1/compare?roles=cto,nobody",
            404,
            "no role matches `nobody`",
        ),
        (
            "/api/v1/career/nobody",
            404,
            "there is no role with id `nobody`",
        ),
        (
            "/api/v1/career/sre-manager/paths",
            400,
            "give the role to reach as `?to=ROLE`",
        ),
        (
            "/api/v1/career/sre-manager/paths?to=cto&k=0",
            400,
            "k must be a whole number from 1 to 10",
        ),
        (
            "/api/v1/career/sre-manager/paths?to=cto&k=x",
            400,
            "got `x`",
        ),
        (
            "/api/v1/career/nobody/paths?to=cto",
            404,
            "there is no role",
        ),
        (
            "/api/v1/career/sre-manager/paths?to=nobody",
            404,
            "no role matches `nobody`",
        ),
        ("/api/v1/search", 400, "give the search text as `?q=TEXT`"),
        ("/api/v1/search?q=%20", 400, "the query is empty"),
        (
            "/api/v1/search?q=slo&kind=people",
            400,
            "unknown kind `people`; use role, skill or kpi",
        ),
        (
            "/api/v1/search?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m%20n%20o%20p%20q",
            400,
            "the query has 17 words; the limit is 16",
        ),
        (
            "/api/v1/resolve",
            400,
            "give the job title as `?title=TITLE`",
        ),
        ("/api/v1/resolve?title=", 400, "the title is empty"),
        ("/api/v1/resolve?title=%2C%20-", 400, "the title is empty"),
        (
            "/api/v1/resolve?title=cto&q=x",
            400,
            "unknown query parameter `q`; known parameters: title",
        ),
        (
            "/api/v1/search?q=a&limit=100",
            400,
            "limit must be a whole number from 1 to 50",
        ),
        (
            "/api/v1/nothing-here",
            404,
            "no API endpoint at `/api/v1/nothing-here`",
        ),
        ("/api/v2/roles", 404, "no API endpoint"),
    ] {
        let reply = get(&router, uri).await;
        assert_eq!(reply.status.as_u16(), status, "{uri}: {}", reply.body);
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "application/json",
            "{uri}"
        );
        let body = reply.json();
        assert_eq!(body["error"]["status"], status, "{uri}");
        let text = body["error"]["message"].as_str().expect("message");
        assert!(text.contains(message), "{uri}: {text:?} lacks {message:?}");
    }
    let reply = get(&router, "/api/v1/roles/sre-manger").await.json();
    assert_eq!(reply["error"]["suggestions"][0]["id"], "sre-manager");
    let long = "q".repeat(201);
    assert_eq!(
        get(&router, &format!("/api/v1/search?q={long}"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let long = get(
        &router,
        &format!("/api/v1/resolve?title={}", "t".repeat(301)),
    )
    .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert!(
        long.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("the title is 301 characters long; the limit is 300")
    );
}

#[tokio::test]
async fn openapi_document_is_3_1_and_covers_every_route() {
    let reply = get(&router(), "/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/framework",
        "/api/v1/roles",
        "/api/v1/roles/{id}",
        "/api/v1/skills",
        "/api/v1/skills/{id}",
        "/api/v1/kpis",
        "/api/v1/kpis/{id}",
        "/api/v1/compare",
        "/api/v1/career/{id}",
        "/api/v1/career/{id}/paths",
        "/api/v1/search",
        "/api/v1/resolve",
        "/healthz",
        "/api/v1/workspace",
        "/api/v1/workspace/versions",
        "/api/v1/workspace/versions/{number}",
        "/api/v1/workspace/entities/{kind}/{id}",
        "/api/v1/workspace/entities/{kind}/{id}/history",
        "/api/v1/workspace/entities/{kind}/{id}/diff",
        "/api/v1/workspace/change-requests",
        "/api/v1/workspace/change-requests/{id}",
        "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}",
        "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}/diff",
        "/api/v1/workspace/change-requests/{id}/validate",
        "/api/v1/workspace/change-requests/{id}/transition",
        "/api/v1/workspace/change-requests/{id}/publish",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    for schema in [
        "Role",
        "RoleList",
        "Comparison",
        "CareerView",
        "Paths",
        "SearchResults",
        "Resolution",
        "ErrorBody",
        "Health",
        "WorkspaceErrorBody",
        "ChangeRequestDto",
        "EntityDto",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "schema {schema}"
        );
    }
}

#[test]
fn openapi_document_is_pinned() {
    // The API is a contract: any change to it shows up in review.
    insta::assert_snapshot!("openapi", rolebook_web::api::openapi_json());
}

// ------------------------------------------------------------ skill gap

fn catalog() -> rolebook_core::Catalog {
    rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

/// Text as the templates write it.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// A `multipart/form-data` upload: (field, file name, value).
fn upload(fields: &[(&str, Option<&str>, &str)]) -> Request<Body> {
    let boundary = "rolebook-test-boundary";
    let mut body = String::new();
    for (name, file_name, value) in fields {
        body.push_str(&format!("--{boundary}\r\n"));
        match file_name {
            Some(file) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )),
            None => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
            )),
        }
        body.push_str(value);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    Request::post("/gap/upload")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

const RATINGS: &str = "target=sre-director&name=Ada&current=sre-manager&level.slo-engineering=4&evidence.slo-engineering=Ran+the+SLO+review&level.incident-management=5&manager.incident-management=3&manager.slo-engineering=0&level.people-leadership=0&level.observability=";

fn ada() -> rolebook_career::Profile {
    rolebook_career::Profile {
        name: Some("Ada".to_string()),
        current_role: Some("sre-manager".to_string()),
        skills: vec![
            rolebook_career::profile::AssessedSkill {
                skill: "slo-engineering".to_string(),
                level: 4,
                manager_level: None,
                evidence: Some("Ran the SLO review".to_string()),
            },
            rolebook_career::profile::AssessedSkill {
                skill: "incident-management".to_string(),
                level: 5,
                manager_level: Some(3),
                evidence: None,
            },
        ],
    }
}

#[tokio::test]
async fn gap_page_rates_skills_and_shows_gap_readiness_plan_and_radar() {
    let router = router();
    let catalog = catalog();
    let director = catalog.role("sre-director").expect("role");

    // A target (by title here) gives the rating form: every skill it
    // requires, each level with the skill's own descriptor.
    let reply = get(&router, "/gap?target=SRE%20Director").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    for required in &director.skills {
        let skill = catalog.skill(&required.skill).expect("skill");
        for level in 0..=5 {
            assert!(
                reply.body.contains(&format!(
                    "name=\"level.{}\" value=\"{level}\"",
                    skill.id.as_str()
                )),
                "{} level {level}",
                skill.id.as_str()
            );
        }
        if let Some(text) = skill.level_descriptor(*required.level) {
            assert!(reply.body.contains(&escaped(text)), "{}", skill.id.as_str());
        }
    }
    assert!(reply.body.contains("formaction=\"/gap/profile.toml\""));
    assert!(
        !reply.body.contains("Development plan"),
        "nothing rated yet"
    );

    // Submitted: the numbers are the career crate's.
    let expected = rolebook_career::Career::new(&catalog).assess(&ada(), director);
    let reply = send(&router, form("/gap", RATINGS)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    let body = &reply.body;
    assert!(body.contains(&format!(
        "id=\"readiness\">{}</p>",
        expected.readiness.percent()
    )));
    assert!(body.contains(&format!(
        "{} of {} weighted levels held",
        expected.readiness.met, expected.readiness.required
    )));
    assert!(body.contains(&format!("id=\"gap-total\">{}</strong>", expected.gap)));
    let levels: u32 = expected.skills.iter().map(|l| u32::from(l.shortfall)).sum();
    assert!(body.contains(&format!("id=\"levels-to-gain\">{levels}</p>")));
    assert!(body.contains(&format!("to gain across {} skill", expected.plan.len())));
    assert!(body.contains("readiness = Σ w(s) × min(current(s), required(s))"));
    assert!(body.contains("gap = Σ w(s) × max(0, required(s) − current(s))"));
    assert!(body.contains("Ada’s gap to SRE Director"));
    // The radar chart, inline, named for assistive technology.
    assert!(body.contains(
        "role=\"img\">\n<title>Ada: current against required skill levels for SRE Director</title>"
    ));
    // The plan: one item per short skill, with the skill's descriptors.
    assert_eq!(
        body.matches("class=\"plan-item\"").count(),
        expected.plan.len()
    );
    let slo = catalog.skill("slo-engineering").expect("skill");
    assert!(body.contains(&format!(
        "<strong>5 · Expert.</strong> {}",
        escaped(slo.level_descriptor(5).expect("level 5"))
    )));
    // Paths from the current role start from the person's ratings: the
    // career crate's paths, with each move's skills to gain.
    let career = rolebook_career::Career::new(&catalog);
    let graph = rolebook_career::CareerGraph::new(&career);
    let manager = catalog.role("sre-manager").expect("role");
    let paths = graph.paths_for(&ada(), manager, director, 3);
    assert!(body.contains("Paths from SRE Manager to SRE Director, with Ada’s ratings"));
    assert!(!paths.paths.is_empty());
    for path in &paths.paths {
        assert!(
            body.contains(&format!(
                "<strong>{}</strong> · total gap {} ·",
                path.summary(),
                path.total_gap
            )),
            "{}",
            path.summary()
        );
    }
    // The manager's rating sits beside the person's own, and two levels
    // apart is flagged; only the person's own counts (the numbers above).
    assert!(body.contains("Manager’s rating</th>"));
    assert_eq!(body.matches("talk about it</span>").count(), 1);
    assert!(body.contains("<option value=\"3\" selected>3 · Practitioner</option>"));
    // The form keeps what was sent.
    assert!(body.contains("name=\"level.slo-engineering\" value=\"4\" checked>"));
    assert!(body.contains("name=\"level.people-leadership\" value=\"0\" checked>"));
    assert!(body.contains("value=\"Ran the SLO review\""));
    assert!(body.contains("<option value=\"sre-manager\" selected>"));
    assert!(body.contains("name=\"name\" type=\"text\" value=\"Ada\""));

    // Naming a current role before rating starts the form from the levels
    // it requires.
    let manager = catalog.role("sre-manager").expect("role");
    let start = get(&router, "/gap?target=sre-director&current=sre-manager").await;
    assert!(
        start
            .body
            .contains("Each skill starts at the level SRE Manager requires")
    );
    assert!(!start.body.contains("id=\"readiness\""), "not assessed yet");
    for required in &director.skills {
        let held = manager.skill_level(&required.skill).unwrap_or(0);
        assert!(
            start.body.contains(&format!(
                "name=\"level.{}\" value=\"{held}\" checked>",
                required.skill.as_str()
            )),
            "{}",
            required.skill.as_str()
        );
    }

    // The same ratings in a URL give the same assessment.
    let again = get(&router, &format!("/gap?{RATINGS}")).await;
    assert!(again.body.contains(&format!(
        "id=\"readiness\">{}</p>",
        expected.readiness.percent()
    )));

    // Bad ratings say which field is wrong.
    for (query, message) in [
        ("target=sre-director&level.slo-engineering=7", "got “7”"),
        (
            "target=sre-director&level.slo-engineerin=3",
            "did you mean “slo-engineering”",
        ),
        ("target=nobody-at-all", "Target: no role matches"),
        (
            "target=sre-director&colour=blue",
            "Unknown form field “colour”",
        ),
    ] {
        let reply = get(&router, &format!("/gap?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.body.contains(message), "{query}: {}", reply.body);
    }
    let reply = send(
        &router,
        Request::post("/gap")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("Send the ratings as a form"));
}

#[tokio::test]
async fn gap_ratings_download_as_a_profile_that_reads_back() {
    let router = router();
    let catalog = catalog();
    let reply = send(&router, form("/gap/profile.toml", RATINGS)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        "application/toml; charset=utf-8"
    );
    assert_eq!(
        reply.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"profile.toml\""
    );
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    assert!(reply.body.starts_with("# A rolebook person profile"));
    let parsed = rolebook_career::parse_profile("profile.toml", &reply.body, &catalog);
    assert_eq!(parsed.error_count(), 0, "{:?}", parsed.diagnostics);
    assert_eq!(parsed.profile, Some(ada()));

    let reply = get(&router, "/gap/profile.toml?level.observability=3").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("skill = \"observability\"\nlevel = 3"));
    let reply = get(&router, "/gap/profile.toml?level.observability=9").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("must be 0 (not held)"));
}

const EXAMPLE: &str = include_str!("../../../testdata/profiles/example.toml");
const UNKNOWN_SKILL: &str = include_str!("../../../testdata/profiles/invalid/unknown-skill.toml");
const TOML_SYNTAX: &str = include_str!("../../../testdata/profiles/invalid/toml-syntax.toml");

#[tokio::test]
async fn gap_upload_fills_the_form_and_bad_profiles_get_located_problems() {
    let router = router();
    let catalog = catalog();
    let director = catalog.role("sre-director").expect("role");
    let profile = rolebook_career::parse_profile("example.toml", EXAMPLE, &catalog)
        .profile
        .expect("the example is valid");
    let expected = rolebook_career::Career::new(&catalog).assess(&profile, director);

    // A file, or the same text pasted.
    for fields in [
        vec![
            ("target", None, "sre-director"),
            ("profile", Some("example.toml"), EXAMPLE),
            ("text", None, ""),
        ],
        vec![
            ("target", None, "sre-director"),
            ("profile", Some(""), ""),
            ("text", None, EXAMPLE),
        ],
    ] {
        let reply = send(&router, upload(&fields)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
        assert!(reply.body.contains(&format!(
            "id=\"readiness\">{}</p>",
            expected.readiness.percent()
        )));
        assert!(reply.body.contains("Alex Example’s gap to SRE Director"));
        assert!(
            reply
                .body
                .contains("name=\"level.slo-engineering\" value=\"4\" checked>")
        );
        // Skills the target does not require stay in the form, hidden,
        // so that a download keeps them.
        for skill in &profile.skills {
            if director.skill_level(&skill.skill).is_none() {
                assert!(
                    reply.body.contains(&format!(
                        "<input type=\"hidden\" name=\"level.{}\" value=\"{}\">",
                        skill.skill, skill.level
                    )),
                    "{}",
                    skill.skill
                );
            }
        }
    }

    // A bad profile: 400, every problem located, the text back to fix.
    let reply = send(
        &router,
        upload(&[
            ("target", None, "sre-director"),
            ("profile", Some("unknown-skill.toml"), UNKNOWN_SKILL),
        ]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    let body = &reply.body;
    assert!(body.contains("The profile could not be read"));
    assert!(body.contains("unknown-skill.toml: 2 problems"), "{body}");
    assert!(body.contains("<code>unknown-skill</code> unknown skill “slo-engineerin”"));
    assert!(body.contains("unknown-skill.toml:5:9"));
    assert!(body.contains("did you mean “slo-engineering”?"));
    assert!(body.contains(&escaped("skill = \"slo-engineerin\"")));
    assert!(
        body.contains("error[unknown-skill]"),
        "the CLI's rendering too"
    );
    assert!(!body.contains("class=\"rate-form\""), "no assessment");

    let reply = send(
        &router,
        upload(&[
            ("target", None, "sre-director"),
            ("text", None, TOML_SYNTAX),
        ]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("<code>toml-syntax</code> invalid TOML"));
    assert!(reply.body.contains("pasted profile:"));

    for (fields, message) in [
        (
            vec![("target", None, "sre-director"), ("text", None, "  ")],
            "Choose a profile.toml file or paste its text",
        ),
        (
            vec![("text", None, EXAMPLE)],
            "Choose the target role to assess the profile against",
        ),
        (
            vec![("target", None, "sre-director"), ("extra", None, "x")],
            "Unknown form field “extra”",
        ),
    ] {
        let reply = send(&router, upload(&fields)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{message}");
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    let reply = send(&router, form("/gap/upload", "text=x")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("multipart/form-data"));
}

/// A job title typed into the search box finds the role it names first,
/// as `rolebook resolve` answers it; before, "Sr. Dir., Site Reliability"
/// put the SRE Director sixth, under roles whose text says "site
/// reliability" more often. Queries that are not titles keep their order.
#[tokio::test]
async fn a_job_title_in_the_search_box_finds_its_role_first() {
    let router = app(AppState::builtin().expect("built-in catalog"));
    let api = get(
        &router,
        "/api/v1/search?q=Sr.%20Dir.%2C%20Site%20Reliability",
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()["hits"][0]["id"], "sre-director", "{}", api.body);
    let page = get(&router, "/search?q=Sr.%20Dir.%2C%20Site%20Reliability").await;
    let first = page.body.find("/roles/").expect("a role hit");
    assert!(
        page.body[first..].starts_with("/roles/sre-director\""),
        "{}",
        &page.body[first..first + 60]
    );
    // Not a title: the full-text order stands.
    let words = get(&router, "/api/v1/search?q=error%20budget").await;
    let resolved = get(&router, "/api/v1/resolve?title=error%20budget").await;
    assert_ne!(resolved.json()["status"], "match");
    assert!(
        words.json()["hits"]
            .as_array()
            .is_some_and(|hits| !hits.is_empty())
    );
}
