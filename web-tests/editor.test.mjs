// Browser test of editing and review in `rolebook serve`, as a team does
// it, in two Chromium instances (two people at two desks):
// - the first admin, from the printed setup link, invites an editor and an
//   approver;
// - the editor follows SRE Manager's "Edit" (a viewer has none) into a new
//   change request and edits the role's form: a skill's level (its level descriptions at hand) and a
//   KPI's target, saves; a mistyped KPI id is shown beside its field after
//   saving, with the typed text still there; fixed, saved again;
// - a role is made by copying SRE Manager and edited with the keyboard
//   only; markup typed into it stays text everywhere it appears;
// - the editor submits and finds no way to approve or publish; a viewer
//   finds no drafts; the approver approves and publishes;
// - everyone sees the new version on the role page, its history and diff;
// - the editor and the approver edit one role at once: the second save is
//   a conflict that shows both versions and keeps what was typed.
// axe-core finds no serious or critical violation on any of the new pages.
//
// Run: `npm test` in web-tests/ after `cargo build`.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible as axe, startServer } from "./harness.mjs";
import { invite, join as joinFrom, setupLink, signIn } from "./accounts.mjs";

let server;
let base;
// The editor's browser, and the approver's.
let desk;
let other;

const TARGET = "Median under 30 minutes for SEV1 and SEV2 incidents on the team's services; no SEV1 open longer than 2 hours.";
const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  base = server.base;
  desk = await launchChromium();
  other = await launchChromium();
});

after(async () => {
  for (const browser of [desk, other]) {
    await browser?.context.close();
    if (browser?.profile) rmSync(browser.profile, { recursive: true, force: true });
  }
  await server?.stop();
});

/** The record of list `list` whose `column` input holds `value`. */
function record(page, list, value) {
  return page.locator(`div.records[id="field-${list}"] .record`, { has: page.locator(`input[value="${value}"]`) });
}

/** Fails if the page ran a script that markup typed into a field carried. */
async function assertInert(page, label) {
  assert.equal(await page.evaluate(() => window.__xss ?? 0), 0, `markup ran as script on ${label}`);
  assert.equal(await page.locator("img[src='x']").count(), 0, `markup became an element on ${label}`);
}

test("a role is changed in the browser, reviewed and published", async () => {
  // The first admin invites an editor, an approver and a viewer.
  const admin = await joinFrom(desk.context, await setupLink(server), "Ada Admin", "ada@example.org");
  await admin.waitForURL(/\/admin\/users$/);
  const editorLink = await invite(admin, base, "eli@example.org", "editor");
  const approverLink = await invite(admin, base, "ana@example.org", "approver");
  const viewerLink = await invite(admin, base, "vic@example.org", "viewer");
  await admin.close();

  // A viewer finds no drafts.
  const viewer = await joinFrom(desk.context, viewerLink, "Vic Viewer");
  await viewer.waitForURL(/\/account$/);
  assert.equal(await viewer.getByRole("link", { name: "Change requests" }).count(), 0);
  assert.equal((await viewer.goto(`${base}/changes`)).status(), 403);
  await viewer.goto(`${base}/roles/sre-manager`);
  assert.equal(await viewer.getByRole("link", { name: "Edit", exact: true }).count(), 0, "a viewer sees no edit control");
  assert.equal(await viewer.getByRole("link", { name: "Changes", exact: true }).count(), 0);
  await viewer.close();

  const approverPage = await joinFrom(other.context, approverLink, "Ana Approver");
  await approverPage.waitForURL(/\/account$/);
  await approverPage.close();

  // The editor starts from the role page's "Edit".
  const page = await joinFrom(desk.context, editorLink, "Eli Editor");
  await page.waitForURL(/\/account$/);
  await page.getByRole("link", { name: "Change requests" }).click();
  await page.waitForURL(/\/changes$/);
  await axe(page, "change requests");
  await page.goto(`${base}/roles/sre-manager`);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.waitForURL(/\/changes\/start\?edit=role\/sre-manager$/);
  await axe(page, "where to edit");
  await page.getByLabel("Title").fill("Faster restores for SRE teams");
  await page.getByRole("button", { name: "Open and edit" }).click();
  await page.waitForURL(/\/changes\/1\/edit\/role\/sre-manager$/);
  await axe(page, "the role editor");

  // A skill's level, with what each level means at hand, and a target.
  const skill = record(page, "skills", "capacity-planning");
  await skill.getByText("What each level means for Capacity planning").click();
  assert.match(await skill.locator(".level-help li.selected").innerText(), /3 · Practitioner \(required\)/);
  assert.match(await skill.locator(".level-now").innerText(), /Level 3 · Practitioner for Capacity planning/);
  await skill.getByLabel("Level").selectOption("4");
  assert.match(await skill.locator(".level-now").innerText(), /Level 4 · Advanced/, "the chosen level's meaning follows the choice");
  await record(page, "kpis", "mean-time-to-restore").getByLabel("Target").fill(TARGET);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\?saved=1$/);
  assert.match(await page.locator(".notice").innerText(), /Saved in the change request/);
  assert.equal(await record(page, "kpis", "mean-time-to-restore").getByLabel("Target").inputValue(), TARGET);
  await page.screenshot({ path: join(artifacts, "editor-form.png"), fullPage: false });

  // A mistyped KPI: saved as typed, the error beside its field.
  const kpi = record(page, "kpis", "toil-share").getByLabel("KPI", { exact: true });
  await kpi.fill("toil-shares");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\?saved=1$/);
  const typed = record(page, "kpis", "toil-shares");
  assert.equal(await typed.getByLabel("KPI", { exact: true }).inputValue(), "toil-shares", "the typed text survives");
  assert.equal(await typed.getByLabel("KPI", { exact: true }).getAttribute("aria-invalid"), "true");
  assert.match(await typed.locator(".field-problem.error").innerText(), /toil-share/, "the error, with a hint, is beside the field");
  await page.screenshot({ path: join(artifacts, "editor-error.png"), fullPage: false });
  await axe(page, "the editor with an error");
  await typed.getByLabel("KPI", { exact: true }).fill("toil-share");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\?saved=1$/);
  assert.equal(await page.locator(".field-problem.error").count(), 0);

  // Versions: listed, compared.
  await page.goto(`${base}/versions`);
  await axe(page, "versions");
  await page.goto(`${base}/versions/compare?from=1`);
  await axe(page, "versions compared");

  // The TOML tab shows the same text.
  await page.goto(`${base}/changes/1/edit/role/sre-manager`);
  await page.getByRole("link", { name: "TOML" }).click();
  assert.match(await page.getByLabel("The Role as TOML").inputValue(), /under 30 minutes/);
  await axe(page, "the TOML tab");

  // A role copied from SRE Manager, edited with the keyboard only.
  await page.goto(`${base}/changes/1`);
  await axe(page, "a change request");
  await page.getByLabel("with the id").fill("sre-team-lead");
  await page.getByLabel("copied from (optional)").fill("sre-manager");
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForURL(/\/edit\/role\/sre-team-lead$/);
  assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), "SRE Manager (copy)");
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.getAttribute("name") === "title")) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "title", "Tab reaches the title");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(`SRE Team Lead ${PAYLOAD}`);
  // Enter in a field saves: Save is the form's first button.
  await page.keyboard.press("Enter");
  await page.waitForURL(/\?saved=1$/);
  assert.match(await page.getByLabel("Title", { exact: true }).inputValue(), /^SRE Team Lead <img/);
  await assertInert(page, "the editor");

  // The editor submits; no way to approve or publish it.
  await page.goto(`${base}/changes/1`);
  assert.match(await page.locator("main").innerText(), /Skills › Capacity planning › Level/);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await page.waitForURL(/\/changes\/1$/);
  assert.equal(await page.getByRole("button", { name: "Approve" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Publish" }).count(), 0);
  await assertInert(page, "the change request");

  // The approver approves and publishes.
  const review = await other.context.newPage();
  await signIn(review, base, "ana@example.org");
  await review.goto(`${base}/changes`);
  assert.equal((await review.locator("#awaiting-count").innerText()).trim(), "1");
  const badge = review.locator(".main-nav a[href='/changes'] .count");
  await badge.waitFor();
  assert.equal((await badge.innerText()).trim(), "1", "the header counts what waits for the approver");
  await review.getByRole("link", { name: "#1 Faster restores for SRE teams" }).first().click();
  await review.getByRole("button", { name: "Approve" }).click();
  await review.waitForURL(/\/changes\/1$/);
  await review.getByRole("button", { name: "Publish" }).click();
  await review.waitForURL(/\/changes\/1$/);
  assert.match(await review.locator(".notice").innerText(), /Published as version 2/);
  await axe(review, "a published change request");
  await review.screenshot({ path: join(artifacts, "editor-review.png"), fullPage: true });

  // Everyone sees it: the role page, its history and the diff.
  const anyone = await desk.context.newPage();
  await anyone.goto(`${base}/roles/sre-manager`);
  assert.match(await anyone.locator("main").innerText(), /under 30 minutes/);
  assert.match(await anyone.locator("aside.glance").innerText(), /Workspace version 2/);
  await anyone.getByRole("link", { name: "History" }).click();
  await anyone.waitForURL(/\/roles\/sre-manager\/history$/);
  assert.match(await anyone.locator("main").innerText(), /Capacity planning/);
  await anyone.goto(`${base}/roles/sre-team-lead`);
  await assertInert(anyone, "the new role's page");
  await anyone.goto(`${base}/search?q=team+lead`);
  await assertInert(anyone, "search");
  await anyone.close();

  // Two people edit one role at once: the second save is a conflict.
  await page.goto(`${base}/changes`);
  await page.getByLabel("Title").fill("Titles");
  await page.getByRole("button", { name: "Open a change request" }).click();
  await page.waitForURL(/\/changes\/2$/);
  const editorUrl = `${base}/changes/2/edit/role/sre-director`;
  await page.goto(editorUrl);
  await review.goto(editorUrl);
  await page.getByLabel("Title", { exact: true }).fill("Director of Site Reliability");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\?saved=1$/);
  await review.getByLabel("Title", { exact: true }).fill("Head of SRE");
  await review.getByRole("button", { name: "Save", exact: true }).click();
  await review.locator("#conflict").waitFor();
  assert.match(await review.locator("#conflict").innerText(), /Someone else saved this Role/);
  assert.match(await review.locator("#conflict .changes").innerText(), /Director of Site Reliability[\s\S]*Head of SRE/);
  assert.equal(await review.getByLabel("Title", { exact: true }).inputValue(), "Head of SRE", "what was typed is kept");
  await review.locator("#conflict summary").click();
  assert.match(await review.locator("#conflict pre").innerText(), /title = "Director of Site Reliability"/);
  await axe(review, "a conflict");
  await review.screenshot({ path: join(artifacts, "editor-conflict.png"), fullPage: false });
  // Saving again is a choice made on their version.
  await review.getByRole("button", { name: "Save", exact: true }).click();
  await review.waitForURL(/\?saved=1$/);
  assert.equal(await review.getByLabel("Title", { exact: true }).inputValue(), "Head of SRE");
  await review.close();
  await page.close();
});
