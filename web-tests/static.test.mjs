// Browser test of the static site (`rolebook build`): the site is built
// into a temporary directory and opened from file:// URLs, as from a file
// share, in Debian's Chromium driven by Playwright. Search runs in the
// browser over static/search-index.js; each page gets an axe-core scan
// (no serious or critical violations) and a screenshot under
// target/web-test-artifacts/static-*.png.
//
// Run: `npm test` in web-tests/ after `cargo build`. ROLEBOOK_BIN overrides
// the binary, CHROMIUM the browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible, binary, root } from "./harness.mjs";


let work;
let site;
let context;
let profile;
const consoleErrors = [];

before(async () => {
  assert.ok(existsSync(binary), `no rolebook binary at ${binary}; run cargo build first`);
  mkdirSync(artifacts, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "rolebook-site-"));
  site = join(work, "site");
  // No PDFs: typesetting ~290 of them takes a debug build half a minute,
  // and the site tests (crates/rolebook-web/tests/site.rs) check them.
  const built = spawnSync(binary, ["build", site, "--no-pdf"], {
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
  });
  assert.equal(built.status, 0, `rolebook build failed:\n${built.stderr}`);
  assert.match(built.stderr, /wrote \d+ pages/);
  ({ context, profile } = await launchChromium());
  const watch = (page) => {
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    // Nothing may be fetched from anywhere but the site's own files.
    page.on("request", (r) => {
      if (!r.url().startsWith("file://")) consoleErrors.push(`${page.url()}: requested ${r.url()}`);
    });
  };
  context.on("page", watch);
  for (const page of context.pages()) watch(page);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

function url(file) {
  return pathToFileURL(join(site, file)).href;
}

// axe reads stylesheets with XMLHttpRequest unless told not to, which
// Chromium refuses from file:// (a CORS error in the console); the rules
// that need it are checked on the same pages served, in browser.test.mjs.
const axe = (page, label) => assertAccessible(page, label, { preload: false });

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `static-${name}.png`), fullPage: true });
}

test("static site from file://: grid, client-side search, role, career, compare", async () => {
  const page = await context.newPage();
  const roles = readdirSync(join(site, "roles")).filter((f) => f.endsWith(".html")).length;

  // Home: the grid, styled by the site's own stylesheet.
  await page.goto(url("index.html"));
  assert.equal(await page.locator("table.arch-grid a.role-chip").count(), roles, "every role has a cell");
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.notEqual(font, "Times New Roman", "the stylesheet loaded");
  await axe(page, "static home");
  await shot(page, "01-home");

  // Instant search from the local index (no server to ask).
  const box = page.locator("#home-search");
  await box.fill("secur");
  const suggestion = page.locator("#home-search-results a").first();
  await assert.doesNotReject(suggestion.waitFor({ timeout: 5000 }), "instant results appear");
  assert.match(await suggestion.getAttribute("href"), /^(roles|skills|kpis)\/[a-z0-9-]+\.html$/);
  await box.fill("cto");
  await assert.doesNotReject(
    page.locator("#home-search-results a", { hasText: "Chief Technology Officer" }).first().waitFor({ timeout: 5000 }),
    "an alias finds its role",
  );
  assert.equal(await page.locator("#home-search-results a").first().innerText().then((t) => t.startsWith("Chief Technology Officer")), true);

  // The search page, submitted from the form, reads ?q= and lists results.
  await box.fill("incident management");
  await box.press("Enter");
  await page.waitForURL(/search\/index\.html\?q=incident\+management$/);
  const results = page.locator("ol.results > li");
  await assert.doesNotReject(results.first().waitFor({ timeout: 5000 }), "search results appear");
  assert.ok((await results.count()) >= 1);
  assert.match(await page.locator("[data-search-status]").innerText(), /results? for “incident management”/);
  assert.equal(await page.locator("#page-search").inputValue(), "incident management");
  await axe(page, "static search");
  await shot(page, "02-search");
  const nothing = url("search/index.html") + "?q=zzzqqqxx";
  await page.goto(nothing);
  await assert.doesNotReject(page.locator("[data-search-status]", { hasText: "No results" }).waitFor({ timeout: 5000 }));

  // A role from the header search, by keyboard.
  await page.goto(url("skills/index.html"));
  const header = page.locator("#site-search");
  await header.fill("sre manager");
  await page.locator("#site-search-results a").first().waitFor({ timeout: 5000 });
  await header.press("ArrowDown");
  await header.press("Enter");
  await page.waitForURL(/roles\/sre-manager\.html$/);
  assert.equal(await page.locator("h1").innerText(), "SRE Manager");
  // No API without a server: the JSON link names the file published beside the page.
  assert.equal(
    await page.locator(".actions a", { hasText: "JSON" }).getAttribute("href"),
    "../roles/sre-manager.json",
    "the role's JSON is a file of the site",
  );
  await axe(page, "static role");
  await shot(page, "03-role");

  // Career page: the drawn graph links to other career pages.
  await page.locator(".actions a", { hasText: "Career paths" }).click();
  await page.waitForURL(/career\/sre-manager\.html$/);
  const svgLinks = page.locator(".graph-canvas svg a");
  assert.ok((await svgLinks.count()) >= 3, "graph nodes are links");
  assert.match(await svgLinks.first().getAttribute("href"), /^[a-z0-9-]+\.html$|^\.\.\/career\/[a-z0-9-]+\.html$/);
  await axe(page, "static career");
  await shot(page, "04-career");

  // Compare: from the move list to the precomputed comparison.
  await page.locator(".move-list a", { hasText: "compare" }).first().click();
  await page.waitForURL(/compare\/[a-z0-9-]+--[a-z0-9-]+\.html$/);
  assert.equal(await page.locator(".compare-table").first().locator("thead th").count(), 2);
  assert.equal(await page.locator("form.picker").count(), 0, "no picker without a server");
  await axe(page, "static compare");
  await shot(page, "05-compare");
  await page.locator("a", { hasText: "All comparisons" }).click();
  await page.waitForURL(/compare\/index\.html$/);
  await axe(page, "static compare index");
  await page.close();
});

test("no console errors, failed loads or outside requests", () => {
  assert.deepEqual(consoleErrors, []);
});
