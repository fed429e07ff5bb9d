#!/usr/bin/env python3
"""Benchmark the browser's editor, all in one run so the figures read as
ratios, on the built-in catalog and on a generated one of N roles:

- rendering a role's edit form (GET /changes/1/edit/role/ID), against the
  same server's published role page (cached) and its API read of the
  entity;
- saving the form as a browser posts it (every field; the title changed
  each time), which validates the whole catalog with the change request
  applied before it answers;
- publishing (an approver's POST /changes/1/publish), against a full
  `rolebook validate` of the same catalog;
- the published role page for an anonymous visitor from the workspace,
  against the same page from catalog files (`--catalog`), with wrk, in
  interleaved rounds.

    bench/editor.py [--roles 3000] [--saves 60] [--rounds 3] [--seconds 5]

Needs the release binary (cargo build --release) and, for the last table,
wrk.
"""

import argparse
import html.parser
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workspace import BIN, ROOT, Server, percentile, timed, user_token, wrk  # noqa: E402


class FormFields(html.parser.HTMLParser):
    """The fields a browser sends for `form#editor-form`: inputs, text
    boxes and each select's selected option."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.inside = False
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "editor-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            self.fields.append([a["name"], a.get("value", "")])
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append([self.select, a.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # The parser keeps the line break after <textarea>; a browser drops it.
            name, text = self.textarea
            self.fields.append([name, text[1:] if text.startswith("\n") else text])
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def form_of(page_html):
    parser = FormFields()
    parser.feed(page_html)
    parser.close()
    return parser.fields


def post_form(server, path, fields, token):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    conn.request("POST", path, body=urllib.parse.urlencode([tuple(f) for f in fields]),
                 headers={"Content-Type": "application/x-www-form-urlencoded",
                          "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def get_as(server, path, token):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, body


def figures(label, database, catalog_dir, saves, cwd):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    init = [BIN, "--database", database, "workspace", "init"] + (["--from", catalog_dir] if catalog_dir else [])
    subprocess.run(init, check=True, cwd=cwd, env=env, capture_output=True)
    editor = user_token(database, "editor@example.org", "editor", cwd, env)
    approver = user_token(database, "approver@example.org", "approver", cwd, env)
    server = Server(["--database", database], cwd)
    try:
        assert post_form(server, "/changes", [["title", "Bench"]], editor) == 303
        role = "sre-manager"
        page = f"/roles/{role}"
        editor_path = f"/changes/1/edit/role/{role}"
        render_ms, save_ms, page_ms, api_ms = [], [], [], []
        for n in range(saves):
            page_ms.append(timed(lambda: server.get(page))[0])
            api_ms.append(timed(lambda: get_as(server, f"/api/v1/workspace/change-requests/1/entities/role/{role}", editor))[0])
            ms, (status, body) = timed(lambda: get_as(server, editor_path, editor))
            assert status == 200, body[:500]
            render_ms.append(ms)
            fields = [f for f in form_of(body) if f[0] != "op"]
            for field in fields:
                if field[0] == "title":
                    field[1] = f"SRE Manager {n}"
            ms, status = timed(lambda: post_form(server, editor_path, fields + [["op", "save"]], editor))
            assert status == 303, status
            save_ms.append(ms)
        assert post_form(server, "/changes/1/state", [["to", "in-review"]], editor) == 303
        assert post_form(server, "/changes/1/state", [["to", "approved"]], approver) == 303
        publish_ms, status = timed(lambda: post_form(server, "/changes/1/publish", [["message", "Bench"]], approver))
        assert status == 303, status
        status, body = get_as(server, "/changes/1", approver)
        assert "Published as version 2" in body
    finally:
        server.stop()
    validate = [BIN, "validate"] + ([catalog_dir] if catalog_dir else [])
    full = statistics.median(timed(lambda: subprocess.run(validate, check=True, capture_output=True, cwd=cwd))[0]
                             for _ in range(5))
    return {
        "label": label,
        "page": percentile(page_ms, 50), "api": percentile(api_ms, 50),
        "render50": percentile(render_ms, 50), "render99": percentile(render_ms, 99),
        "save50": percentile(save_ms, 50), "save99": percentile(save_ms, 99),
        "publish": publish_ms, "validate": full,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--roles", type=int, default=3000)
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit("build the release binary first: cargo build --release")
    work = tempfile.mkdtemp(prefix="rolebook-bench-editor-")
    try:
        generated = os.path.join(work, "generated")
        subprocess.run(["cargo", "run", "--release", "--quiet", "-p", "rolebook-core", "--example",
                        "generate_catalog", "--", generated, str(args.roles)], check=True, cwd=ROOT)
        rows = [figures(name, os.path.join(work, f"{n}.db"), catalog, args.saves, work)
                for n, (catalog, name) in enumerate([(None, "built-in (29 roles)"),
                                                     (generated, f"generated ({args.roles} roles)")])]
        print("| catalog | role page p50 (baseline) | API entity p50 | edit form p50 / p99 | save p50 / p99 (validated) | publish | full `validate` |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['label']} | {r['page']:.1f} ms | {r['api']:.1f} ms | {r['render50']:.1f} / {r['render99']:.1f} ms"
                  f" | {r['save50']:.0f} / {r['save99']:.0f} ms | {r['publish']:.0f} ms | {r['validate']:.0f} ms |")

        if shutil.which("wrk"):
            database = os.path.join(work, "pages.db")
            env = dict(os.environ)
            env.pop("DATABASE_URL", None)
            subprocess.run([BIN, "--database", database, "workspace", "init"], check=True, cwd=work, env=env,
                           capture_output=True)
            files = Server(["--catalog", os.path.join(ROOT, "catalog")], work)
            workspace = Server(["--database", database], work)
            try:
                page = "/roles/sre-manager"
                files.get(page), workspace.get(page)
                runs = {"files": [], "workspace": []}
                for _ in range(args.rounds):
                    runs["files"].append(wrk(files.port, page, args.seconds))
                    runs["workspace"].append(wrk(workspace.port, page, args.seconds))
                base = statistics.mean(r for r, _ in runs["files"])
                print()
                print("| published role page, anonymous (wrk -c64, mean of interleaved rounds) | requests/s | last p99 | ratio |")
                print("|---|---|---|---|")
                for label, key in (("`--catalog DIR`, read-only (baseline)", "files"), ("workspace with the editor", "workspace")):
                    rps = statistics.mean(r for r, _ in runs[key])
                    print(f"| {label} | {rps:.0f} | {runs[key][-1][1]} | {rps / base:.2f} |")
            finally:
                files.stop()
                workspace.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
