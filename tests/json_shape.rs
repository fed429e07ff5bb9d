//! One JSON shape per thing: `rolebook show --format json`, `rolebook
//! export --format json` and `GET /api/v1/roles/{id}` from a real `serve`
//! give the same document for every built-in role, and `next`, `path` and
//! `diff --format json` the same moves, paths and diffs as the API.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use common::rolebook;
use serde_json::Value;

/// A `rolebook serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The server's working directory, where it keeps its workspace.
    _data: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        // A fresh workspace, as a first start makes it.
        let data = tempfile::tempdir().expect("tempdir");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .current_dir(data.path())
            .env_remove("ROLEBOOK_CATALOG")
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let mut lines = BufReader::new(stderr).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve logs where it listens")
                .expect("log line");
            if let Some(rest) = line.split("serving on http://").nth(1) {
                break rest.split('/').next().unwrap_or(rest).to_string();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            child,
            addr,
            _data: data,
        }
    }

    fn get_json(&self, path: &str) -> Value {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        let (head, body) = response.split_once("\r\n\r\n").expect("headers end");
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
        serde_json::from_str(body).expect("JSON body")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
