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
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { assertAccessible as axe, saveDownload, startServer } from "./harness.mjs";

let server;
let base;
let context;
let profile;
let saved;

before(async () => {
  server = await startServer();
  base = server.base;
  ({ context, profile } = await launchChromium());
  saved = mkdtempSync(join(tmpdir(), "rolebook-downloads-"));
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (saved) rmSync(saved, { recursive: true, force: true });
  await server?.stop();
});

const download = (page, scope, name) => saveDownload(page, scope, name, saved);

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
