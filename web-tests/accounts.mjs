// What the workspace's browser tests share: the setup link `serve`
// prints, joining from a sign-up link, signing in, and inviting someone
// from the admin's users page.
import assert from "node:assert/strict";

export const PASSWORD = "a long enough test passphrase";

/** The setup link `server` printed. */
export async function setupLink(server) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const match = server.log().match(/http:\/\/\S+\/setup\/\S+/);
    if (match) return match[0];
    if (Date.now() > deadline) throw new Error(`no setup link in the log:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Accepts a sign-up link as `name` in `context`, signed out first; returns the page. */
export async function join(context, link, name, email) {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(link);
  if (email) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password (12 to 128 characters)").fill(PASSWORD);
  await page.getByLabel("The same password again").fill(PASSWORD);
  await page.getByRole("button").filter({ hasText: /Join|Create the admin account/ }).click();
  return page;
}

/** Signs `email` in on `page`, whatever page it is on. */
export async function signIn(page, base, email) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** Makes a sign-up link for `email` as `role` on the admin's users page. */
export async function invite(page, base, email, role) {
  await page.goto(`${base}/admin/users`);
  const form = page.locator("form", { has: page.getByRole("button", { name: "Make a sign-up link" }) });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Make a sign-up link" }).click();
  const link = (await page.locator(".notice.secret code").innerText()).trim();
  assert.match(link, /\/invitations\//);
  return link;
}
