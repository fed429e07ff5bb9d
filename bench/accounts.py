#!/usr/bin/env python3
"""Benchmark what accounts cost, all in one run so the figures read as
ratios:

- signing in (argon2id at the chosen cost, then a session) against
  fetching the sign-in page, over HTTP;
- a published role page for an anonymous visitor and for a signed-in
  viewer (with their session cookie) from a workspace, against the same
  page from catalog files (`--catalog`, which has no accounts), with wrk;
  the three servers are measured in interleaved rounds;
- an API write with its audit entry (a change request's save) against the
  same server's read of the entity it saves.

    bench/accounts.py [--rounds 3] [--seconds 5] [--signins 20]

Needs the release binary (cargo build --release) and wrk.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workspace import BIN, Server, percentile, timed, wrk  # noqa: E402

PASSWORD = "a long enough bench passphrase"
PAGE = "/roles/sre-manager"


def cli(database, args, stdin="", cwd=None):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return subprocess.run([BIN, "--database", database, *args], input=stdin, check=True,
                          capture_output=True, text=True, cwd=cwd, env=env).stdout


def sign_in(server, email):
    """POST /sign-in; returns (milliseconds, session cookie)."""
    import http.client
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD})
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/sign-in", body=form,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    ms = (time.perf_counter() - start) * 1000
    assert response.status == 303, response.status
    cookie = response.getheader("Set-Cookie").split(";")[0]
    conn.close()
    return ms, cookie


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--signins", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="rolebook-bench-accounts-")
    try:
        database = os.path.join(work, "workspace.db")
        cli(database, ["workspace", "init"], cwd=work)
        cli(database, ["user", "add", "viewer@example.org", "--role", "viewer"], PASSWORD + "\n", work)
        cli(database, ["user", "add", "editor@example.org", "--role", "editor", "--no-password"], cwd=work)
        editor = cli(database, ["token", "create", "editor@example.org", "--name", "bench", "--scope", "write"],
                     cwd=work).strip()
        catalog = os.path.join(work, "catalog")
        cli(database, ["workspace", "export", catalog], cwd=work)
        workspace = Server(["--database", database], work)
        files = Server(["--catalog", catalog], work)
        try:
            # Signing in, against the sign-in page.
            signin_ms, page_ms = [], []
            for _ in range(args.signins):
                ms, cookie = sign_in(workspace, "viewer@example.org")
                signin_ms.append(ms)
                page_ms.append(timed(lambda: workspace.get("/sign-in"))[0])
            print("| sign-in | p50 | p99 | sign-in page p50 (baseline) |")
            print("|---|---|---|---|")
            print(f"| POST /sign-in (argon2id 46 MiB, t=2) | {percentile(signin_ms, 50):.0f} ms | "
                  f"{percentile(signin_ms, 99):.0f} ms | {percentile(page_ms, 50):.2f} ms |")

            # Role pages: files (baseline), anonymous, signed-in viewer.
            for server in (workspace, files):
                assert server.get(PAGE)[0] == 200
            runs = {"files": [], "anonymous": [], "viewer": []}
            for _ in range(args.rounds):
                runs["files"].append(wrk(files.port, PAGE, args.seconds))
                runs["anonymous"].append(wrk(workspace.port, PAGE, args.seconds))
                runs["viewer"].append(wrk(workspace.port, PAGE, args.seconds, f"Cookie: {cookie}"))
            base = statistics.mean(r for r, _ in runs["files"])
            print()
            print("| role page (wrk -c64, mean of interleaved rounds) | requests/s | last p99 | ratio |")
            print("|---|---|---|---|")
            for label, key in (("`--catalog DIR` (baseline)", "files"), ("workspace, anonymous", "anonymous"),
                               ("workspace, signed-in viewer", "viewer")):
                rps = statistics.mean(r for r, _ in runs[key])
                print(f"| {label} | {rps:.0f} | {runs[key][-1][1]} | {rps / base:.2f} |")

            # An audited API write against a read of the same entity.
            status, request = workspace.call("POST", "/api/v1/workspace/change-requests", {"title": "Bench"}, editor)
            assert status == 201, request
            path = f"/api/v1/workspace/change-requests/{request['id']}/entities/role/sre-manager"
            read_ms, write_ms = [], []
            status, entity = workspace.call("GET", path, token=editor)
            token, content = entity["token"], entity["content"]
            for n in range(100):
                ms, (status, entity) = timed(lambda: workspace.call("GET", path, token=editor))
                read_ms.append(ms)
                body = {"content": f"{content}\n# bench {n}\n", "base": token}
                ms, (status, saved) = timed(lambda: workspace.call("PUT", path, body, editor))
                assert status == 200, saved
                token = saved["token"]
                write_ms.append(ms)
            print()
            print("| API, editor's token | p50 | p99 |")
            print("|---|---|---|")
            print(f"| GET the entity (baseline) | {percentile(read_ms, 50):.1f} ms | {percentile(read_ms, 99):.1f} ms |")
            print(f"| PUT the entity (save + audit entry, synchronous = FULL) | {percentile(write_ms, 50):.1f} ms | "
                  f"{percentile(write_ms, 99):.1f} ms |")
        finally:
            workspace.stop()
            files.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
