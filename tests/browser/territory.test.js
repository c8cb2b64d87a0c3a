// The real territory in the pages: a commune's page draws its contour and names its
// arrondissements; the form places an element by a click on the map (the commune and postal
// code filled from the point), and it is found at once by postal code, commune and near its
// point; an unknown place is said, not answered with an empty list.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { accessibilityProblems, watchedPage } from "../support/browser.js";
import { personPage } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite({ zones: ["69", "974"], townHalls: true })));
after(() => closeSite(site, browser));

const api = async (path) => (await fetch(`${site.url}${path}`)).json();

test("a person places an organization by clicking in Villeurbanne, and finds it at once", async () => {
  const { page, problems, context } = await personPage(browser, site, "lea@exemple.fr");
  await page.goto(`${site.url}/referencer/`);
  const picker = page.locator('[data-island="picker"][data-state="ok"]');
  await picker.waitFor();
  await page.fill("#name", "Repair café des Gratte-Ciel");
  // A commune chosen moves the marker there; the map then shows Villeurbanne to click in.
  await page.fill("#ou", "Villeurbanne — 69266");
  await page.dispatchEvent("#ou", "change");
  await page.waitForFunction(() => document.querySelector("#picker-status").textContent.includes("Villeurbanne"));
  assert.equal(await page.inputValue("#lat"), "", "no coordinates until a point is chosen");
  await page.locator("h1").click(); // closes the suggestions
  const box = await picker.boundingBox();
  await picker.click({ position: { x: box.width * 0.55, y: box.height * 0.45 } });
  await page.waitForFunction(() => document.querySelector("#picker-status").textContent.startsWith("Point placé"));
  assert.equal(await page.inputValue("#ou"), "Villeurbanne — 69266");
  assert.equal(await page.inputValue("#postal_code"), "69100");
  assert.deepEqual(await accessibilityProblems(page), [], "the form with its map, by axe-core");
  const [lat, lon] = [Number(await page.inputValue("#lat")), Number(await page.inputValue("#lon"))];
  assert.ok(Math.abs(lat - 45.77) < 0.05 && Math.abs(lon - 4.88) < 0.05, `${lat},${lon}`);
  await page.click('#element-form button[type="submit"]');
  await page.waitForURL(/\/e\/repair-cafe-des-gratte-ciel\/$/);
  assert.match(await page.textContent(".kicker"), /Villeurbanne/);
  for (const query of ["scope=postal:69100", "scope=commune:69266", `near=${lat},${lon},1`]) {
    const found = await api(`/api/search?${query}&q=repair`);
    assert.deepEqual(found.items.map((i) => i.name), ["Repair café des Gratte-Ciel"], query);
    assert.equal(found.items[0].lat, lat, query);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a commune's page draws its contour and names its arrondissements, at 1280 and 390 px", async () => {
  for (const width of [1280, 390]) {
    const { page, problems } = await watchedPage(browser);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${site.url}/communes/69123/`);
    assert.equal(await page.textContent("h1"), "Lyon");
    assert.match(await page.textContent("main"), /Codes postaux : 69001, 69002, 69003/);
    const arrondissements = await page.locator("#arrondissements + ul a").allTextContents();
    assert.equal(arrondissements.length, 9);
    assert.ok(arrondissements.includes("Lyon 3e Arrondissement"));
    await page.waitForSelector('[data-island="map"][data-outline="contour"]');
    assert.ok((await page.locator(".leaflet-overlay-pane path").count()) >= 1, "the contour is drawn");
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
    assert.equal(scrolls, false, `no sideways scroll at ${width}`);
    assert.deepEqual(await accessibilityProblems(page), [], `axe-core at ${width}`);
    await page.click('a:text("Lyon 3e Arrondissement")');
    await page.waitForURL(/\/communes\/69383\/$/);
    assert.match(await page.textContent("main"), /Arrondissement municipal de Lyon/);
    assert.match(await page.textContent("main"), /Code postal : 69003/);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("an unknown zone or place is said in French, with no list", async () => {
  const { page, problems } = await watchedPage(browser);
  for (const [path, message] of [
    ["/recherche?scope=commune:00000", /Ce lieu est inconnu/],
    ["/recherche?ou=zzzz", /Lieu introuvable : « zzzz »/],
    ["/agenda/?scope=postal:00001", /Ce lieu est inconnu/],
  ]) {
    const response = await page.goto(`${site.url}${path}`);
    assert.equal(response.status(), 400, path);
    assert.match(await page.textContent('[role="alert"].error'), message, path);
    assert.equal(await page.locator(".results li").count(), 0, path);
    assert.deepEqual(await accessibilityProblems(page), [], path);
  }
  assert.ok(problems.every((p) => /HTTP 400|status of 400/.test(p)), problems.join("\n"));
  await page.close();
});

test("« mairie » searched in Saint-Paul opens its town hall, with its hours and its source", async () => {
  for (const width of [1280, 390]) {
    const { page, problems } = await watchedPage(browser);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${site.url}/recherche`);
    await page.fill("#q", "mairie");
    await page.fill("#ou", "Saint-Paul — 97415");
    await page.press("#q", "Enter");
    await page.waitForURL(/\/recherche\?/);
    await page.click('.results a:text("Mairie de Saint-Paul")');
    await page.waitForURL(/\/e\/mairie-de-saint-paul/);
    assert.equal(await page.textContent("h1"), "Mairie de Saint-Paul");
    assert.match(await page.textContent(".kicker"), /Service public · Saint-Paul/);
    const hours = await page.locator(".hours li").allTextContents();
    assert.ok(hours.length > 0 && hours.every((h) => /^(Du|Le|Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche).* : de \d+ h/.test(h)), hours.join(" | "));
    assert.match(await page.textContent(".meta"), /Annuaire de l’administration.*Licence Ouverte 2\.0/);
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
    assert.equal(scrolls, false, `no sideways scroll at ${width}`);
    if (width === 1280) await page.screenshot({ path: "test-results/town-hall.png", fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), [], `axe-core at ${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});
