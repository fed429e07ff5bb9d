//! Editing and review in the browser's pages (`/changes…`) against a real
//! SQLite workspace, with the forms posted as a browser posts them: an
//! editor changes a role, validation lands beside the field, an approver
//! approves and publishes, two editors collide, lists are reordered
//! without saving, roles are copied and made, and what people may not do
//! they cannot.

mod common;

use axum::http::{StatusCode, header};
use common::{Reply, as_admin, as_user, get, post_form, workspace_state};
use rolebook_accounts::Role;
use rolebook_edit::schema::ROLE;
use rolebook_edit::{Value, Values, read, to_form};
use rolebook_store::{Key, Kind};
use rolebook_web::AppState;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn location(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.header(header::LOCATION).to_string()
}

/// The value of the form's hidden `base`.
fn base_of(html: &str) -> String {
    let at = html.find("name=\"base\" value=\"").expect("a base") + 19;
    html[at..].split('"').next().expect("quoted").to_string()
}

/// The HTML of one control's block (`<div … id="field-NAME">` to the next
/// field's).
fn field_block<'h>(html: &'h str, name: &str) -> &'h str {
    let start = html
        .find(&format!("id=\"field-{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let rest = &html[start + 10..];
    let end = rest.find("id=\"field-").unwrap_or(rest.len());
    &rest[..end]
}

async fn role_text(state: &AppState, change_request: i64, id: &str) -> String {
    let provider = state.provider();
    let ws = provider.workspace().expect("workspace");
    let (document, _) = ws
        .entity_in(change_request, &Key::new(Kind::Role, id))
        .await
        .expect("entity");
    document
        .expect("present")
        .content
        .text()
        .expect("text")
        .to_string()
}

/// The role's form as a browser sends it, changed by `change`, saved
/// against the base the editor page showed.
async fn save_role(
    router: &axum::Router,
    state: &AppState,
    change_request: i64,
    id: &str,
    change: impl FnOnce(&mut Values),
) -> Reply {
    let editor = format!("/changes/{change_request}/edit/role/{id}");
    let page = get(router, &editor).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut values = read(&ROLE, &role_text(state, change_request, id).await).expect("reads");
    change(&mut values);
    let mut form = to_form(&ROLE, &values);
    form.push(("base".into(), base_of(&page.body)));
    form.push(("op".into(), "save".into()));
    post_form(router, &editor, &form).await
}

fn set_row(
    values: &mut Values,
    list: &'static str,
    key: &str,
    id: &str,
    column: &'static str,
    to: &str,
) {
    let mut rows = values.rows(list).to_vec();
    let row = rows
        .iter_mut()
        .find(|r| r.text(key) == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"));
    row.set(column, Value::Text(to.to_string()));
    values.set(list, Value::Rows(rows));
}

const TARGET: &str = "Median time to restore service for SEV1 and SEV2 incidents on the team's services under 30 minutes; no SEV1 open longer than 2 hours.";

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_changes_a_role_and_an_approver_publishes_it() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    let approver = as_user(&state, "ann@example.org", Role::Approver).await;

    let opened = post_form(
        &editor,
        "/changes",
        &pairs(&[
            ("title", "Faster restores for SRE teams"),
            ("edit", "role/sre-manager"),
        ]),
    )
    .await;
    assert_eq!(location(&opened), "/changes/1/edit/role/sre-manager");
    let page = get(&editor, "/changes/1/edit/role/sre-manager").await;
    assert!(
        page.body.contains("name=\"kpis.4.target\""),
        "the form names each KPI's target"
    );
    assert!(
        page.body
            .contains("What each level means for Capacity planning")
    );

    // A target and a skill level changed in the form.
    let saved = save_role(&editor, &state, 1, "sre-manager", |v| {
        set_row(v, "kpis", "kpi", "mean-time-to-restore", "target", TARGET);
        set_row(v, "skills", "skill", "capacity-planning", "level", "4");
    })
    .await;
    assert_eq!(location(&saved), "/changes/1/edit/role/sre-manager?saved=1");
    let text = role_text(&state, 1, "sre-manager").await;
    assert!(text.contains(TARGET));
    // Only what changed was rewritten: the rest is as the seed wrote it.
    let seed = rolebook_core::builtin::sources()
        .files()
        .iter()
        .find(|f| f.path == "roles/sre-manager.toml")
        .expect("seed")
        .text
        .clone();
    let changed_lines = text
        .lines()
        .zip(seed.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed_lines, 2, "{text}");

    // An invalid level is saved as typed and shown beside its field.
    let index = read(&ROLE, &text)
        .expect("reads")
        .rows("skills")
        .iter()
        .position(|r| r.text("skill") == "capacity-planning")
        .expect("skill");
    let saved = save_role(&editor, &state, 1, "sre-manager", |v| {
        set_row(v, "skills", "skill", "capacity-planning", "level", "9");
    })
    .await;
    let page = get(&editor, &location(&saved)).await;
    let block = field_block(&page.body, &format!("skills.{index}.level"));
    assert!(block.contains("field-problem error"), "{block}");
    assert!(block.contains("aria-invalid=\"true\""), "{block}");
    assert!(
        block.contains("value=\"9\" selected"),
        "the typed level is kept: {block}"
    );
    let review = get(&editor, "/changes/1").await;
    assert!(
        review
            .body
            .contains("must be fixed before this can be published")
    );

    let fixed = save_role(&editor, &state, 1, "sre-manager", |v| {
        set_row(v, "skills", "skill", "capacity-planning", "level", "4");
    })
    .await;
    location(&fixed);

    // The review page shows the field-level diff; the editor submits.
    let review = get(&editor, "/changes/1").await;
    assert!(
        review.body.contains("Skills › Capacity planning › Level"),
        "{}",
        review.body
    );
    assert!(review.body.contains("<del>3</del> → <ins>4</ins>"));
    assert!(
        review
            .body
            .contains("under 30 minutes; no SEV1 open longer than 2 hours.</ins>")
    );
    assert!(
        !review.body.contains("value=\"approved\""),
        "an editor cannot approve"
    );
    let comment = post_form(
        &approver,
        "/changes/1/comments",
        &pairs(&[
            ("kind", "role"),
            ("entity", "sre-manager"),
            ("field", "kpis"),
            ("body", "30 minutes needs the new runbooks first."),
        ]),
    )
    .await;
    assert_eq!(location(&comment), "/changes/1#comments");
    let submitted = post_form(
        &editor,
        "/changes/1/state",
        &pairs(&[("to", "in-review"), ("note", "Ready")]),
    )
    .await;
    location(&submitted);

    // The approver approves and publishes.
    let review = get(&approver, "/changes/1").await;
    assert!(
        review.body.contains("value=\"approved\""),
        "{}",
        review.body
    );
    assert!(
        review
            .body
            .contains("30 minutes needs the new runbooks first.")
    );
    location(&post_form(&approver, "/changes/1/state", &pairs(&[("to", "approved")])).await);
    location(
        &post_form(
            &approver,
            "/changes/1/publish",
            &pairs(&[("message", "Faster restores")]),
        )
        .await,
    );
    let review = get(&approver, "/changes/1").await;
    assert!(
        review.body.contains("Published as version 2."),
        "{}",
        review.body
    );
    assert!(
        review.body.contains("<del>3</del> → <ins>4</ins>"),
        "a published change request still shows what it changed"
    );

    // The role page shows the new version, its history the change.
    let role = get(&approver, "/roles/sre-manager").await;
    assert!(
        role.body.contains("under 30 minutes"),
        "the published role is served"
    );
    let history = get(&approver, "/roles/sre-manager/history").await;
    assert!(history.body.contains("Version 2"), "{}", history.body);
    assert!(history.body.contains("Faster restores"));

    // And the audit log has every step, with who did it.
    let admin = as_admin(&state, false).await;
    let audit = get(&admin, "/admin/audit.csv").await;
    for expected in [
        "ed@example.org,change-request-opened",
        "ed@example.org,entity-saved",
        "ann@example.org,comment-added",
        "ann@example.org,change-request-moved",
        "ann@example.org,published",
    ] {
        assert!(
            audit.body.contains(expected),
            "{expected} in\n{}",
            audit.body
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_editors_saving_one_role_get_a_conflict_not_an_overwrite() {
    let (state, _dir) = workspace_state().await;
    let first = as_user(&state, "ed@example.org", Role::Editor).await;
    let second = as_user(&state, "eve@example.org", Role::Editor).await;
    location(&post_form(&first, "/changes", &pairs(&[("title", "Titles")])).await);
    let editor = "/changes/1/edit/role/sre-manager";
    let stale = base_of(&get(&second, editor).await.body);

    let saved = save_role(&first, &state, 1, "sre-manager", |v| {
        v.set("title", Value::Text("SRE Team Manager".into()));
    })
    .await;
    location(&saved);

    // The second editor saves on the base they read: a conflict.
    let mut values = read(&ROLE, &role_text(&state, 1, "sre-manager").await).expect("reads");
    values.set("title", Value::Text("Reliability Manager".into()));
    let mut form = to_form(&ROLE, &values);
    form.push(("base".into(), stale.clone()));
    let collided = post_form(&second, editor, &form).await;
    assert_eq!(collided.status, StatusCode::CONFLICT, "{}", collided.body);
    assert!(collided.body.contains("Someone else saved this Role"));
    assert!(
        collided.body.contains("value=\"Reliability Manager\""),
        "the typed title is kept"
    );
    let theirs = &collided.body[collided.body.find("class=\"toml-view\"").expect("theirs")..];
    assert!(theirs.contains("SRE Team Manager"), "theirs is shown");
    assert!(
        collided
            .body
            .contains("<del>SRE Team Manager</del> → <ins>Reliability Manager</ins>"),
        "and what saving would change"
    );
    assert!(
        role_text(&state, 1, "sre-manager")
            .await
            .contains("title = \"SRE Team Manager\"")
    );

    // Saving again from the conflict page is a choice, on their base.
    let fresh = base_of(&collided.body);
    assert_ne!(fresh, stale);
    let last = form.len() - 1;
    form[last] = ("base".into(), fresh);
    location(&post_form(&second, editor, &form).await);
    assert!(
        role_text(&state, 1, "sre-manager")
            .await
            .contains("title = \"Reliability Manager\"")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_buttons_show_the_form_again_unsaved() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Skills")])).await);
    let before = role_text(&state, 1, "sre-manager").await;
    let page = get(&editor, "/changes/1/edit/role/sre-manager").await;
    let values = read(&ROLE, &before).expect("reads");
    let skills = values.rows("skills").len();
    let mut form = to_form(&ROLE, &values);
    form.push(("base".into(), base_of(&page.body)));
    form.push(("op".into(), "add:skills".into()));
    let shown = post_form(&editor, "/changes/1/edit/role/sre-manager", &form).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("Not saved yet"));
    assert!(
        shown
            .body
            .contains(&format!("id=\"field-skills.{skills}\"")),
        "one more skill row"
    );
    assert!(
        shown
            .body
            .contains(&format!("data-focus=\"skills.{skills}\""))
    );
    let last = form.len() - 1;
    form[last] = ("op".into(), "up:skills.1".into());
    let moved = post_form(&editor, "/changes/1/edit/role/sre-manager", &form).await;
    let first = values.rows("skills")[1].text("skill").to_string();
    assert!(
        field_block(&moved.body, "skills.0.skill").contains(&format!("value=\"{first}\"")),
        "the second skill moved up"
    );
    assert_eq!(
        role_text(&state, 1, "sre-manager").await,
        before,
        "nothing was saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_are_made_by_copying_or_from_an_id() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    location(&post_form(&editor, "/changes", &pairs(&[("title", "New roles")])).await);
    let copied = post_form(
        &editor,
        "/changes/1/new",
        &pairs(&[
            ("kind", "role"),
            ("id", "sre-lead"),
            ("copy", "sre-manager"),
        ]),
    )
    .await;
    assert_eq!(location(&copied), "/changes/1/edit/role/sre-lead");
    let text = role_text(&state, 1, "sre-lead").await;
    assert!(
        text.starts_with("id = \"sre-lead\"\ntitle = \"SRE Manager (copy)\""),
        "{text}"
    );
    assert!(!text.contains("aliases"));

    let again = post_form(
        &editor,
        "/changes/1/new",
        &pairs(&[("kind", "role"), ("id", "sre-manager")]),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already"), "{}", again.body);

    let blank = post_form(
        &editor,
        "/changes/1/new",
        &pairs(&[("kind", "role"), ("id", "head-of-data-engineering")]),
    )
    .await;
    let page = get(&editor, &location(&blank)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("name=\"title\" type=\"text\" value=\"\""),
        "an empty form"
    );
    assert!(
        page.body.contains("field-problem error"),
        "what is missing is said"
    );

    let bad = post_form(
        &editor,
        "/changes/1/new",
        &pairs(&[("kind", "role"), ("id", "Not An Id")]),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn viewers_read_no_drafts_and_editors_neither_approve_nor_publish() {
    let (state, _dir) = workspace_state().await;
    let viewer = as_user(&state, "vic@example.org", Role::Viewer).await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    assert_eq!(get(&viewer, "/changes").await.status, StatusCode::FORBIDDEN);
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Mine")])).await);
    assert_eq!(
        get(&viewer, "/changes/1").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&viewer, "/changes/1/edit/role/sre-manager")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    location(&post_form(&editor, "/changes/1/state", &pairs(&[("to", "in-review")])).await);
    let approve = post_form(&editor, "/changes/1/state", &pairs(&[("to", "approved")])).await;
    assert_eq!(approve.status, StatusCode::FORBIDDEN);
    let publish = post_form(&editor, "/changes/1/publish", &pairs(&[("message", "x")])).await;
    assert_eq!(publish.status, StatusCode::FORBIDDEN);
    // The waiting list: the editor's own draft waits for nobody but its
    // reviewers now.
    let approver = as_user(&state, "ann@example.org", Role::Approver).await;
    let list = get(&approver, "/changes").await;
    assert!(
        list.body.contains("id=\"awaiting-count\">1<"),
        "{}",
        list.body
    );
    assert!(list.body.contains("waits for a review"));
    let count = get(&approver, "/changes/awaiting").await;
    assert_eq!(count.json()["awaiting"], 1, "{}", count.body);
    assert_eq!(count.header(header::CACHE_CONTROL), "no-store");
    assert_eq!(
        get(&editor, "/changes/awaiting").await.json()["awaiting"],
        0
    );
}

/// `payload` typed into every free-text field of a role's form, its
/// records' included; fields that name something of the catalog (family,
/// level, skill, KPI, role ids, numbers, dates) keep their values, so the
/// role stays valid and publishes.
fn markup_everywhere(values: &mut Values, payload: &str) {
    use rolebook_edit::{Choices, Shape};
    fn typed(field: &rolebook_edit::Field, value: &Value, payload: &str) -> Option<Value> {
        if field.choices != Choices::Free {
            return None;
        }
        match (&field.shape, value) {
            (Shape::Line | Shape::Prose, Value::Text(text)) if !text.is_empty() => {
                Some(Value::Text(format!("{text} {payload}")))
            }
            (Shape::Lines, Value::Lines(lines)) => Some(Value::Lines(
                lines.iter().map(|l| format!("{l} {payload}")).collect(),
            )),
            _ => None,
        }
    }
    for field in ROLE.fields() {
        // A code with a format of its own, checked by validation.
        if field.name == "crosswalk.onet_soc" {
            continue;
        }
        let Some(value) = values.get(field.name).cloned() else {
            continue;
        };
        if let (rolebook_edit::Shape::Records { columns, .. }, Value::Rows(rows)) =
            (&field.shape, &value)
        {
            let rows = rows
                .iter()
                .map(|row| {
                    let mut row = row.clone();
                    for column in columns.iter() {
                        if let Some(new) =
                            row.get(column.name).and_then(|v| typed(column, v, payload))
                        {
                            row.set(column.name, new);
                        }
                    }
                    row
                })
                .collect();
            values.set(field.name, Value::Rows(rows));
        } else if let Some(new) = typed(field, &value, payload) {
            values.set(field.name, new);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_typed_into_fields_stays_text_everywhere() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    let approver = as_user(&state, "ann@example.org", Role::Approver).await;
    location(
        &post_form(
            &editor,
            "/changes",
            &pairs(&[("title", "<b>bold</b> title")]),
        )
        .await,
    );
    let payload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    location(
        &save_role(&editor, &state, 1, "sre-manager", |v| {
            markup_everywhere(v, payload);
        })
        .await,
    );
    location(
        &post_form(
            &approver,
            "/changes/1/comments",
            &pairs(&[("body", payload)]),
        )
        .await,
    );
    location(&post_form(&editor, "/changes/1/state", &pairs(&[("to", "in-review")])).await);
    location(&post_form(&approver, "/changes/1/state", &pairs(&[("to", "approved")])).await);
    location(
        &post_form(
            &approver,
            "/changes/1/publish",
            &pairs(&[("message", payload)]),
        )
        .await,
    );
    for path in [
        "/changes",
        "/changes/1",
        "/changes/1/edit/role/sre-manager",
        "/changes/1/edit/role/sre-manager?as=toml",
        "/roles/sre-manager",
        "/roles/sre-manager/history",
        "/search?q=alert",
        "/career/sre-manager",
        "/career/sre-director",
        "/compare?roles=sre-manager,sre-director",
        "/kpis/slo-attainment",
        "/",
    ] {
        let page = get(&approver, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("<script>alert"), "{path}");
        assert!(!page.body.contains("<img src=x"), "{path}");
        assert!(!page.body.contains("<b>bold"), "{path}");
    }
    // Exports of the role, as the server hands them out.
    for download in ["sre-manager.html", "sre-manager.md"] {
        let reply = get(&approver, &format!("/downloads/roles/{download}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{download}");
        // Markdown escapes `<` as `\<`, a literal character.
        let unescaped = reply.body.replace("\\<", "");
        assert!(!unescaped.contains("<script>alert"), "{download}");
        assert!(!unescaped.contains("<img src=x"), "{download}");
    }
    // The static site `rolebook build` writes from the published version.
    let provider = state.provider();
    let ws = provider.workspace().expect("workspace");
    let catalog = rolebook_core::load(ws.sources(2).await.expect("version 2"))
        .catalog
        .expect("valid");
    let snap = rolebook_web::site::snapshot(catalog, "workspace".to_string());
    let site = rolebook_web::site::StaticSite::new(&snap);
    for route in rolebook_web::site::static_routes(&snap) {
        let page = site.render(&route).expect("renders");
        assert!(!page.html.contains("<script>alert"), "{}", page.file);
        assert!(!page.html.contains("<img src=x"), "{}", page.file);
    }
    let index = rolebook_web::site::search_index_js(&snap);
    assert!(
        !index.contains("</script>"),
        "the search index cannot close a script"
    );
    let api = get(&approver, "/api/v1/roles/sre-manager").await;
    assert!(
        api.json()["summary"]
            .as_str()
            .expect("summary")
            .contains(payload),
        "the API gives the text as typed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn skills_and_kpis_are_edited_as_forms_and_keep_a_history() {
    use rolebook_edit::schema::{KPI, SKILL};
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    let approver = as_user(&state, "ann@example.org", Role::Approver).await;
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Scale wording")])).await);
    // The framework's levels, families and scale are a form too.
    let framework = get(&editor, "/changes/1/edit/framework/framework").await;
    assert_eq!(framework.status, StatusCode::OK, "{}", framework.body);
    for control in [
        "levels.0.autonomy",
        "levels.0.track",
        "families.0.description",
        "proficiency.4.descriptor",
    ] {
        assert!(
            framework.body.contains(&format!("name=\"{control}\"")),
            "{control}"
        );
    }
    let provider = state.provider();
    let ws = provider.workspace().expect("workspace");
    for (schema, kind, id, field, text) in [
        (
            &SKILL,
            "skill",
            "capacity-planning",
            "levels.3",
            "Forecasts demand for a handful of services from growth data and load tests.",
        ),
        (&KPI, "kpi", "toil-share", "cadence", "fortnightly"),
    ] {
        let editor_url = format!("/changes/1/edit/{kind}/{id}");
        let page = get(&editor, &editor_url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains(&format!("name=\"{field}\"")),
            "{kind} form has {field}"
        );
        let key = Key::new(Kind::parse(kind).expect("kind"), id);
        let (document, _) = ws.entity_in(1, &key).await.expect("entity");
        let current = document
            .expect("present")
            .content
            .text()
            .expect("text")
            .to_string();
        let mut values = read(schema, &current).expect("reads");
        values.set(
            schema
                .fields()
                .find(|f| f.name == field)
                .expect("field")
                .name,
            Value::Text(text.to_string()),
        );
        let mut form = to_form(schema, &values);
        form.push(("base".into(), base_of(&page.body)));
        location(&post_form(&editor, &editor_url, &form).await);
        let (document, _) = ws.entity_in(1, &key).await.expect("entity");
        let saved = document
            .expect("present")
            .content
            .text()
            .expect("text")
            .to_string();
        assert!(saved.contains(text), "{saved}");
        // Only the field changed: the rest of the block is as it was.
        let changed = saved
            .lines()
            .zip(current.lines())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed, 1, "{saved}");
    }
    location(&post_form(&editor, "/changes/1/state", &pairs(&[("to", "in-review")])).await);
    location(&post_form(&approver, "/changes/1/state", &pairs(&[("to", "approved")])).await);
    location(
        &post_form(
            &approver,
            "/changes/1/publish",
            &pairs(&[("message", "Scale wording")]),
        )
        .await,
    );
    for (page, expected) in [
        ("/skills/capacity-planning", "Workspace version 2"),
        ("/skills/capacity-planning/history", "Scale wording"),
        ("/kpis/toil-share", "Workspace version 2"),
        ("/kpis/toil-share/history", "fortnightly"),
    ] {
        let reply = get(&approver, page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(reply.body.contains(expected), "{expected} on {page}");
    }
    assert_eq!(
        get(&approver, "/skills/no-such-skill/history").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn only_editors_are_offered_to_edit() {
    let (state, _dir) = workspace_state().await;
    let viewer = as_user(&state, "vic@example.org", Role::Viewer).await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    let anonymous = rolebook_web::app(state.clone());
    let edit = "/changes/start?edit=role/sre-manager";
    for (who, router) in [("anonymous", &anonymous), ("viewer", &viewer)] {
        for page in [
            "/roles/sre-manager",
            "/skills/observability",
            "/kpis/toil-share",
        ] {
            let reply = get(router, page).await;
            assert_eq!(reply.status, StatusCode::OK, "{who} {page}");
            assert!(
                !reply.body.contains("/changes"),
                "{who} sees no edit control on {page}"
            );
        }
    }
    let role = get(&editor, "/roles/sre-manager").await;
    assert!(
        role.body.contains(&format!("href=\"{edit}\"")),
        "an editor is offered to edit"
    );
    assert!(
        role.body.contains("<a href=\"/changes\""),
        "and the change requests"
    );
    assert!(
        role.header(header::CACHE_CONTROL).contains("private"),
        "a page for editors is private"
    );
    let skill = get(&editor, "/skills/observability").await;
    assert!(
        skill
            .body
            .contains("/changes/start?edit=skill/observability")
    );
    // The anonymous page, rendered after the editor's, is still the
    // public one: each audience has its own cache.
    assert!(
        !get(&anonymous, "/roles/sre-manager")
            .await
            .body
            .contains("/changes")
    );

    // "Edit" offers the open change requests and a new one.
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Earlier work")])).await);
    let start = get(&editor, edit).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert!(
        start
            .body
            .contains("href=\"/changes/1/edit/role/sre-manager\""),
        "{}",
        start.body
    );
    assert!(start.body.contains("value=\"Edit SRE Manager\""));
    assert_eq!(get(&viewer, edit).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn versions_are_compared_and_gone_back_to_through_a_change_request() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    let approver = as_user(&state, "ann@example.org", Role::Approver).await;
    let viewer = as_user(&state, "vic@example.org", Role::Viewer).await;
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Retitle")])).await);
    location(
        &save_role(&editor, &state, 1, "sre-manager", |v| {
            v.set("title", Value::Text("Reliability Team Manager".into()));
        })
        .await,
    );
    location(&post_form(&editor, "/changes/1/state", &pairs(&[("to", "in-review")])).await);
    location(&post_form(&approver, "/changes/1/state", &pairs(&[("to", "approved")])).await);
    location(
        &post_form(
            &approver,
            "/changes/1/publish",
            &pairs(&[("message", "Our title")]),
        )
        .await,
    );

    let list = get(&editor, "/versions").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("Our title"));
    assert!(list.body.contains("/versions/compare?from=1&amp;to=2"));
    let compared = get(&editor, "/versions/compare?from=1&to=2").await;
    assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
    assert!(
        compared.body.contains("1 entity differs"),
        "{}",
        compared.body
    );
    assert!(
        compared
            .body
            .contains("<del>SRE Manager</del> → <ins>Reliability Team Manager</ins>")
    );
    assert_eq!(
        get(&editor, "/versions/compare?from=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&editor, "/versions/compare?from=9").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&viewer, "/versions").await.status,
        StatusCode::FORBIDDEN
    );

    // Going back is a change request, reviewed like any other.
    let back = post_form(&editor, "/versions/1/rollback", &[]).await;
    assert_eq!(location(&back), "/changes/2");
    let review = get(&editor, "/changes/2").await;
    assert!(
        review
            .body
            .contains("<del>Reliability Team Manager</del> → <ins>SRE Manager</ins>"),
        "{}",
        review.body
    );
    let again = post_form(&editor, "/versions/2/rollback", &[]).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing differs from the latest"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lint_findings_are_warnings_beside_the_fields_edited() {
    let (state, _dir) = workspace_state().await;
    let editor = as_user(&state, "ed@example.org", Role::Editor).await;
    location(&post_form(&editor, "/changes", &pairs(&[("title", "Wording")])).await);
    let saved = save_role(&editor, &state, 1, "sre-manager", |v| {
        v.set(
            "purpose",
            Value::Text("Exists so that the guys on call have an owner for reliability.".into()),
        );
    })
    .await;
    let page = get(&editor, &location(&saved)).await;
    let block = field_block(&page.body, "purpose");
    assert!(block.contains("field-problem warning"), "{block}");
    assert!(block.contains("inclusive-language"), "{block}");
    // A warning does not stop publishing; the review page counts it.
    let review = get(&editor, "/changes/1").await;
    assert!(
        review.body.contains("Valid, with 1 warning."),
        "{}",
        review.body
    );
}
