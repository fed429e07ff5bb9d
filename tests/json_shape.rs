//! One JSON shape per thing: `rolebook show --format json`, `rolebook
//! export --format json` and `GET /api/v1/roles/{id}` from a real `serve`
//! give the same document for every built-in role, and `next`, `path` and
//! `diff --format json` the same moves, paths and diffs as the API.

mod common;

use common::{Served, rolebook};
use serde_json::Value;

/// A `rolebook serve` on a fresh workspace (as a first start makes it in
/// its working directory), stopped when dropped.
struct Server {
    served: Served,
    _data: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let data = tempfile::tempdir().expect("tempdir");
        Server {
            served: Served::start(&[], data.path()),
            _data: data,
        }
    }

    fn get_json(&self, path: &str) -> Value {
        serde_json::from_str(&self.served.get(path)).expect("JSON body")
    }
}

fn cli_json(args: &[&str]) -> Value {
    let output = rolebook().args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}: {output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn cli_export_and_api_give_the_same_role_json() {
    let list = cli_json(&["list", "--format", "json"]);
    let ids: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| row["id"].as_str().expect("id"))
        .collect();
    assert!(ids.len() >= 29, "{}", ids.len());
    let server = Server::start();
    for id in ids {
        let shown = cli_json(&["show", id, "--format", "json"]);
        let exported = cli_json(&["export", id, "--format", "json"]);
        let served = server.get_json(&format!("/api/v1/roles/{id}"));
        assert_eq!(shown["format"], "rolebook-role/2", "{id}");
        assert_eq!(shown, served, "{id}: show and the API differ");
        assert_eq!(exported, served, "{id}: export and the API differ");
    }
}

#[test]
fn cli_and_api_give_the_same_career_moves_paths_and_diffs() {
    let server = Server::start();
    for id in ["sre-manager", "head-of-it", "chief-technology-officer"] {
        assert_eq!(
            cli_json(&["next", id, "--format", "json"]),
            server.get_json(&format!("/api/v1/career/{id}")),
            "{id}: next and the API differ"
        );
    }
    assert_eq!(
        cli_json(&[
            "path",
            "sre-manager",
            "chief-technology-officer",
            "--k",
            "4",
            "--format",
            "json"
        ]),
        server.get_json("/api/v1/career/sre-manager/paths?to=chief-technology-officer&k=4"),
        "path and the API differ"
    );
    let compared = server.get_json("/api/v1/compare?roles=sre-manager,sre-director");
    assert_eq!(
        cli_json(&["diff", "sre-manager", "sre-director", "--format", "json"]),
        compared["diffs"][0],
        "diff and the API differ"
    );
}
