// Browser test of a workspace in `rolebook serve`, the way a new team
// starts: the server, started in an empty directory, creates its
// workspace and prints a one-time setup link. In Chromium:
// - the link creates the first admin, who invites an editor and an
//   approver from the users page;
// - each accepts their link, signs in, sees only what their role allows
//   and makes an API token on their account page;
// - the editor's token retitles a role in a change request, which the
//   editor may not approve; the approver's token approves and publishes
//   it;
// - every visitor sees the new title and "Workspace version 2" on the role
//   page, and the change marked word by word on its history page;
// - the admin finds it all in the audit log, turns anonymous reading off,
//   and an anonymous visitor is then sent to sign in.
// axe-core finds no serious or critical violation on any of the pages.
//
// Run: `npm test` in web-tests/ after `cargo build`.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible as axe, startServer } from "./harness.mjs";
import { PASSWORD, invite as inviteAs, join as joinWith, setupLink as setupLinkOf } from "./accounts.mjs";

let server;
let base;
let context;
let profile;

async function api(token, method, path, body) {
  const response = await fetch(`${base}/api/v1/workspace${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

async function ok(token, method, path, body) {
  const { status, json } = await api(token, method, path, body);
  assert.ok(status < 300, `${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}

const setupLink = () => setupLinkOf(server);
const join_ = (link, name, email) => joinWith(context, link, name, email);
const invite = (page, email, role) => inviteAs(page, base, email, role);

/** Makes an API token of `scope` on the account page; returns its secret. */
async function makeToken(page, scope) {
  await page.goto(`${base}/account`);
  await page.getByLabel("What the token is for").fill("browser test");
  await page.getByLabel("Scope").selectOption(scope);
  await page.getByRole("button", { name: "Create a token" }).click();
  const secret = (await page.locator(".notice.secret code").innerText()).trim();
  assert.match(secret, /^rbt_/);
  return secret;
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

test("a new team sets up accounts, and a reviewed change is published", async () => {
  // The first admin, from the printed link; it works once.
  const link = await setupLink();
  const admin = await join_(link, "Ada Admin", "ada@example.org");
  await admin.waitForURL(/\/admin\/users$/);
  await axe(admin, "users page");
  const editorLink = await invite(admin, "eli@example.org", "editor");
  const approverLink = await invite(admin, "ana@example.org", "approver");
  const users = await admin.locator("main").innerText();
  assert.match(users, /ada@example.org/);
  assert.match(users, /eli@example.org as editor, until/, "pending invitations are listed");
  await admin.screenshot({ path: join(artifacts, "accounts-users.png"), fullPage: true });
  const used = await admin.goto(link);
  assert.equal(used.status(), 404, "the setup link works once");
  await admin.close();

  // The editor joins, may not administer, and makes a write token.
  const editorPage = await join_(editorLink, "Eli Editor");
  await editorPage.waitForURL(/\/account$/);
  await axe(editorPage, "account page");
  assert.equal((await editorPage.goto(`${base}/admin/users`)).status(), 403);
  const editor = await makeToken(editorPage, "write");
  await editorPage.close();

  const request = await ok(editor, "POST", "/change-requests", { title: "Retitle the SRE Manager" });
  assert.equal(request.author, "eli@example.org");
  const path = `/change-requests/${request.id}/entities/role/sre-manager`;
  const entity = await ok(editor, "GET", path);
  const content = entity.content.replace('title = "SRE Manager"', 'title = "Reliability Team Lead"');
  assert.notEqual(content, entity.content);
  await ok(editor, "PUT", path, { content, base: entity.token });
  await ok(editor, "POST", `/change-requests/${request.id}/transition`, { to: "in-review" });
  const refused = await api(editor, "POST", `/change-requests/${request.id}/transition`, { to: "approved" });
  assert.equal(refused.status, 403, "an editor may not approve");

  // The approver joins and approves and publishes someone else's change.
  const approverPage = await join_(approverLink, "Ana Approver");
  await approverPage.waitForURL(/\/account$/);
  const approver = await makeToken(approverPage, "write");
  await approverPage.close();
  await ok(approver, "POST", `/change-requests/${request.id}/transition`, { to: "approved" });
  const version = await ok(approver, "POST", `/change-requests/${request.id}/publish`, { message: "Our title" });
  assert.equal(version.number, 2);

  // Anyone sees it.
  await context.clearCookies();
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

  // The admin signs in again and reads the audit log.
  await page.goto(`${base}/account`);
  await page.waitForURL(/\/sign-in\?next=/);
  await axe(page, "sign-in page");
  await page.getByLabel("Email").fill("ada@example.org");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/account$/);
  await page.getByRole("link", { name: "Audit log" }).click();
  const audit = await page.locator("table.audit-table").innerText();
  for (const action of ["setup-completed", "invitation-accepted", "token-created", "change-request-opened", "published"]) {
    assert.match(audit, new RegExp(action), `${action} is in the audit log`);
  }
  await axe(page, "audit log");
  await page.screenshot({ path: join(artifacts, "accounts-audit.png"), fullPage: true });

  // Anonymous reading off: an anonymous visitor is sent to sign in.
  await page.goto(`${base}/admin/settings`);
  await page.getByLabel(/Anyone may read/).uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/\/admin\/settings\?saved$/);
  await axe(page, "settings page");
  await page.close();
  await context.clearCookies();
  const anonymous = await context.newPage();
  await anonymous.goto(`${base}/roles/sre-manager`);
  await anonymous.waitForURL(/\/sign-in\?next=%2Froles%2Fsre-manager$/);
  assert.equal((await fetch(`${base}/api/v1/roles`)).status, 401);
  await anonymous.close();
});
