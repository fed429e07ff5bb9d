// Browser tests of the job-posting builder of `rolebook serve`: Playwright
// (playwright-core) driving Debian's Chromium against a real server on a
// free port. From a role page to its builder; typing the company's text
// updates the preview without a reload (the page's script fetches the
// preview fragment); the wording check marks a flagged word beside its
// paragraph; the DOCX link saves the server's file; a bad salary is shown
// beside its field after the form is sent. The builder passes an axe-core
// scan (no serious or critical violations).
//
// Run: `npm test` in web-tests/ after `cargo build`. ROLEBOOK_BIN overrides
// the binary, CHROMIUM the browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { assertAccessible as axe, startServer } from "./harness.mjs";

let server;
let base;
let context;
let profile;
let saved;

before(async () => {
  server = await startServer();
  base = server.base;
  ({ context, profile } = await launchChromium());
  saved = mkdtempSync(join(tmpdir(), "rolebook-posting-"));
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (saved) rmSync(saved, { recursive: true, force: true });
  await server?.stop();
});

test("the builder previews as one types, marks wording, and downloads the DOCX", async () => {
  const page = await context.newPage();
  await page.goto(`${base}/roles/sre-manager`);
  await page.getByRole("link", { name: "Build a job posting for this role" }).click();
  await page.waitForURL(`${base}/roles/sre-manager/posting`);
  assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Job posting: SRE Manager");
  await axe(page, "the builder");

  const preview = page.locator("#posting-preview");
  const before = await preview.getAttribute("data-updated");
  assert.equal(before, null, "the first preview is the server's");
  const typed = Date.now();
  await page.getByLabel("Company name", { exact: true }).fill("Globex");
  await page.getByLabel("About us", { exact: true }).fill("Globex builds rockets.\n\nOur ninjas ship every week.");
  await page.waitForFunction(() => {
    const p = document.querySelector("#posting-preview");
    return p && p.textContent.includes("About Globex") && p.textContent.includes("ninjas");
  });
  const latency = Date.now() - typed;
  console.log(`# preview updated ${latency} ms after typing (300 ms of it is the debounce)`);
  assert.equal(page.url(), `${base}/roles/sre-manager/posting?` + new URL(page.url()).search.slice(1));
  assert.match(page.url(), /company=Globex/, "the address keeps the query");

  // The flagged word is marked in its paragraph, its note beside it.
  const block = page.locator(".posting-block.flagged").first();
  assert.equal((await block.locator("mark.finding").innerText()).trim(), "ninjas");
  assert.match(await block.locator(".posting-notes").innerText(), /ninjas/);
  await axe(page, "the builder with a finding");

  const list = page.getByRole("list", { name: "Download this posting" });
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    list.getByRole("link", { name: "Word (DOCX)", exact: true }).click(),
  ]);
  assert.equal(file.suggestedFilename(), "sre-manager-job-posting.docx");
  const path = join(saved, file.suggestedFilename());
  await file.saveAs(path);
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "a DOCX is a ZIP package");
  assert.match(file.url(), /company=Globex/, "the link carries the form's text");
  const sent = Buffer.from(await (await fetch(file.url())).arrayBuffer());
  assert.ok(bytes.equals(sent), "the saved file is the server's");
  await page.close();
});

test("a bad salary is shown beside its field", async () => {
  const page = await context.newPage();
  await page.goto(`${base}/roles/sre-manager/posting`);
  await page.getByLabel("Salary range").fill("abc");
  await page.getByLabel("Currency (ISO 4217)").fill("EUR");
  await Promise.all([
    page.waitForURL(/salary=abc/),
    page.getByRole("button", { name: "Update the preview" }).click(),
  ]);
  const error = page.locator("#e-salary");
  assert.match(await error.innerText(), /MIN-MAX/);
  assert.equal(await page.getByLabel("Salary range").getAttribute("aria-invalid"), "true");
  await axe(page, "the builder with an error");
  await page.close();
});
