//! Backups of a live SQLite workspace: taken during a burst of saves and
//! publishes, each is a consistent copy (it passes the integrity check, its
//! latest version loads and validates, and every version in it matches the
//! workspace's), and restoring refuses to replace a newer workspace unless
//! forced.

mod common;

use rolebook_store::backup::{inspect, restore};
use rolebook_store::{Content, Key, Kind, Location, State, StoreError, Workspace};

/// Publishes one change to the SRE Manager's summary; returns the version.
async fn publish_one(workspace: &Workspace, n: usize) -> i64 {
    let key = Key::new(Kind::Role, "sre-manager");
    let request = workspace
        .create_change_request(&format!("Change {n}"), "", "writer")
        .await
        .expect("created");
    let (document, token) = workspace.entity_in(request.id, &key).await.expect("read");
    let text = document
        .expect("present")
        .content
        .text()
        .expect("text")
        .to_string();
    let marker = format!("runs one (edit {n}) site");
    let changed = match text.find("runs one (edit ") {
        Some(start) => {
            let end = text[start..].find(" site").expect("marker end") + start + 5;
            format!("{}{marker}{}", &text[..start], &text[end..])
        }
        None => text.replacen("runs one site", &marker, 1),
    };
    workspace
        .save(
            request.id,
            &key,
            Some(Content::Text(changed)),
            &token,
            "writer",
        )
        .await
        .expect("saved");
    workspace
        .transition(request.id, State::InReview, "writer", "")
        .await
        .expect("submit");
    workspace
        .transition(request.id, State::Approved, "reviewer", "")
        .await
        .expect("approve");
    workspace
        .publish(request.id, "writer", "")
        .await
        .expect("published")
        .number
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_during_a_burst_of_writes_is_consistent_and_restores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let location = Location::SqliteFile(dir.path().join("workspace.db"));
    let workspace = Workspace::open(&location).await.expect("opens");
    workspace
        .init(&rolebook_core::builtin::sources(), "seed", "Seed")
        .await
        .expect("init");

    let writer = {
        let workspace = workspace.clone();
        tokio::spawn(async move {
            let mut last = 1;
            for n in 0..12 {
                last = publish_one(&workspace, n).await;
            }
            last
        })
    };
    let mut backups = Vec::new();
    for n in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
        let path = dir.path().join(format!("backup-{n}.db"));
        let info = workspace.backup(&path).await.expect("backed up");
        backups.push((path, info.latest.expect("a version").number));
    }
    let last = writer.await.expect("writer");
    assert_eq!(last, 13);

    for (path, version) in &backups {
        assert!(*version >= 1 && *version <= last, "{version}");
        // Restored to a new place, the copy opens, loads and validates,
        // and its versions are the workspace's.
        let target = Location::SqliteFile(dir.path().join(format!("restored-{version}.db")));
        let restored = restore(path, &target, false).await.expect("restores");
        assert_eq!(restored.latest.expect("a version").number, *version);
        let copy = Workspace::open(&target).await.expect("opens");
        let (latest, loaded) = copy.load_latest().await.expect("loads");
        assert_eq!(latest, *version);
        assert_eq!(loaded.error_count(), 0);
        for number in 1..=*version {
            assert_eq!(
                copy.documents(number).await.expect("copy"),
                workspace.documents(number).await.expect("original"),
                "version {number}"
            );
        }
        copy.close().await;
    }

    // Restoring an older backup over the newer workspace is refused, and
    // allowed with force (once nothing has the file open).
    let (oldest, version) = &backups[0];
    workspace.close().await;
    let refused = restore(oldest, &location, false).await;
    assert!(
        matches!(&refused, Err(StoreError::Location(message)) if message.contains("--force")),
        "{refused:?}"
    );
    assert_eq!(
        inspect(location.sqlite_file().expect("file"))
            .await
            .expect("intact")
            .latest
            .expect("v")
            .number,
        last
    );
    restore(oldest, &location, true).await.expect("forced");
    let reopened = Workspace::open(&location).await.expect("opens");
    assert_eq!(
        reopened.latest_version().await.expect("read"),
        Some(*version)
    );
    reopened.close().await;

    // Not a workspace: a clear error, nothing replaced.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").expect("write");
    let error = restore(&junk, &location, true).await.expect_err("refused");
    assert!(error.to_string().contains("junk.db"), "{error}");
}
