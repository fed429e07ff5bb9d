// Browser tests of the downloads of `rolebook serve`: Playwright
// (playwright-core) driving Debian's Chromium against a real server on a
// free port. A role, a skill and a KPI page each offer every format; a
// click on a link saves the file under its own name with the bytes the
// server sends; the home page offers the catalog's tables. The pages with
// their download bars pass an axe-core scan (no serious or critical
// violations).
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
  saved = mkdtempSync(join(tmpdir(), "rolebook-downloads-"));
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

test("a role, a skill and a KPI page offer every format; the files are what the server sends", async () => {
  const page = await context.newPage();
  for (const [path, noun, id] of [
    ["/roles/sre-manager", "role", "sre-manager"],
    ["/skills/incident-management", "skill", "incident-management"],
    ["/kpis/mean-time-to-restore", "KPI", "mean-time-to-restore"],
  ]) {
    await page.goto(`${base}${path}`);
    const bar = page.getByRole("list", { name: `Download this ${noun}` });
    const labels = await bar.getByRole("link").allInnerTexts();
    assert.deepEqual(
      labels.map((l) => l.trim()),
      ["Word (DOCX)", "PDF", "Markdown", "HTML", "JSON", "JSON-LD"],
      `${path} offers every format`,
    );
    await axe(page, path);

    const docx = await download(page, bar, "Word (DOCX)");
    assert.equal(docx.name, `${id}.docx`);
    assert.equal(docx.bytes.subarray(0, 2).toString(), "PK", "a DOCX is a ZIP package");
    const sent = Buffer.from(await (await fetch(docx.url)).arrayBuffer());
    assert.ok(docx.bytes.equals(sent), "the saved file is the server's");

    const md = await download(page, bar, "Markdown");
    assert.equal(md.name, `${id}.md`);
    assert.match(md.bytes.toString(), /^# /, "Markdown starts with the title");
  }
  // The bar is not printed.
  await page.goto(`${base}/roles/sre-manager`);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".downloads").isVisible(), false, "no download bar in print");
  await page.close();
});

test("the home page offers the catalog's tables", async () => {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const section = page.locator("section.catalog-downloads");
  const xlsx = await download(page, section, "Excel workbook (XLSX)");
  assert.equal(xlsx.name, "catalog.xlsx");
  assert.equal(xlsx.bytes.subarray(0, 2).toString(), "PK");
  const csv = await download(page, section, "Skills matrix (CSV)");
  assert.equal(csv.name, "skills-matrix.csv");
  assert.match(csv.bytes.toString(), /^Role id,Role,Family,Level,/);
  await axe(page, "home");
  await page.close();
});
