// What every browser test shares: where the binary is, a real `rolebook
// serve` on a free port, the axe-core check and saving a download.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "..");
export const artifacts = join(root, "target", "web-test-artifacts");
export const binary = resolve(process.env.ROLEBOOK_BIN ?? join(root, "target", "debug", "rolebook"));

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

/**
 * Starts `rolebook [args...] serve` on a free port and waits until it
 * answers /healthz. Returns `{ base, process, log(), stop() }`.
 */
export async function startServer(args = []) {
  assert.ok(existsSync(binary), `no rolebook binary at ${binary}; run cargo build first`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  // A fresh working directory: without --catalog the server makes its
  // workspace there on first start, as on a fresh clone.
  const cwd = mkdtempSync(join(tmpdir(), "rolebook-serve-"));
  const env = { ...process.env, RUST_LOG: "warn", NO_COLOR: "1" };
  delete env.DATABASE_URL;
  const server = spawn(binary, [...args, "serve", "--addr", `127.0.0.1:${port}`], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer ${base}/healthz within 20 s; log:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    process: server,
    log: () => log,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => server.once("exit", r));
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/**
 * Fails on any serious or critical axe-core violation. `preload: false`
 * for file:// pages: axe would fetch their stylesheets, which Chromium
 * refuses there.
 */
export async function assertAccessible(page, label, { preload = true } = {}) {
  const builder = new AxeBuilder({ page });
  const results = await (preload ? builder : builder.options({ preload: false })).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
  assert.equal(bad.length, 0, `axe found serious or critical violations on ${label}:\n${report}`);
}

/** Clicks the link named `name` in `scope` and saves the file in `dir`; returns its name, bytes and address. */
export async function saveDownload(page, scope, name, dir) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    scope.getByRole("link", { name, exact: true }).click(),
  ]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path), url: file.url() };
}
