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
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { AxeBuilder } from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const artifacts = join(root, "target", "web-test-artifacts");
const binary = process.env.ROLEBOOK_BIN ?? join(root, "target", "debug", "rolebook");

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
let serverLog = "";
let base;
let context;
let profile;
let catalog;
const consoleErrors = [];

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
  mkdirSync(artifacts, { recursive: true });
  catalog = mkdtempSync(join(tmpdir(), "rolebook-brand-"));
  cpSync(join(root, "testdata", "catalogs", "valid", "export"), catalog, { recursive: true });
  writeFileSync(join(catalog, "organisation.toml"), ORGANISATION);
  copyFileSync(join(root, "testdata", "logos", "acme.svg"), join(catalog, "logo.svg"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ["serve", "--catalog", catalog, "--addr", `127.0.0.1:${port}`], {
    env: { ...process.env, RUST_LOG: "warn", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  await waitForHealth(`${base}/healthz`, 20000);
  ({ context, profile } = await launchChromium());
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  if (catalog) rmSync(catalog, { recursive: true, force: true });
});

async function axe(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
  assert.equal(bad.length, 0, `axe found serious or critical violations on ${label}:\n${report}`);
}

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
