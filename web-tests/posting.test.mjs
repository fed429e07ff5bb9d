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
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { AxeBuilder } from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const binary = process.env.ROLEBOOK_BIN ?? join(root, "target", "debug", "rolebook");

let server;
let serverLog = "";
let base;
let context;
let profile;
let saved;

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

async function waitForHealth(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer ${url} within ${ms} ms; log:\n${serverLog}`);
}

before(async () => {
  assert.ok(existsSync(binary), `no rolebook binary at ${binary}; run cargo build first`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ["serve", "--addr", `127.0.0.1:${port}`], {
    env: { ...process.env, RUST_LOG: "warn", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  await waitForHealth(`${base}/healthz`, 20000);
  ({ context, profile } = await launchChromium());
  saved = mkdtempSync(join(tmpdir(), "rolebook-posting-"));
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (saved) rmSync(saved, { recursive: true, force: true });
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
});

async function axe(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
  assert.equal(bad.length, 0, `axe found serious or critical violations on ${label}:\n${report}`);
}

/** Clicks the link named `name` in `scope`; returns the saved file's name and bytes. */
async function download(page, scope, name) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    scope.getByRole("link", { name, exact: true }).click(),
  ]);
  const path = join(saved, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path), url: file.url() };
}

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
