//! Comments and the timeline of a change request, on both engines.

mod common;

use common::{engines, seeded};
use rolebook_store::{Key, Kind, State, Step, StoreError};

#[tokio::test]
async fn comments_and_moves_make_one_timeline() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let request = workspace
            .create_change_request("Tighten SRE targets", "", "ed@example.com")
            .await
            .expect("opened");
        let key = Key::new(Kind::Role, "sre-manager");
        workspace
            .comment(request.id, None, "  Why now?  ", "ann@example.com")
            .await
            .expect("commented");
        workspace
            .transition(request.id, State::InReview, "ed@example.com", "ready")
            .await
            .expect("moved");
        let on_field = workspace
            .comment(
                request.id,
                Some((&key, "kpis.4.target")),
                "45 minutes is tight.",
                "ann@example.com",
            )
            .await
            .expect("commented on a field");
        assert_eq!(
            on_field.on.as_ref().map(|t| t.field.as_str()),
            Some("kpis.4.target")
        );

        let steps = workspace.timeline(request.id).await.expect("timeline");
        let summary: Vec<String> = steps
            .iter()
            .map(|step| match step {
                Step::Comment(c) => format!(
                    "{} said {:?} on {:?}",
                    c.author,
                    c.body,
                    c.on.as_ref()
                        .map(|t| format!("{}/{} {}", t.kind, t.id, t.field))
                ),
                Step::Moved(m) => {
                    format!("{} moved {:?} to {} ({})", m.actor, m.from, m.to, m.note)
                }
            })
            .collect();
        assert_eq!(
            summary,
            [
                "ed@example.com moved None to draft ()".to_string(),
                "ann@example.com said \"Why now?\" on None".to_string(),
                "ed@example.com moved Some(\"draft\") to in-review (ready)".to_string(),
                "ann@example.com said \"45 minutes is tight.\" on Some(\"role/sre-manager kpis.4.target\")".to_string(),
            ]
        );
        workspace.close().await;
    }
}

#[tokio::test]
async fn a_bad_comment_is_refused_and_kept_out() {
    for scratch in engines().await {
        let workspace = seeded(&scratch).await;
        let request = workspace
            .create_change_request("Edit", "", "ed@example.com")
            .await
            .expect("opened");
        let key = Key::new(Kind::Role, "sre-manager");
        for (on, body) in [
            (None, "   "),
            (None, "bell \u{7}"),
            (Some((&key, "skills.3.level\"><script>")), "fine"),
        ] {
            let refused = workspace
                .comment(request.id, on, body, "ann@example.com")
                .await;
            assert!(
                matches!(refused, Err(StoreError::BadEdit(_))),
                "{refused:?}"
            );
        }
        let long = "x".repeat(rolebook_store::review::MAX_COMMENT_CHARS + 1);
        assert!(
            workspace
                .comment(request.id, None, &long, "ann")
                .await
                .is_err()
        );
        let missing = workspace.comment(999, None, "hello", "ann").await;
        assert!(
            matches!(missing, Err(StoreError::NoSuchChangeRequest(999))),
            "{missing:?}"
        );
        let steps = workspace.timeline(request.id).await.expect("timeline");
        assert!(
            steps.iter().all(|s| matches!(s, Step::Moved(_))),
            "{steps:?}"
        );
        workspace.close().await;
    }
}
