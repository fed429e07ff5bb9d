// Browser test of the organisation's brand in `rolebook serve`: a copy of
// testdata/catalogs/valid/export with an organisation.toml (name, intro,
// a renamed level and family) and testdata/logos/acme.svg as its logo,
// served on a free port and opened in Debian's Chromium. The header shows
// the organisation's name and its logo (loaded, not broken), the title
// carries the name, the home page shows the organisation's introduction
// and the renamed level on its grid, and axe-core finds no serious or
// critical violation.
//
// Run: `npm test` in web-tests/ after `cargo build`. ROLEBOOK_BIN overrides
// the binary, CHROMIUM the browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible as axe, root, startServer } from "./harness.mjs";

const ORGANISATION = `name = "Acme Software"
intro = """
The roles that run Acme's reliability work, from the {role:sre-manager} up.

Every role here is Acme's own.
"""

[levels]
manager = "Engineering Manager (M1)"

[families]
reliability = "Reliability Engineering"
`;

let server;
let base;
let context;
let profile;
let catalog;
const consoleErrors = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  catalog = mkdtempSync(join(tmpdir(), "rolebook-brand-"));
  cpSync(join(root, "testdata", "catalogs", "valid", "export"), catalog, { recursive: true });
  writeFileSync(join(catalog, "organisation.toml"), ORGANISATION);
  copyFileSync(join(root, "testdata", "logos", "acme.svg"), join(catalog, "logo.svg"));
  server = await startServer(["--catalog", catalog]);
  base = server.base;
  ({ context, profile } = await launchChromium());
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.stop();
  if (catalog) rmSync(catalog, { recursive: true, force: true });
});

test("branded pages: the organisation's name, logo, introduction and level names", async () => {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${page.url()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  await page.goto(`${base}/`);

  assert.match(await page.title(), /· Acme Software$/);
  const brand = page.locator(".site-header a.brand");
  assert.equal((await brand.innerText()).trim(), "Acme Software");
  assert.equal(await brand.getAttribute("aria-label"), "Acme Software home");
  const logo = brand.locator("img.brand-logo");
  assert.equal(await logo.getAttribute("src"), "/brand/logo.svg");
  // The image loaded: the browser decoded the SVG the server sent.
  const width = await logo.evaluate((img) => (img.complete ? img.naturalWidth : 0));
  assert.ok(width > 0, "the logo is drawn");

  const intro = await page.locator(".hero p.lede").allInnerTexts();
  assert.deepEqual(intro, [
    "The roles that run Acme's reliability work, from the SRE Manager up.",
    "Every role here is Acme's own.",
  ]);
  const grid = page.locator("table.arch-grid");
  assert.ok(
    (await grid.locator("th", { hasText: "Engineering Manager (M1)" }).count()) >= 1,
    "the renamed level heads its grid row",
  );
  assert.ok((await grid.innerText()).includes("Reliability Engineering"), "the renamed family heads its column");
  assert.ok(!(await grid.innerText()).includes("Site reliability engineering"), "no framework family name");

  await axe(page, "branded home");
  await page.screenshot({ path: join(artifacts, "brand-home.png"), fullPage: true });

  // The role page names the level as the organisation does.
  await page.goto(`${base}/roles/sre-manager`);
  assert.ok((await page.locator("main").innerText()).includes("Engineering Manager (M1)"));
  assert.match(await page.title(), /· Acme Software$/);
  await axe(page, "branded role");

  assert.deepEqual(consoleErrors, [], "no console errors (CSP violations included)");
});
