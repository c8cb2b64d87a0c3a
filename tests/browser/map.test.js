// The map island: Leaflet from the site itself, one marker per located result, a popup that
// leads to the element. Tiles are answered locally (see tests/support/browser.js).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { watchedPage } from "../support/browser.js";
import { closeSite, openSite } from "../support/server.js";
import { signInTo } from "../support/site-data.js";

let site;
let browser;
let elements;
before(async () => {
  ({ site, browser } = await openSite());
  const camille = await signInTo(site, "carte@exemple.fr");
  elements = [
    await camille.create({ kind: "organization", type: "NGO", name: "Les Amis du Lagon", address: { commune_code: "97415" } }),
    await camille.create({ kind: "poi", type: "sharedLibrary", name: "Boîte à livres du front de mer", address: { commune_code: "97415" }, lat: -21.01, lon: 55.27 }),
    await camille.create({ kind: "organization", type: "NGO", name: "Club de Saint-Pierre", address: { commune_code: "97416" } }),
  ];
});
after(() => closeSite(site, browser));

const mapPage = () => watchedPage(browser);

test("the search page draws one marker per result, and a marker leads to its element", async () => {
  const { page, problems } = await mapPage();
  await page.goto(`${site.url}/recherche?q=&ou=saint-paul`);
  await page.waitForSelector('[data-island="map"][data-state="ok"]');
  assert.equal(await page.getAttribute('[data-island="map"]', "data-markers"), "2");
  assert.equal(await page.locator("path.leaflet-interactive").count(), 2);
  assert.match(await page.textContent(".leaflet-control-attribution"), /OpenStreetMap/);
  await page.locator("path.leaflet-interactive").first().click({ force: true });
  const link = page.locator(".leaflet-popup-content a");
  await link.waitFor();
  const href = await link.getAttribute("href");
  assert.ok(elements.some((e) => href === `/e/${e.slug}/`), href);
  assert.deepEqual(problems, []);
});

test("the map page resolves a typed place, and the list stays for those without the map", async () => {
  const { page, problems } = await mapPage();
  await page.goto(`${site.url}/carte/?ou=saint-pierre`);
  await page.waitForSelector('[data-island="map"][data-state="ok"]');
  assert.equal(await page.getAttribute('[data-island="map"]', "data-markers"), "1");
  assert.deepEqual(problems, []);
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${site.url}/recherche?q=&ou=saint-paul`);
  assert.equal(await plain.isHidden('[data-island="map"]'), true);
  assert.equal(await plain.locator(".results li").count(), 2);
  await noScript.close();
});
