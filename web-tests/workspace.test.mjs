// Browser test of a workspace in `rolebook serve`: a server started in an
// empty directory creates its workspace; a change request made through
// the JSON API (from the server's own machine, which may write without an
// API token) retitles a role and publishes it. The role page then
// shows the new title and "Workspace version 2", its History link opens
// the role's history with the change marked word by word, and axe-core
// finds no serious or critical violation on either page.
//
// Run: `npm test` in web-tests/ after `cargo build`.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible as axe, startServer } from "./harness.mjs";

let server;
let base;
let context;
let profile;

async function api(method, path, body) {
  const response = await fetch(`${base}/api/v1/workspace${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  base = server.base;
  ({ context, profile } = await launchChromium());
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.stop();
});

test("a published change shows on the role page and in its history", async () => {
  const request = await api("POST", "/change-requests", { title: "Retitle the SRE Manager" });
  const path = `/change-requests/${request.id}/entities/role/sre-manager`;
  const entity = await api("GET", path);
  const content = entity.content.replace('title = "SRE Manager"', 'title = "Reliability Team Lead"');
  assert.notEqual(content, entity.content);
  await api("PUT", path, { content, base: entity.token });
  await api("POST", `/change-requests/${request.id}/transition`, { to: "in-review" });
  await api("POST", `/change-requests/${request.id}/transition`, { to: "approved" });
  const version = await api("POST", `/change-requests/${request.id}/publish`, { message: "Our title" });
  assert.equal(version.number, 2);

  const page = await context.newPage();
  await page.goto(`${base}/roles/sre-manager`);
  assert.equal((await page.locator("h1#role-title").innerText()).trim(), "Reliability Team Lead");
  const glance = await page.locator("aside.glance").innerText();
  assert.match(glance, /Workspace version 2/);
  await axe(page, "role page from a workspace");

  await page.getByRole("link", { name: "History" }).click();
  await page.waitForURL(/\/roles\/sre-manager\/history$/);
  const body = await page.locator("main").innerText();
  assert.match(body, /Our title/);
  assert.match(body, /Reliability Team Lead/);
  assert.ok((await page.locator("ins").count()) > 0, "the new words are marked");
  await page.screenshot({ path: join(artifacts, "workspace-history.png"), fullPage: true });
  await axe(page, "role history");
  await page.close();
});
