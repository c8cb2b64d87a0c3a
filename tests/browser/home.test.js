// The served site in a real headless Chromium: what a visitor sees and can do.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { watchedPage } from "../support/browser.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

test("the home page is French, error-free, and its island shows the API's health", async () => {
  const { page, problems } = await watchedPage(browser);
  const response = await page.goto(`${site.url}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.equal(await page.textContent("h1"), "Se connecter à sa commune");
  const island = page.locator('[data-island="health"]');
  await island.and(page.locator('[data-state="ok"]')).waitFor({ timeout: 10_000 });
  assert.match(await island.textContent(), /^en service \(version \d+\.\d+\.\d+, schéma \d+\)$/);
  assert.deepEqual(problems, []);
});

test("static pages carry the same security headers as the API", async () => {
  const { page } = await watchedPage(browser);
  const response = await page.goto(`${site.url}/`);
  const headers = response.headers();
  assert.match(headers["content-security-policy"] ?? "", /script-src 'self'/);
  assert.equal(headers["x-content-type-options"], "nosniff");
});

test("keyboard users reach a skip link first, and it leads to the content", async () => {
  const { page } = await watchedPage(browser);
  await page.goto(`${site.url}/`);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => ({ text: document.activeElement.textContent, href: document.activeElement.getAttribute("href") }));
  assert.deepEqual(focused, { text: "Aller au contenu", href: "#contenu" });
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "contenu");
});

test("the navigation reaches the open-data page, and an unknown page is a French 404", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${site.url}/`);
  await page.click("nav >> text=Données ouvertes");
  await page.waitForURL(`${site.url}/donnees/`);
  assert.equal(await page.textContent("h1"), "Données ouvertes");
  assert.equal(await page.getAttribute('nav a[aria-current="page"]', "href"), "/donnees/");
  const missing = await page.goto(`${site.url}/pas-de-page-ici/`);
  assert.equal(missing.status(), 404);
  assert.equal(await page.textContent("h1"), "Page introuvable");
  // The only failure allowed is the missing page itself.
  const expected = [`HTTP 404: ${site.url}/pas-de-page-ici/`];
  assert.deepEqual(problems.filter((p) => !p.startsWith("console: Failed to load resource")), expected);
});
