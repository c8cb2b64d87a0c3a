// The installable app: Chromium's own installability check passes (the check Lighthouse's audit
// ran), the manifest's icons exist, the pages and agenda last visited read offline, a page not
// kept shows the French offline page, and nothing private is kept on the device.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchProfile } from "../support/browser.js";
import { signInPage } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";
import { signInTo } from "../support/site-data.js";

let site;
let browser;
before(async () => {
  ({ site, browser } = await openSite({ zones: ["974"] }));
  const lea = await signInTo(site, "lea@exemple.fr");
  await lea.create({ kind: "event", type: "market", name: "Marché forain du jeudi", start: "2031-03-06T05:00:00Z", address: { commune_code: "97415" } });
});
after(() => closeSite(site, browser));

test("Chromium finds the site installable, with its icons", async () => {
  const profile = await launchProfile();
  const context = profile.context;
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  assert.deepEqual(installabilityErrors, []);
  const { url: manifestUrl, errors } = await cdp.send("Page.getAppManifest");
  assert.equal(manifestUrl, `${site.url}/manifest.webmanifest`);
  assert.deepEqual(errors, []);
  const manifest = await (await fetch(manifestUrl)).json();
  assert.equal(manifest.lang, "fr");
  for (const icon of manifest.icons) {
    const response = await fetch(`${site.url}${icon.src}`);
    assert.equal(response.status, 200, icon.src);
    assert.equal(response.headers.get("content-type").split(";")[0], icon.type, icon.src);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === "512x512" && i.purpose === "maskable"));
  await profile.close();
});

test("the pages and agenda last visited read offline; others show the offline page; nothing private is kept", async () => {
  const context = await browser.newContext({ serviceWorkers: "allow" });
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // now under the worker's control
  await signInPage(page, site, "noa@exemple.fr");
  await page.waitForSelector("#profile:not([hidden])");
  await page.goto(`${site.url}/agenda/?ou=Saint-Paul`);
  assert.match(await page.textContent("main"), /Marché forain du jeudi/);
  await page.goto(`${site.url}/e/${(await (await fetch(`${site.url}/api/agenda?scope=commune:97415`)).json()).items[0].slug}/`);

  await context.setOffline(true);
  await page.goto(`${site.url}/agenda/?ou=Saint-Paul`);
  assert.match(await page.textContent("main"), /Marché forain du jeudi/, "the agenda visited, offline");
  await page.goto(`${site.url}/`);
  assert.match(await page.textContent("h1"), /Se connecter à sa commune/, "the shell, offline");
  await page.goto(`${site.url}/recherche?q=jamais-vue`);
  assert.match(await page.textContent("h1"), /Vous êtes hors ligne/);
  await page.goto(`${site.url}/profil/`);
  assert.match(await page.textContent("h1"), /Vous êtes hors ligne/, "a private page is never kept");

  const kept = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  });
  assert.ok(kept.some((u) => u.includes("/agenda/")), kept.join("\n"));
  for (const url of kept) assert.doesNotMatch(url, /\/api\/(me|auth|dev)|\/profil\/|\/connexion\//, url);
  await context.close();
});
