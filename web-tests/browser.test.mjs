// Browser tests of `rolebook serve`: Playwright (playwright-core) driving
// Debian's Chromium against a real server on a free port. The journey is
// home → role → compare → career explorer → search → skill gap, then the
// 404 page; each page gets an axe-core scan (no serious or critical
// violations allowed) and a screenshot under target/web-test-artifacts/.
//
// Run: `npm test` in web-tests/ after `cargo build`. ROLEBOOK_BIN overrides
// the binary, CHROMIUM the browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { artifacts, assertAccessible as axe, startServer } from "./harness.mjs";

let server;
let base;
let context;
let profile;
const consoleErrors = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  base = server.base;
  ({ context, profile } = await launchChromium());
  context.on("page", (page) => watch(page));
  for (const page of context.pages()) watch(page);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.stop();
});

// Console errors include Content-Security-Policy violations, so a page
// that relied on an inline script or style fails here.
function watch(page) {
  page.on("console", (message) => {
    // The 404 page and the 400 page for a broken profile are requested on
    // purpose.
    const expected =
      (message.text().includes("status of 404") && page.url().includes("/roles/sre-manger")) ||
      (message.text().includes("status of 400") && page.url().endsWith("/gap/upload"));
    if (message.type() === "error" && !expected) consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
}

async function newPage() {
  const page = await context.newPage();
  return page;
}

async function shot(page, name, options = {}) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true, ...options });
}

test("journey: home → role → compare → career → search → skill gap", async () => {
  const page = await newPage();

  // Home: the job-architecture grid.
  await page.goto(`${base}/`);
  await assert.doesNotReject(page.locator("table.arch-grid").waitFor());
  const chips = await page.locator("table.arch-grid a.role-chip").count();
  const roles = (await (await fetch(`${base}/api/v1/roles`)).json()).total;
  assert.equal(chips, roles, "every role has a cell in the grid");
  await axe(page, "home");
  await shot(page, "01-home");

  // Role page, reached by clicking its cell.
  await page.locator("table.arch-grid a.role-chip", { hasText: "SRE Manager" }).first().click();
  await page.waitForURL(/\/roles\/sre-manager$/);
  assert.equal(await page.locator("h1").innerText(), "SRE Manager");
  for (const id of ["summary", "scope", "responsibilities", "decisions", "skills", "kpis", "career"]) {
    assert.equal(await page.locator(`section#${id}`).count(), 1, `section #${id}`);
  }
  assert.ok((await page.locator("#skills .meter[role=img]").count()) > 5, "skills show their level");
  assert.ok((await page.locator("#kpis .target").count()) > 2, "KPIs show their target");
  assert.equal(await page.locator("[data-print]").isVisible(), true, "JS reveals the print button");
  await axe(page, "role");
  await shot(page, "02-role");

  // The same page printed: no navigation, a clean document.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false, "no header in print");
  assert.equal(await page.locator(".toc").isVisible(), false, "no table of contents in print");
  await page.pdf({ path: join(artifacts, "02-role-print.pdf"), format: "A4" });
  await shot(page, "02-role-print");
  await page.emulateMedia({ media: "screen" });

  // Compare: start from the role, add two more.
  await page.getByRole("link", { name: "Compare with…" }).click();
  await page.waitForURL(/\/compare\?roles=sre-manager/);
  const selects = page.locator("form.picker select[name=roles]");
  assert.equal(await selects.nth(0).inputValue(), "sre-manager");
  await selects.nth(1).selectOption("sre-director");
  await selects.nth(2).selectOption("vp-of-site-reliability-engineering");
  await page.getByRole("button", { name: "Compare" }).click();
  await page.waitForURL(/roles=sre-director/);
  assert.equal(await page.locator(".compare-table").first().locator("thead th").count(), 3);
  assert.ok((await page.locator("td.state-up, td.state-new").count()) > 0, "skill rises are highlighted");
  assert.ok((await page.locator(".only-one").count()) > 0, "KPIs only one role owns are flagged");
  await axe(page, "compare");
  await shot(page, "03-compare");

  // Career explorer: the graph is server-rendered SVG with linked nodes.
  await page.goto(`${base}/roles/sre-manager`);
  await page.locator(".actions a", { hasText: "Career paths" }).click();
  await page.waitForURL(/\/career\/sre-manager$/);
  const svg = page.locator(".graph-canvas svg");
  await assert.doesNotReject(svg.waitFor());
  const nodeLinks = await svg.locator("a").count();
  assert.ok(nodeLinks >= 3, `graph nodes are links (found ${nodeLinks})`);
  await axe(page, "career");
  await shot(page, "04-career");
  // Plan a path to the CTO.
  await page.locator("section.path-finder select[name=to]").selectOption("chief-technology-officer");
  await page.getByRole("button", { name: "Find paths" }).click();
  await page.waitForURL(/to=chief-technology-officer/);
  assert.ok((await page.locator("ol.paths > li").count()) >= 1, "at least one path");
  // The answer is where the person looks: the planner sits above the
  // graph and the page lands on it; each move says what it adds and why.
  assert.ok(await page.locator("#h-path").isVisible(), "the planner is in view");
  assert.equal(await page.locator("section.path-finder select[name=to]").inputValue(), "chief-technology-officer", "the form stays filled");
  const firstPath = page.locator("ol.paths > li").first();
  assert.match(await firstPath.locator(".path-total").innerText(), /levels? to gain across \d+ skills?/);
  assert.ok((await firstPath.locator("li.path-step").count()) >= 1, "each move is explained");
  assert.match(await firstPath.innerText(), /To gain:/);
  assert.match(await firstPath.innerText(), /Why this move:/);
  await axe(page, "career path");
  await shot(page, "05-career-path");
  // Following a node recentres the graph.
  const other = svg.locator("a:not([aria-current])").first();
  const href = await other.getAttribute("href");
  await other.click();
  await page.waitForURL((url) => url.pathname === href);

  // Search: instant results as you type, then the results page.
  await page.goto(`${base}/`);
  const box = page.locator("#home-search");
  await box.fill("secur");
  const suggestion = page.locator("#home-search-results a").first();
  await assert.doesNotReject(suggestion.waitFor({ timeout: 5000 }), "instant results appear");
  await box.fill("security");
  await box.press("Enter");
  await page.waitForURL(/\/search\?q=security/);
  assert.ok((await page.locator("ol.results > li").count()) > 0, "search finds results");
  assert.ok((await page.locator("ol.results mark").count()) > 0, "matches are highlighted");
  await axe(page, "search");
  await shot(page, "06-search");
  // Match a job title, without JavaScript's help: a plain form.
  await page.locator("#title-input").fill("SRE Manager, Payments");
  await page.getByRole("button", { name: "Match title" }).click();
  await page.waitForURL(/title=SRE/);
  assert.equal(await page.locator(".resolved a").innerText(), "SRE Manager");
  await axe(page, "title match");

  // Skill gap, from the navigation: rate yourself against a target role,
  // see the gap, keep the ratings as profile.toml and upload them again.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Skill gap" }).click();
  await page.waitForURL(/\/gap$/);
  await axe(page, "skill gap");
  await page.locator("form.gap-picker select[name=target]").selectOption("sre-director");
  await page.locator("form.gap-picker select[name=current]").selectOption("sre-manager");
  await page.getByRole("button", { name: "Rate my skills" }).click();
  await page.waitForURL(/\/gap\?target=sre-director/);
  // Naming the current role starts every rating at the level it requires.
  assert.match(await page.locator("form.rate-form").innerText(), /Each skill starts at the level SRE Manager requires/);
  assert.ok((await page.locator("fieldset.rate-skill input[type=radio]:checked:not([value='0'])").count()) > 5, "ratings start filled");
  const ratings = page.locator("fieldset.rate-skill");
  const rated = await ratings.count();
  assert.ok(rated >= 10, `every skill of the target is on the form (${rated})`);
  for (let i = 0; i < rated; i++) {
    // A whole level card is the radio button's label.
    await ratings.nth(i).locator("label.level-option").nth(1 + (i % 5)).click();
  }
  await page.locator("input[name=name]").fill("Playwright Person");
  await page.locator("form.rate-form select[name=current]").selectOption("software-engineering-manager");
  // A manager's second rating, three levels from the person's own.
  await ratings.nth(0).locator("select[name^='manager.']").selectOption("5");
  // Kept in this browser, because the person asks.
  await page.locator("#keep-local").check();
  await axe(page, "skill gap rating form");
  await page.getByRole("button", { name: "See my gap" }).click();
  await page.locator("#readiness").waitFor();
  const readiness = await page.locator("#readiness").innerText();
  assert.match(readiness, /^\d+\.\d%$/);
  assert.ok(await page.locator(".radar svg[role=img]").isVisible(), "the radar chart is drawn");
  assert.ok((await page.locator("ol.plan > li").count()) > 0, "a development plan");
  assert.equal(await page.locator(".gap-table .badge.warn").count(), 1, "ratings far apart are flagged");
  const kept = await page.evaluate(() => window.localStorage.getItem("rolebook.gap.ratings"));
  assert.match(kept, /Playwright Person/, "the ratings are in the browser's storage");
  // With a current role, the paths there start from the person's ratings.
  const personPaths = page.locator("section.person-paths");
  assert.match(await personPaths.locator("h3").innerText(), /Paths from Software Engineering Manager to SRE Director, with Playwright Person’s ratings/);
  assert.ok((await personPaths.locator("ol.paths > li").count()) >= 1, "a path from the person");
  assert.match(await personPaths.innerText(), /To gain:/);
  await axe(page, "skill gap results");
  await shot(page, "15-gap");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download profile.toml" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "profile.toml");
  const saved = join(artifacts, "profile.toml");
  await download.saveAs(saved);
  assert.match(readFileSync(saved, "utf8"), /name = "Playwright Person"/);
  await page.goto(`${base}/gap?target=sre-director`);
  // The kept ratings come back on request, and go on request.
  await page.locator("#restore-local").click();
  assert.equal(await page.locator("form.rate-form input[name=name]").inputValue(), "Playwright Person");
  assert.equal(await ratings.nth(0).locator("select[name^='manager.']").inputValue(), "5");
  await page.locator("#forget-local").click();
  assert.equal(await page.evaluate(() => window.localStorage.getItem("rolebook.gap.ratings")), null);
  assert.ok(!(await page.locator("#keep-local").isChecked()));
  await page.locator("form.upload-form input[type=file]").setInputFiles(saved);
  await page.getByRole("button", { name: "Upload and assess" }).click();
  await page.waitForURL(/\/gap\/upload$/);
  assert.equal(await page.locator("#readiness").innerText(), readiness, "the same ratings, the same readiness");
  assert.equal(await page.locator("input[name=name]").inputValue(), "Playwright Person");
  // A broken profile: its problems, located, and the text to fix.
  await page.locator("form.upload-form textarea[name=text]").fill('name = "P"\n\n[[skills]]\nskill = "slo-engineerin"\nlevel = 9\n');
  await page.getByRole("button", { name: "Upload and assess" }).click();
  await page.locator(".profile-problems").waitFor();
  assert.match(await page.locator(".profile-problems").innerText(), /slo-engineering/);
  assert.match(await page.locator(".profile-problems").innerText(), /pasted profile:4:9/);
  await axe(page, "skill gap with a broken profile");
  await shot(page, "16-gap-broken-profile");
  await page.close();
});

test("skill, KPI and 404 pages", async () => {
  const page = await newPage();
  await page.goto(`${base}/skills`);
  await axe(page, "skills index");
  await page.locator(".index-cards a").first().click();
  await page.waitForURL(/\/skills\/[a-z0-9-]+$/);
  assert.equal(await page.locator("ol.scale > li").count(), 5, "five proficiency levels");
  await axe(page, "skill");
  await shot(page, "07-skill");

  await page.goto(`${base}/kpis`);
  await axe(page, "KPI index");
  await page.locator(".index-cards a").first().click();
  await page.waitForURL(/\/kpis\/[a-z0-9-]+$/);
  await assert.doesNotReject(page.locator("code.formula").waitFor());
  await axe(page, "KPI");
  await shot(page, "08-kpi");

  const response = await page.goto(`${base}/roles/sre-manger`);
  assert.equal(response.status(), 404);
  assert.match(await page.locator(".suggestions").innerText(), /SRE Manager/);
  await axe(page, "404");
  await shot(page, "09-not-found");
  await page.close();
});

test("phone layout and dark mode", async () => {
  const page = await newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  assert.equal(await page.locator("table.arch-grid").isVisible(), false, "grid becomes family cards");
  assert.ok(await page.locator(".family-cards").isVisible());
  await axe(page, "home on a phone");
  await shot(page, "10-home-phone");
  await page.goto(`${base}/roles/chief-information-security-officer`);
  await shot(page, "11-role-phone");

  // On the narrowest common phone every section of the top navigation is
  // on screen, none scrolled out of sight, and nothing overflows sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${base}/`);
  const links = page.locator(".main-nav a");
  const names = await links.allInnerTexts();
  assert.ok(names.includes("Career paths") && names.includes("Skill gap"), names.join(", "));
  for (let i = 0; i < names.length; i++) {
    const box = await links.nth(i).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${names[i]} at ${JSON.stringify(box)}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `the page is ${overflow} px wide`);
  await shot(page, "11b-home-360");

  // The career journey on a 390 px phone: the roles around a role as a
  // list by level instead of the drawing, and a path planned from the
  // top of the page, its moves explained.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/career/sre-manager?depth=3`);
  assert.ok(!(await page.locator("figure.graph").isVisible()), "no drawing on a phone");
  assert.ok(await page.locator("section.graph-list").isVisible(), "the roles as a list");
  assert.ok((await page.locator("section.graph-list dt").count()) >= 3, "grouped by level");
  await page.locator("section.path-finder select[name=to]").selectOption("vp-of-engineering");
  await page.getByRole("button", { name: "Find paths" }).click();
  await page.waitForURL(/to=vp-of-engineering/);
  assert.ok(await page.locator("#h-path").isVisible(), "the answer is in view");
  assert.ok((await page.locator("li.path-step").count()) >= 1, "each move explained");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the career page is ${width} px wide on a phone`);
  await axe(page, "career on a phone");
  await shot(page, "11c-career-phone");

  // On a desktop the drawing is at its own size: labels as large as the
  // page's text, rows by level; the nearest roles, with the rest a link away.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${base}/career/sre-manager?depth=3`);
  const title = page.locator(".graph-canvas svg .role-title").first();
  const size = await title.evaluate((t) => t.getBoundingClientRect().height);
  const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(size >= body * 0.9, `role titles are ${size} px high, the body text ${body} px`);
  assert.ok((await page.locator(".graph-canvas svg a.node").count()) <= 24, "a bounded drawing");
  const all = page.locator("figcaption a", { hasText: /^draw all/ });
  if (await all.count()) {
    await all.click();
    await page.waitForURL(/all=1/);
    assert.ok((await page.locator(".graph-canvas svg a.node").count()) > 24, "every role on request");
  }
  await shot(page, "11d-career-depth-3");

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${base}/`);
  await axe(page, "home in dark mode");
  await shot(page, "12-home-dark");
  await page.goto(`${base}/roles/chief-technology-officer`);
  await axe(page, "role in dark mode");
  await shot(page, "13-role-dark");
  await page.goto(`${base}/compare?roles=chief-technology-officer,chief-information-officer`);
  await axe(page, "compare in dark mode");
  await shot(page, "14-compare-dark");
  await page.close();
});

test("keyboard: skip link and visible focus", async () => {
  const page = await newPage();
  await page.goto(`${base}/roles/sre-manager`);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, "Skip to content");
  assert.ok(await page.locator(".skip-link").isVisible(), "skip link shows when focused");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main", "skip link moves focus to the content");
  await page.close();
});

test("no console errors or CSP violations on any page", () => {
  assert.deepEqual(consoleErrors, []);
});

test("SIGTERM stops the server gracefully", async () => {
  const exited = new Promise((ok) => server.process.once("exit", (code, signal) => ok({ code, signal })));
  server.process.kill("SIGTERM");
  const { code, signal } = await exited;
  assert.equal(signal, null, "the server handles SIGTERM instead of dying of it");
  assert.equal(code, 0, `exit status; log:\n${server.log()}`);
});
