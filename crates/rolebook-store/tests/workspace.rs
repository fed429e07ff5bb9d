//! The workspace on every engine: seeding, change requests from draft to
//! published, conflicts on stale saves, validation that blocks a publish,
//! stale publishes, import and history.

mod common;

use std::collections::BTreeMap;

use common::{engines, seeded};
use rolebook_core::source::{SourceFile, Sources};
use rolebook_store::entity::to_files;
use rolebook_store::{Content, Key, Kind, State, StoreError, Token, Workspace};

fn sre_manager() -> Key {
    Key::new(Kind::Role, "sre-manager")
}

/// The text of `key` in `workspace`'s latest version.
async fn latest_text(workspace: &Workspace, key: &Key) -> String {
    let latest = workspace
        .latest_version()
        .await
        .expect("read")
        .expect("a version");
    let entity = workspace.entity(latest, key).await.expect("entity");
    entity.document.content.text().expect("text").to_string()
}

/// Moves a change request through review to approved.
async fn approve(workspace: &Workspace, id: i64) {
    workspace
        .transition(id, State::InReview, "author", "ready")
        .await
        .expect("submit");
    workspace
        .transition(id, State::Approved, "reviewer", "looks right")
        .await
        .expect("approve");
}

#[tokio::test]
async fn a_workspace_is_seeded_once_and_serves_the_catalog_it_was_given() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        assert_eq!(workspace.latest_version().await.expect("read"), Some(1));
        let (version, loaded) = workspace.load_latest().await.expect("loads");
        assert_eq!(version, 1);
        assert_eq!(loaded.error_count(), 0);
        let builtin = rolebook_core::load(rolebook_core::builtin::sources());
        let catalog = loaded.catalog.expect("catalog");
        let expected = builtin.catalog.expect("built-in");
        assert_eq!(catalog.roles().len(), expected.roles().len());
        assert_eq!(catalog.skills().len(), expected.skills().len());
        assert_eq!(catalog.kpis().len(), expected.kpis().len());
        // Written back as files, the seed is the built-in catalog, byte
        // for byte.
        let files = to_files(&workspace.documents(1).await.expect("documents"));
        for file in rolebook_core::builtin::sources().files() {
            assert_eq!(files[&file.path], file.text.as_bytes(), "{}", file.path);
        }
        let again = workspace
            .init(&rolebook_core::builtin::sources(), "seed", "again")
            .await;
        assert!(
            matches!(again, Err(StoreError::AlreadyInitialised(1))),
            "{again:?}"
        );
        let versions = workspace.versions().await.expect("versions");
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].author, "seed");
        workspace.close().await;
    }
}

#[tokio::test]
async fn a_change_request_goes_from_draft_to_a_new_version() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let request = workspace
            .create_change_request("Tighten the SRE Manager's budget", "", "hr")
            .await
            .expect("created");
        assert_eq!(request.state, State::Draft);
        assert_eq!(request.base_version, 1);
        let key = sre_manager();
        let (document, token) = workspace.entity_in(request.id, &key).await.expect("read");
        assert!(matches!(token, Token::Revision(_)));
        let old = document
            .expect("present")
            .content
            .text()
            .expect("text")
            .to_string();
        let new = old.replace(
            "No operating budget of its own",
            "A tooling budget of its own",
        );
        assert_ne!(old, new);

        let saved = workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(new.clone())),
                &token,
                "hr",
            )
            .await
            .expect("saved");
        assert_eq!(saved, Token::Edit(1));
        // The published version is untouched until publishing.
        assert_eq!(latest_text(&workspace, &key).await, old);

        // A request in draft does not publish.
        let early = workspace.publish(request.id, "hr", "").await;
        assert!(
            matches!(early, Err(StoreError::WrongState { .. })),
            "{early:?}"
        );
        let validation = workspace.validate(request.id).await.expect("validates");
        assert_eq!(validation.errors, 0, "{:#?}", validation.diagnostics);
        let stored = workspace.change_request(request.id).await.expect("read");
        assert_eq!(stored.edits.len(), 1);
        assert_eq!(stored.edits[0].action, "update");
        assert!(stored.validation.is_some(), "the validation is kept");

        approve(&workspace, request.id).await;
        let version = workspace
            .publish(request.id, "hr", "Budget set")
            .await
            .expect("published");
        assert_eq!(version.number, 2);
        assert_eq!(version.message, "Budget set");
        assert_eq!(version.change_request, Some(request.id));
        assert_eq!(latest_text(&workspace, &key).await, new);
        // Version 1 still reads as it was.
        let first = workspace.entity(1, &key).await.expect("v1");
        assert_eq!(first.document.content.text(), Some(old.as_str()));
        let history = workspace.history(&key).await.expect("history");
        let versions: Vec<i64> = history.iter().map(|h| h.version.number).collect();
        assert_eq!(versions, [1, 2]);
        let published = workspace.change_request(request.id).await.expect("read");
        assert_eq!(published.state, State::Published);
        assert_eq!(published.published_version, Some(2));
        // A published request takes no more edits.
        let late = workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(old)),
                &Token::Edit(1),
                "hr",
            )
            .await;
        assert!(
            matches!(late, Err(StoreError::WrongState { .. })),
            "{late:?}"
        );
        workspace.close().await;
    }
}

#[tokio::test]
async fn a_save_from_a_stale_base_is_a_conflict_not_an_overwrite() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let request = workspace
            .create_change_request("Two editors", "", "a")
            .await
            .expect("created");
        let key = sre_manager();
        let (document, token) = workspace.entity_in(request.id, &key).await.expect("read");
        let text = document
            .expect("present")
            .content
            .text()
            .expect("text")
            .to_string();
        let first = text.replacen("runs one site", "runs one (first) site", 1);
        let second = text.replacen("runs one site", "runs one (second) site", 1);
        // Both editors read `token`; the first save wins.
        let saved = workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(first.clone())),
                &token,
                "a",
            )
            .await
            .expect("first");
        let conflict = workspace
            .save(request.id, &key, Some(Content::Text(second)), &token, "b")
            .await;
        match conflict {
            Err(StoreError::Conflict { yours, current, .. }) => {
                assert_eq!(yours, token.to_string());
                assert_eq!(current, saved.to_string());
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        let (kept, now) = workspace.entity_in(request.id, &key).await.expect("read");
        assert_eq!(now, saved);
        assert_eq!(kept.expect("present").content.text(), Some(first.as_str()));

        // Many writers racing from one base: exactly one wins.
        let (_, base) = workspace.entity_in(request.id, &key).await.expect("read");
        let mut tasks = Vec::new();
        for n in 0..6 {
            let workspace = workspace.clone();
            let key = key.clone();
            let base = base.clone();
            let text = text.replacen("runs one site", &format!("runs one ({n}) site"), 1);
            tasks.push(tokio::spawn(async move {
                workspace
                    .save(request.id, &key, Some(Content::Text(text)), &base, "racer")
                    .await
            }));
        }
        let mut wins = 0;
        for task in tasks {
            match task.await.expect("joins") {
                Ok(_) => wins += 1,
                Err(StoreError::Conflict { .. }) => {}
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(wins, 1);
        workspace.close().await;
    }
}

#[tokio::test]
async fn errors_are_located_in_their_entity_and_block_publishing() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let request = workspace
            .create_change_request("Broken", "", "a")
            .await
            .expect("created");
        let key = sre_manager();
        let (document, token) = workspace.entity_in(request.id, &key).await.expect("read");
        let text = document
            .expect("present")
            .content
            .text()
            .expect("text")
            .to_string();
        let broken = text.replacen(
            "skill = \"slo-engineering\"",
            "skill = \"slo-enginering\"",
            1,
        );
        assert_ne!(text, broken);
        workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(broken.clone())),
                &token,
                "a",
            )
            .await
            .expect("saved: a draft may be broken");
        let validation = workspace.validate(request.id).await.expect("validates");
        assert!(validation.errors >= 1);
        let error = validation
            .diagnostics
            .iter()
            .find(|d| d.severity == "error")
            .expect("an error");
        assert_eq!(error.kind.as_deref(), Some("role"));
        assert_eq!(error.id.as_deref(), Some("sre-manager"));
        let line = error.line.expect("a line");
        let written = broken.lines().nth(line - 1).expect("the line exists");
        assert!(written.contains("slo-enginering"), "{written}");
        assert!(
            error
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("slo-engineering"),
            "{error:?}"
        );

        approve(&workspace, request.id).await;
        let refused = workspace.publish(request.id, "a", "").await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
        assert_eq!(workspace.latest_version().await.expect("read"), Some(1));
        workspace.close().await;
    }
}

#[tokio::test]
async fn publishing_over_a_newer_version_of_the_same_entity_is_refused() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let key = sre_manager();
        let mut requests = Vec::new();
        for (title, word) in [("First", "first"), ("Second", "second")] {
            let request = workspace
                .create_change_request(title, "", "a")
                .await
                .expect("created");
            let (document, token) = workspace.entity_in(request.id, &key).await.expect("read");
            let text = document
                .expect("present")
                .content
                .text()
                .expect("text")
                .to_string();
            let changed = text.replacen("runs one site", &format!("runs one ({word}) site"), 1);
            workspace
                .save(request.id, &key, Some(Content::Text(changed)), &token, "a")
                .await
                .expect("saved");
            approve(&workspace, request.id).await;
            requests.push(request.id);
        }
        workspace
            .publish(requests[0], "a", "")
            .await
            .expect("first publishes");
        let stale = workspace.publish(requests[1], "a", "").await;
        match stale {
            Err(StoreError::Stale(keys)) => assert_eq!(keys, std::slice::from_ref(&key)),
            other => panic!("expected stale, got {other:?}"),
        }
        assert!(latest_text(&workspace, &key).await.contains("(first)"));
        workspace.close().await;
    }
}

#[tokio::test]
async fn importing_a_directory_makes_one_edit_per_changed_entity() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let mut files: BTreeMap<String, String> = rolebook_core::builtin::sources()
            .files()
            .iter()
            .map(|f| (f.path.clone(), f.text.to_string()))
            .collect();
        // One role changed, one removed (with the references to it), one
        // skill added.
        let manager = files["roles/sre-manager.toml"].replacen(
            "runs one site",
            "runs one (imported) site",
            1,
        );
        files.insert("roles/sre-manager.toml".into(), manager);
        files.insert(
            "skills/extra.toml".into(),
            "[[skills]]\nid = \"extra-skill\"\nname = \"Extra\"\ncategory = \"domain\"\ndescription = \"An extra skill.\"\n\n[skills.levels]\n1 = \"a\"\n2 = \"b\"\n3 = \"c\"\n4 = \"d\"\n5 = \"e\"\n".into(),
        );
        let sources = Sources::new(
            files
                .iter()
                .map(|(p, t)| SourceFile::new(p.clone(), t.clone())),
        );
        let imported = workspace
            .import(&sources, "From git", "importer")
            .await
            .expect("imported");
        assert_eq!(
            (imported.created, imported.updated, imported.deleted),
            (1, 1, 0)
        );
        let request = imported.change_request;
        let actions: Vec<(&str, &str)> = request.edits.iter().map(|e| (e.kind, e.action)).collect();
        assert_eq!(actions, [("role", "update"), ("skill", "create")]);
        // The same directory again: nothing to change.
        let as_files = to_files(&workspace.documents(1).await.expect("v1"));
        let same =
            Sources::new(as_files.into_iter().map(|(path, bytes)| {
                SourceFile::new(path, String::from_utf8(bytes).expect("text"))
            }));
        let noop = workspace
            .import(&same, "Nothing", "importer")
            .await
            .expect("imported");
        assert_eq!((noop.created, noop.updated, noop.deleted), (0, 0, 0));
        workspace.close().await;
    }
}

/// Saves `text` as `key` in a new change request and publishes it.
async fn publish_text(workspace: &Workspace, key: &Key, text: &str) -> i64 {
    let request = workspace
        .create_change_request("An edit", "", "hr")
        .await
        .expect("created");
    let (_, token) = workspace.entity_in(request.id, key).await.expect("read");
    workspace
        .save(
            request.id,
            key,
            Some(Content::Text(text.to_string())),
            &token,
            "hr",
        )
        .await
        .expect("saved");
    approve(workspace, request.id).await;
    workspace
        .publish(request.id, "hr", "")
        .await
        .expect("published")
        .number
}

#[tokio::test]
async fn rolling_back_is_a_change_request_that_restores_an_old_version() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let key = sre_manager();
        let original = latest_text(&workspace, &key).await;
        let changed = original.replace(
            "No operating budget of its own",
            "A tooling budget of its own",
        );
        assert_eq!(publish_text(&workspace, &key, &changed).await, 2);

        // One entity back to version 1: a change request to review.
        let rolled = workspace
            .roll_back(1, Some(&key), "hr")
            .await
            .expect("rolled back");
        assert_eq!((rolled.created, rolled.updated, rolled.deleted), (0, 1, 0));
        let request = rolled.change_request;
        assert_eq!(request.title, "Roll role/sre-manager back to version 1");
        assert_eq!(request.state, State::Draft);
        assert_eq!(
            latest_text(&workspace, &key).await,
            changed,
            "not before publishing"
        );
        approve(&workspace, request.id).await;
        let version = workspace
            .publish(request.id, "hr", "")
            .await
            .expect("published");
        assert_eq!(version.number, 3);
        assert_eq!(latest_text(&workspace, &key).await, original);

        // Nothing differs now: refused, and no change request is left.
        let again = workspace.roll_back(1, None, "hr").await;
        assert!(matches!(again, Err(StoreError::BadEdit(_))), "{again:?}");
        let open = workspace.change_requests(None).await.expect("list");
        assert!(open.iter().all(|r| r.id <= request.id), "{open:?}");

        // The whole catalog back to version 2: the role's text changes
        // back, and an entity created since is deleted.
        let skill = Key::new(Kind::Skill, "made-up-skill");
        let request = workspace
            .create_change_request("A new skill", "", "hr")
            .await
            .expect("created");
        // The published ones wait for nobody.
        let pending = workspace.pending_change_requests().await.expect("pending");
        let pending: Vec<i64> = pending.iter().map(|r| r.id).collect();
        assert_eq!(pending, [request.id]);
        let (_, token) = workspace.entity_in(request.id, &skill).await.expect("read");
        let some_skill = workspace
            .documents(1)
            .await
            .expect("documents")
            .into_iter()
            .find(|d| d.key.kind == Kind::Skill)
            .expect("a skill");
        let text = some_skill.content.text().expect("text").replace(
            &format!("id = \"{}\"", some_skill.key.id),
            "id = \"made-up-skill\"",
        );
        workspace
            .save(request.id, &skill, Some(Content::Text(text)), &token, "hr")
            .await
            .expect("saved");
        approve(&workspace, request.id).await;
        workspace
            .publish(request.id, "hr", "")
            .await
            .expect("published");
        let whole = workspace
            .roll_back(2, None, "hr")
            .await
            .expect("rolled back");
        assert_eq!((whole.created, whole.updated, whole.deleted), (0, 1, 1));
        assert_eq!(
            whole.change_request.title,
            "Roll the catalog back to version 2"
        );
        let nobody = Key::new(Kind::Role, "no-such-role");
        let missing = workspace.roll_back(1, Some(&nobody), "hr").await;
        assert!(
            matches!(missing, Err(StoreError::NoSuchEntity(_))),
            "{missing:?}"
        );
        let unknown = workspace.roll_back(99, None, "hr").await;
        assert!(
            matches!(unknown, Err(StoreError::NoSuchVersion(99))),
            "{unknown:?}"
        );
        workspace.close().await;
    }
}

#[tokio::test]
async fn texts_with_control_characters_are_refused() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        for (title, description) in [
            ("a\u{1b}[31mred", ""),
            ("two\nlines", ""),
            ("fine", "a\u{0}b"),
        ] {
            let refused = workspace
                .create_change_request(title, description, "hr")
                .await;
            assert!(
                matches!(refused, Err(StoreError::BadEdit(_))),
                "{title:?}: {refused:?}"
            );
        }
        let request = workspace
            .create_change_request("A title", "Two\nlines\tand a tab are fine", "hr")
            .await
            .expect("created");
        let note = workspace
            .transition(request.id, State::InReview, "hr", "\u{7}beep")
            .await;
        assert!(matches!(note, Err(StoreError::BadEdit(_))), "{note:?}");
        workspace.close().await;
    }
}

/// The audit log's entries, oldest first: (actor, action, object, address,
/// detail).
async fn audit_log(workspace: &Workspace) -> Vec<(String, String, String, String, String)> {
    use sqlx::Row;
    sqlx::query("SELECT actor, action, object, address, detail FROM audit_log ORDER BY id")
        .fetch_all(workspace.db().pool())
        .await
        .expect("reads")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)))
        .collect()
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_exactly_when_it_is_made() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let seeded_log = audit_log(&workspace).await;
        assert_eq!(seeded_log.len(), 1);
        assert_eq!(seeded_log[0].1, "workspace-initialised");

        let from_the_web = rolebook_store::Actor {
            name: "ana@example.org".into(),
            audit_as: "ana@example.org".into(),
            request_id: "r-1".into(),
            address: "192.0.2.7".into(),
            token: Some(3),
        };
        let request = workspace
            .create_change_request("Smaller team", "", &from_the_web)
            .await
            .expect("opens");
        let key = sre_manager();
        let (entity, base) = workspace.entity_in(request.id, &key).await.expect("reads");
        let text = entity
            .expect("the role")
            .content
            .text()
            .expect("text")
            .replace("SRE Manager", "Reliability Lead");
        let saved = workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(text.clone())),
                &base,
                &from_the_web,
            )
            .await
            .expect("saves");
        // A refused save (a stale base) changes nothing and records nothing.
        let refused = workspace
            .save(
                request.id,
                &key,
                Some(Content::Text(text)),
                &base,
                &from_the_web,
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Conflict { .. })));
        workspace
            .discard(request.id, &key, &saved, &from_the_web)
            .await
            .expect("drops");
        workspace
            .transition(request.id, State::Withdrawn, "bo@example.org", "not now")
            .await
            .expect("withdraws");

        let log = audit_log(&workspace).await;
        let actions: Vec<&str> = log[1..].iter().map(|e| e.1.as_str()).collect();
        assert_eq!(
            actions,
            [
                "change-request-opened",
                "entity-saved",
                "edit-dropped",
                "change-request-moved"
            ]
        );
        let object = format!("change-request:{}", request.id);
        let saved_entry = &log[2];
        assert_eq!(saved_entry.0, "ana@example.org");
        assert_eq!(saved_entry.2, object);
        assert_eq!(saved_entry.3, "192.0.2.7");
        assert_eq!(saved_entry.4, "role/sre-manager (with token:3)");
        assert_eq!(log[4].0, "bo@example.org");
        assert_eq!(log[4].3, "local");
    }
}
