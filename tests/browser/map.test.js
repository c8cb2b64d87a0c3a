// The map island: Leaflet from the site itself, one keyboard-reachable marker per located
// result, clustered, any number of them; a popup that leads to the element; the same search
// asked again within the area shown. Tiles are answered locally (see tests/support/browser.js).
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
  assert.match(await page.textContent(".leaflet-control-attribution"), /OpenStreetMap/);
  // A marker is reached with the keyboard and named; Entrée opens its popup.
  const pin = page.locator('.pin[tabindex="0"]').first();
  await pin.waitFor();
  assert.ok(["Les Amis du Lagon", "Boîte à livres du front de mer"].includes(await pin.getAttribute("aria-label")));
  await pin.focus();
  await page.keyboard.press("Enter");
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
  assert.equal(await page.inputValue("#ou"), "saint-pierre", "the form keeps what was asked");
  assert.deepEqual(problems, []);
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${site.url}/recherche?q=&ou=saint-paul`);
  assert.equal(await plain.isHidden('[data-island="map"]'), true);
  assert.equal(await plain.locator(".results li").count(), 2);
  await noScript.close();
});

test("a map holds any number of results in clusters, says how many, lists them, and searches again where it is moved", async () => {
  const many = await signInTo(site, "beaucoup@exemple.fr");
  for (let i = 0; i < 120; i++) {
    await many.create({ kind: "poi", type: "sharedLibrary", name: `Boîte à livres n° ${i + 1}`, address: { commune_code: "97411" }, lat: -20.88 + (i % 12) * 0.004, lon: 55.45 + Math.floor(i / 12) * 0.004 });
  }
  const { page, problems } = await mapPage();
  await page.goto(`${site.url}/carte/?q=livres&ou=saint-denis`);
  await page.waitForSelector('[data-island="map"][data-state="ok"]');
  assert.equal(await page.getAttribute('[data-island="map"]', "data-markers"), "120", "past a hundred: every one");
  assert.match(await page.textContent("#map-status"), /120 résultats sur la carte/);
  assert.ok((await page.locator(".marker-cluster").count()) > 0, "clustered");
  assert.equal(await page.locator("#map-list li").count(), 120, "the same, in a list");
  assert.equal(await page.isHidden('[data-action="search-here"]'), true);
  // Zoomed in by hand: the search is asked again within the area shown.
  await page.click(".leaflet-control-zoom-in");
  await page.click(".leaflet-control-zoom-in");
  await page.click('[data-action="search-here"]');
  await page.waitForSelector('[data-island="map"][data-within]');
  const shown = Number(await page.getAttribute('[data-island="map"]', "data-markers"));
  assert.ok(shown > 0 && shown < 120, `${shown} within the area`);
  assert.deepEqual(problems, []);
});
