// Content for page tests: a person signed in through the real flow, and elements they create.
import { watchedPage } from "./browser.js";
export async function signInTo(site, email) {
  const headers = { "content-type": "application/json", origin: site.url };
  await fetch(`${site.url}/api/auth/email`, { method: "POST", headers, body: JSON.stringify({ email }) });
  const outbox = await (await fetch(`${site.url}/api/dev/outbox`)).json();
  const token = outbox.items.find((m) => m.to === email).token;
  const verified = await fetch(`${site.url}/api/auth/verify`, { method: "POST", headers, body: JSON.stringify({ token }) });
  const cookie = verified.headers.getSetCookie()[0].split(";")[0];
  return {
    cookie,
    async create(element) {
      const response = await fetch(`${site.url}/api/elements`, { method: "POST", headers: { ...headers, cookie }, body: JSON.stringify(element) });
      if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

/** Signs `email` in within a browser page, through the link a person would follow. */
export async function signInPage(page, site, email) {
  const headers = { "content-type": "application/json", origin: site.url };
  await fetch(`${site.url}/api/auth/email`, { method: "POST", headers, body: JSON.stringify({ email }) });
  const outbox = await (await fetch(`${site.url}/api/dev/outbox`)).json();
  const token = outbox.items.find((m) => m.to === email).token;
  await page.goto(`${site.url}/connexion/#jeton=${token}`);
  await page.waitForURL(`${site.url}/profil/`);
}

/** A new browser context with a watched page, signed in as `email`. */
export async function personPage(browser, site, email) {
  const context = await browser.newContext();
  const watched = await watchedPage(context);
  await signInPage(watched.page, site, email);
  return { ...watched, context };
}
