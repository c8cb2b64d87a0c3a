// The directory in Chromium: the search works without JavaScript, element pages are clean,
// and the home page's counters fill in.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { watchedPage } from "../support/browser.js";
import { signInTo } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
let element;
before(async () => {
  ({ site, browser } = await openSite());
  const camille = await signInTo(site, "camille@exemple.fr");
  element = await camille.create({
    kind: "organization",
    type: "LocalBusiness",
    name: "Épicerie du Vrac",
    tags: ["Épicerie", "Vrac"],
    short_description: "Produits locaux sans emballage",
    address: { commune_code: "97415" },
  });
});
after(() => closeSite(site, browser));

test("without JavaScript, the home page's form finds an element by what and where", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  await page.fill("#q", "epicerie");
  await page.fill("#ou", "Saint-Paul");
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForURL(/\/recherche\?/);
  assert.match(await page.textContent("#resultats"), /1 résultat — Saint-Paul/);
  await page.click(`a[href="/e/${element.slug}/"]`);
  await page.waitForURL(`${site.url}/e/${element.slug}/`);
  assert.equal(await page.textContent("h1"), "Épicerie du Vrac");
  await context.close();
});

test("an element's page has its JSON-LD, no console error, and links its commune", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${site.url}/e/${element.slug}/`);
  const ld = JSON.parse(await page.textContent('script[type="application/ld+json"]'));
  assert.equal(ld["@type"], "LocalBusiness");
  assert.equal(ld.address.addressLocality, "Saint-Paul");
  assert.deepEqual(problems, []);
  await page.click('a[href="/communes/97415/"]');
  await page.waitForURL(`${site.url}/communes/97415/`);
  assert.equal(await page.textContent("h1"), "Saint-Paul");
  assert.ok(await page.isVisible(`a[href="/e/${element.slug}/"]`));
});

test("the home page's counters come from the database", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${site.url}/`);
  await page.waitForSelector('[data-island="stats"][data-state="ok"]');
  assert.equal(await page.textContent('[data-counter="businesses"]'), "1");
  assert.equal(await page.textContent('[data-counter="citizens"]'), "1");
  assert.deepEqual(problems, []);
});

test("a tag on an element's page leads to every element with that tag", async () => {
  const { page } = await watchedPage(browser);
  await page.goto(`${site.url}/e/${element.slug}/`);
  await page.click('.tags a:text("Vrac")');
  await page.waitForURL(/\/recherche\?tags=Vrac/);
  assert.match(await page.textContent("#resultats"), /1 résultat/);
});

test("a signed-in person posts to a commune's Live from its page", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await fetch(`${site.url}/api/auth/email`, { method: "POST", headers: { "content-type": "application/json", origin: site.url }, body: JSON.stringify({ email: "live@exemple.fr" }) });
  const outbox = await (await fetch(`${site.url}/api/dev/outbox`)).json();
  const { token } = outbox.items.find((m) => m.to === "live@exemple.fr");
  await page.goto(`${site.url}/connexion/#jeton=${token}`);
  await page.waitForURL(`${site.url}/profil/`);
  await page.goto(`${site.url}/live/?ou=saint-paul`);
  await page.waitForSelector("#post-form:not([hidden])");
  await page.fill("#post-text", "Nettoyage de la plage samedi à 8 h !");
  await page.click('#post-form button[type="submit"]');
  await page.waitForSelector('.post:text("Nettoyage de la plage samedi à 8 h !")');
  assert.match(await page.textContent(".results li:first-child .kicker"), /Un·e habitant·e/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the place field suggests zones as one types, each by a name that finds it again", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${site.url}/recherche`);
  await page.fill("#ou", "saint-pa");
  await page.waitForFunction(() => document.querySelectorAll("#ou-suggestions option").length > 0);
  const first = await page.getAttribute("#ou-suggestions option", "value");
  assert.equal(first, "Saint-Paul (974)");
  await page.fill("#ou", first);
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForURL(/\/recherche\?/);
  assert.match(await page.textContent("#resultats"), /— Saint-Paul \(974\)$/);
  assert.deepEqual(problems, []);
});
