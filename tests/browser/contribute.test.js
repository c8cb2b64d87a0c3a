// Contributing through the pages: reference an element with the form, find it at once, follow
// and join it, edit it, manage its members; and a pre-rendered page that went stale is
// replaced by the current one for the people who act on it.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { root } from "../support/project.js";
import { personPage as signedInPage, signInTo } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
const written = [];
before(async () => ({ site, browser } = await openSite()));
after(async () => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
  await closeSite(site, browser);
});

const personPage = (email) => signedInPage(browser, site, email);

test("a person references an organization with the form and finds it at once", async () => {
  const { page, problems, context } = await personPage("claire@exemple.fr");
  await page.goto(`${site.url}/referencer/`);
  await page.waitForSelector("#element-form:not([hidden])");
  await page.selectOption("#kind", "organization");
  await page.selectOption("#type", "LocalBusiness");
  await page.fill("#name", "Épicerie <b>Vrac</b> des Hauts");
  await page.fill("#short_description", "Produits locaux sans emballage");
  await page.fill("#tags", "Épicerie, Vrac");
  await page.fill("#ou", "Saint-Paul");
  // A field the server refuses is named, and what was typed stays.
  await page.fill("#url", "pas une adresse");
  await page.click('#element-form button[type="submit"]');
  await page.waitForSelector('#url[aria-invalid="true"]');
  assert.match(await page.textContent("#form-error"), /Site web/);
  assert.equal(await page.inputValue("#name"), "Épicerie <b>Vrac</b> des Hauts");
  await page.fill("#url", "https://vrac.exemple.fr");
  await page.click('#element-form button[type="submit"]');
  await page.waitForURL(/\/e\/epicerie-b-vrac-b-des-hauts\/$|\/e\/epicerie-vrac-des-hauts\/$/);
  assert.equal(await page.textContent("h1"), "Épicerie <b>Vrac</b> des Hauts", "markup is shown as text");
  assert.match(await page.textContent(".kicker"), /Entreprise · Saint-Paul/);

  const found = await (await fetch(`${site.url}/api/search?q=epicerie&tags=vrac&scope=departement:974`)).json();
  assert.deepEqual(found.items.map((i) => i.name), ["Épicerie <b>Vrac</b> des Hauts"]);
  const elsewhere = await (await fetch(`${site.url}/api/search?q=epicerie&scope=commune:97416`)).json();
  assert.equal(elsewhere.items.length, 0);
  const refused = /status of 400|HTTP 400: .*\/api\/elements$/;
  assert.deepEqual(problems.filter((p) => !refused.test(p)), [], "only the refused save is an HTTP error");
  await context.close();
});

test("follow and join from an element's page; its admin edits it and accepts the request", async () => {
  const alice = await signInTo(site, "alice@exemple.fr");
  const element = await alice.create({
    kind: "organization", type: "NGO", name: "Association des Hauts", requires_approval: true,
    address: { commune_code: "97415" },
  });

  const bob = await personPage("bob@exemple.fr");
  await bob.page.goto(`${site.url}/e/${element.slug}/`);
  await bob.page.waitForSelector('[data-when="signed-in"]:not([hidden])');
  assert.equal(await bob.page.isVisible('[data-action="edit"]'), false, "only admins edit a closed element");
  await bob.page.click('[data-action="follow"]');
  await bob.page.waitForSelector('[data-action="follow"][aria-pressed="true"]');
  await bob.page.click('[data-action="join"]');
  await bob.page.waitForSelector('[data-action="join"][aria-pressed="true"]');
  assert.match(await bob.page.textContent("[data-status]"), /Demande envoyée/);
  assert.deepEqual(bob.problems, []);
  await bob.context.close();

  const admin = await personPage("alice@exemple.fr");
  await admin.page.goto(`${site.url}/e/${element.slug}/`);
  await admin.page.waitForSelector("[data-members]:not([hidden])");
  assert.match(await admin.page.textContent("[data-member-list]"), /demande en attente/);
  await admin.page.click('[data-member-list] button:has-text("Accepter")');
  await admin.page.waitForFunction(() => !document.querySelector("[data-member-list]").textContent.includes("en attente"));

  await admin.page.click('[data-action="edit"]');
  await admin.page.waitForSelector("#element-form:not([hidden])");
  assert.equal(await admin.page.inputValue("#name"), "Association des Hauts");
  assert.equal(await admin.page.isDisabled("#kind"), true);
  await admin.page.fill("#short_description", "Randonnées et chantiers nature");
  await admin.page.click('#element-form button[type="submit"]');
  await admin.page.waitForURL(`${site.url}/e/${element.slug}/`);
  assert.equal(await admin.page.textContent(".lead"), "Randonnées et chantiers nature");
  assert.match(await admin.page.textContent(".facts"), /1 abonné·e, 2 membres/);
  assert.deepEqual(admin.problems, []);
  await admin.context.close();
});

test("a pre-rendered page older than its element is replaced for the people acting on it", async () => {
  const alice = await signInTo(site, "alice@exemple.fr");
  const element = await alice.create({ kind: "poi", type: "sharedLibrary", name: "Boîte à livres du marché", address: { commune_code: "97415" } });
  // Publish the page as the generator would, then change the element.
  const published = await (await fetch(`${site.url}/e/${element.slug}/`)).text();
  const dir = join(root, "static-site/dist/e", element.slug);
  mkdirSync(dir, { recursive: true });
  written.push(dir);
  writeFileSync(join(dir, "index.html"), published);
  const headers = { "content-type": "application/json", origin: site.url, cookie: alice.cookie };
  const patched = await fetch(`${site.url}/api/elements/${element.id}`, { method: "PATCH", headers, body: JSON.stringify({ short_description: "Ouverte tous les jours" }) });
  assert.equal(patched.status, 200);

  // Anonymous visitors get the published file (no request to the worker) …
  let served;
  for (let i = 0; i < 40; i++) {
    served = await fetch(`${site.url}/e/${element.slug}/`);
    if (served.headers.get("etag")) break; // the static file, once wrangler has seen it
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(served.headers.get("etag"), "the pre-rendered file is served");
  assert.doesNotMatch(await served.text(), /Ouverte tous les jours/);
  // … and the person acting on it sees the current element.
  const { page, problems, context } = await personPage("alice@exemple.fr");
  await page.goto(`${site.url}/e/${element.slug}/`);
  await page.waitForSelector(".lead");
  assert.equal(await page.textContent(".lead"), "Ouverte tous les jours");
  assert.deepEqual(problems, []);
  await context.close();
});
