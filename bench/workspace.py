#!/usr/bin/env python3
"""Benchmark the workspace: saves, validation and publishes through the
JSON API of a real `rolebook serve`, `workspace init`, and role pages
served from a workspace against the same pages from catalog files, all in
one run so the figures can be read as ratios.

    bench/workspace.py [--roles 3000] [--postgres URL] [--saves 200]

Needs the release binary (cargo build --release) and, for the role page
comparison, wrk. With --postgres, every workspace figure is measured on
SQLite and on a fresh database on that PostgreSQL server side by side.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "rolebook")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


class Server:
    def __init__(self, args, cwd):
        self.port = free_port()
        env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [BIN, *args, "serve", "--addr", f"127.0.0.1:{self.port}"],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while True:
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.1)

    def call(self, method, path, body=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, (json.loads(data) if data[:1] in (b"{", b"[") else data)

    def get(self, path):
        return self.call("GET", path)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def user_token(database, email, role, cwd, env):
    """A user of `role` (no password) and an API token of scope write."""
    subprocess.run([BIN, "--database", database, "user", "add", email, "--role", role, "--no-password"],
                   check=True, cwd=cwd, env=env, capture_output=True)
    made = subprocess.run([BIN, "--database", database, "token", "create", email, "--name", "bench", "--scope", "write"],
                          check=True, cwd=cwd, env=env, capture_output=True, text=True)
    return made.stdout.strip()


def workspace_figures(label, database, catalog_dir, saves, cwd):
    """init, then saves (with and without validation) and publishes, as an
    editor's and an approver's API tokens would."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    init = [BIN, "--database", database, "workspace", "init"] + (["--from", catalog_dir] if catalog_dir else [])
    init_ms, _ = timed(lambda: subprocess.run(init, check=True, cwd=cwd, env=env, capture_output=True))
    editor = user_token(database, "editor@example.org", "editor", cwd, env)
    approver = user_token(database, "approver@example.org", "approver", cwd, env)
    server = Server(["--database", database], cwd)
    try:
        status, request = server.call("POST", "/api/v1/workspace/change-requests", {"title": "Bench"}, editor)
        assert status == 201, request
        path = f"/api/v1/workspace/change-requests/{request['id']}/entities/role/"
        _, roles = server.get("/api/v1/roles")
        role = roles["roles"][0]["id"] if isinstance(roles, dict) and "roles" in roles else "sre-manager"
        status, entity = server.call("GET", path + role, token=editor)
        assert status == 200, entity
        token, content = entity["token"], entity["content"]
        save_ms, save_validate_ms = [], []
        for n in range(saves):
            body = {"content": f"{content}\n# bench {n}\n", "base": token}
            ms, (status, saved) = timed(lambda: server.call("PUT", path + role, body, editor))
            assert status == 200, saved
            token = saved["token"]
            save_ms.append(ms)
            if n % 4 == 0:
                vms, (status, _) = timed(lambda: server.call("POST", f"/api/v1/workspace/change-requests/{request['id']}/validate", None, editor))
                assert status == 200
                save_validate_ms.append(ms + vms)
        for to, token in (("in-review", editor), ("approved", approver)):
            server.call("POST", f"/api/v1/workspace/change-requests/{request['id']}/transition", {"to": to}, token)
        publish_ms, (status, version) = timed(lambda: server.call("POST", f"/api/v1/workspace/change-requests/{request['id']}/publish", {"message": "Bench"}, approver))
        assert status == 200, version
    finally:
        server.stop()
    return {
        "label": label,
        "init_ms": init_ms,
        "save_p50": percentile(save_ms, 50), "save_p99": percentile(save_ms, 99),
        "save_validate_p50": percentile(save_validate_ms, 50), "save_validate_p99": percentile(save_validate_ms, 99),
        "publish_ms": publish_ms,
    }


def fresh_postgres(url):
    name = "rolebook_bench_" + uuid.uuid4().hex[:8]
    base, _, _ = url.rpartition("/")
    subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return f"{base}/{name}"


def wrk(port, path, seconds, header=None):
    extra = ["-H", header] if header else []
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", *extra, f"http://127.0.0.1:{port}{path}"],
                         check=True, capture_output=True, text=True).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    p99 = next(l for l in out.splitlines() if l.strip().startswith("99%")).split()[1]
    return rps, p99


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--roles", type=int, default=3000)
    parser.add_argument("--postgres")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit("build the release binary first: cargo build --release")
    work = tempfile.mkdtemp()
    try:
        generated = os.path.join(work, "generated")
        subprocess.run(["cargo", "run", "--release", "--quiet", "-p", "rolebook-core", "--example",
                        "generate_catalog", "--", generated, str(args.roles)], check=True, cwd=ROOT)
        # The baseline for "save + validate": a full load and validation of
        # the same catalogs, which is what each validation cost before the
        # workspace kept its parses between validations.
        full_ms = {}
        for catalog, name in [(None, "built-in (29 roles)"), (generated, f"generated ({args.roles} roles)")]:
            runs = [timed(lambda: subprocess.run([BIN, "validate"] + ([catalog] if catalog else []),
                                                  check=True, capture_output=True, cwd=work))[0]
                    for _ in range(5)]
            full_ms[name] = statistics.median(runs)
        rows = []
        for engine in ["sqlite"] + (["postgres"] if args.postgres else []):
            for catalog, name in [(None, "built-in (29 roles)"), (generated, f"generated ({args.roles} roles)")]:
                database = (os.path.join(work, f"{uuid.uuid4().hex}.db") if engine == "sqlite"
                            else fresh_postgres(args.postgres))
                row = workspace_figures(f"{engine}, {name}", database, catalog, args.saves, work)
                row["full_ms"] = full_ms[name]
                rows.append(row)
        print("| workspace | init | save p50 / p99 | save + validate p50 / p99 | full `rolebook validate` (baseline) | publish |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['label']} | {r['init_ms']:.0f} ms | {r['save_p50']:.1f} / {r['save_p99']:.1f} ms"
                  f" | {r['save_validate_p50']:.0f} / {r['save_validate_p99']:.0f} ms | {r['full_ms']:.0f} ms"
                  f" | {r['publish_ms']:.0f} ms |")

        if shutil.which("wrk"):
            files = Server(["--catalog", os.path.join(ROOT, "catalog")], work)
            workspace = Server(["--database", os.path.join(work, "pages.db")], work)
            try:
                page = "/roles/sre-manager"
                files.get(page), workspace.get(page)
                # Interleaved rounds: this machine's speed drifts over a
                # run, and each server gets its share of early and late.
                f_runs, w_runs = [], []
                for _ in range(3):
                    f_runs.append(wrk(files.port, page, args.seconds))
                    w_runs.append(wrk(workspace.port, page, args.seconds))
            finally:
                files.stop()
                workspace.stop()
            f_rps = statistics.mean(r for r, _ in f_runs)
            w_rps = statistics.mean(r for r, _ in w_runs)
            print()
            print("| role page (mean of 3 interleaved rounds) | requests/s | p99 of last round | ratio |")
            print("|---|---|---|---|")
            print(f"| --catalog DIR | {f_rps:.0f} | {f_runs[-1][1]} | 1.00 |")
            print(f"| workspace | {w_rps:.0f} | {w_runs[-1][1]} | {w_rps / f_rps:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
