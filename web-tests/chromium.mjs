// Debian's Chromium for the browser tests, launched the one way that works
// on a machine with no outside network: headless, in a fresh profile, with
// every background connection switched off (otherwise Chromium keeps
// trying to reach Google's hosts).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A persistent context in a new temporary profile; returns it and the profile directory (remove it when done). */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "rolebook-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return { context, profile };
}
