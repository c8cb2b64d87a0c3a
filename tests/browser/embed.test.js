// The embeddable map (issue 7): the builder page writes the iframe code for a territory, kinds
// and labelled tag groups; pasted into a page of another origin, the map loads there (it may be
// framed, unlike the rest of the site) and its group filters change what it shows.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { signInTo, personPage as signedInPage } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
let host;
before(async () => ({ site, browser } = await openSite()));
after(async () => {
  host?.close();
  await closeSite(site, browser);
});

/** A page of another origin (another port) holding `html`, on loopback. */
function hostPage(html) {
  return new Promise((resolve) => {
    host = createServer((_, response) => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
    host.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${host.address().port}/`));
  });
}

test("a map built for a commune and two tag groups, embedded in another site", async () => {
  const camille = await signInTo(site, "camille@exemple.fr");
  for (const [name, tags, lat] of [["Épicerie du Vrac", ["Épicerie", "Vrac"], -21.01], ["Jardin partagé", ["Jardin"], -21.02], ["Club de foot", ["Sport"], -21.03]]) {
    await camille.create({ kind: "organization", type: "NGO", name, tags, lat, lon: 55.27, address: { commune_code: "97415" } });
  }
  const { page, problems, context } = await signedInPage(browser, site, "camille@exemple.fr");
  await page.goto(`${site.url}/carte/`);
  await page.click('a:has-text("intégrer une carte")');
  await page.waitForURL(`${site.url}/carte/integrer/`);
  await page.fill("#b-title", "Les acteurs de Saint-Paul");
  await page.fill("#b-scope", "Saint-Paul");
  await page.waitForFunction(() => [...document.querySelectorAll("#b-zones option")].some((o) => o.value.endsWith("commune:97415")));
  const choice = await page.$eval("#b-zones", (list) => [...list.options].find((o) => o.value.endsWith("commune:97415")).value);
  await page.fill("#b-scope", choice);
  await page.fill("#b-groups", "Alimentation : épicerie, vrac\nNature : jardin");
  const code = await page.inputValue("#b-code");
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/carte\/integree\/\?[^"]*scope=commune%3A97415[^"]*" title="Les acteurs de Saint-Paul"/);
  assert.match(code, /kind=organization/);
  assert.match(code, /groupes=Alimentation/);
  const preview = page.frameLocator("#b-preview");
  await preview.locator('[data-island="map-embed"][data-state="ok"]').waitFor();
  assert.deepEqual(problems, []);
  await context.close();

  const elsewhere = await hostPage(`<!doctype html><html lang="fr"><title>Le site d’une association</title><h1>Notre réseau</h1>${code}</html>`);
  const visitor = await browser.newPage();
  await visitor.route("https://tile.openstreetmap.org/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: Buffer.alloc(0) }));
  await visitor.goto(elsewhere);
  const frame = visitor.frameLocator("iframe");
  const map = frame.locator('[data-island="map-embed"][data-state="ok"]');
  await map.waitFor();
  assert.equal(await frame.locator("h1").textContent(), "Les acteurs de Saint-Paul");
  assert.equal(await map.getAttribute("data-markers"), "2", "what carries a tag of a group: the grocery and the garden");
  await frame.getByLabel("Nature").uncheck();
  await frame.locator('[data-markers="1"]').waitFor();
  assert.match(await frame.locator("#embed-status").textContent(), /1 fiche/);
  await visitor.close();
});
