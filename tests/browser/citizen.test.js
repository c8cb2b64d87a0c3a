// The citizen's site as a first visit tries it: « Villeurbanne » chosen once on the home page
// becomes the home, the search, the agenda, the live and the map's place; one click widens;
// the agenda is subscribed to; and every page holds on a phone (390 px: no sideways scroll)
// with no accessibility violation axe-core can find, signed out and signed in.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { accessibilityProblems, watchedPage } from "../support/browser.js";
import { personPage, signInTo } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
const made = {};
before(async () => {
  ({ site, browser } = await openSite({ zones: ["69", "974", "60"] }));
  const lea = await signInTo(site, "lea@exemple.fr");
  made.ngo = await lea.create({ kind: "organization", type: "NGO", name: "Vélo Villeurbanne", tags: ["Vélo"], address: { commune_code: "69266" } });
  made.event = await lea.create({ kind: "event", type: "market", name: "Marché des Gratte-Ciel", start: "2031-05-01T08:00:00Z", address: { commune_code: "69266" } });
  made.lyon = await lea.create({ kind: "organization", type: "NGO", name: "Jardins de la Croix-Rousse", address: { commune_code: "69123" } });
  made.reunion = await lea.create({ kind: "organization", type: "NGO", name: "Les Amis du Lagon", address: { commune_code: "97415" } });
  const headers = { "content-type": "application/json", origin: site.url, cookie: lea.cookie };
  await fetch(`${site.url}/api/posts`, { method: "POST", headers, body: JSON.stringify({ scope: "commune:69266", text: "Atelier réparation samedi" }) });
  const admin = await signInTo(site, "admin@communs.test");
  const proposal = await fetch(`${site.url}/api/proposals`, {
    method: "POST",
    headers: { ...headers, cookie: admin.cookie },
    body: JSON.stringify({
      community: "instance", title: "Quel nom pour la place du marché ?", method: "majority_judgment",
      options: [{ label: "Place des Gratte-Ciel, un nom long pour voir les lignes se replier" }, { label: "Place du Marché" }],
      eligibility: "donors", vote_until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    }),
  });
  assert.equal(proposal.status, 201, await proposal.clone().text());
  made.proposal = await proposal.json();
});
after(() => closeSite(site, browser));

test("« Villeurbanne » chosen once on the home page is where every list starts, at 1280 and 390 px", async () => {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const { page, problems } = await watchedPage(context);
    await page.goto(`${site.url}/`);
    await page.waitForSelector('[data-island="territory"][data-state="ok"]');
    assert.equal(await page.textContent('[data-field="place"]'), "toute la France");
    await page.fill("#territoire", "villeurb");
    await page.waitForFunction(() => [...document.querySelectorAll("#territoire-suggestions option")].some((o) => o.value === "Villeurbanne (69)"));
    await page.fill("#territoire", "Villeurbanne (69)");
    await page.click('form.territory button[type="submit"]');
    await page.waitForURL(`${site.url}/`);
    await page.waitForSelector('[data-island="territory"][data-state="ok"]');
    assert.equal(await page.textContent('[data-field="place"]'), "Villeurbanne (69)");
    assert.equal(await page.inputValue("#territoire"), "Villeurbanne (69)");
    assert.match(await page.textContent('[data-list="events"]'), /Marché des Gratte-Ciel/);
    assert.match(await page.textContent('[data-list="actors"]'), /Vélo Villeurbanne/);
    assert.doesNotMatch(await page.textContent('[data-list="actors"]'), /Croix-Rousse|Lagon/);
    assert.match(await page.textContent('[data-list="live"]'), /Atelier réparation samedi/);
    // One click widens to the département, without changing the commune remembered.
    await page.click('.widen a:has-text("Rhône (69)")');
    await page.waitForSelector('[data-island="territory"][data-state="ok"]');
    assert.match(await page.textContent('[data-list="actors"]'), /Croix-Rousse/);

    await page.click('nav a:has-text("Rechercher")');
    assert.equal(await page.inputValue("#ou"), "Villeurbanne (69)");
    assert.match(await page.textContent("#resultats"), /— Villeurbanne \(69\)/);
    assert.match(await page.textContent(".place-bar"), /Ma commune : Villeurbanne \(69\)/);
    await page.click('nav a:has-text("Agenda")');
    assert.match(await page.textContent("h1"), /Agenda — Villeurbanne \(69\)/);
    assert.match(await page.textContent("main"), /Marché des Gratte-Ciel/);
    const feed = await page.getAttribute('a:has-text("S’abonner à cet agenda")', "href");
    const ics = await (await fetch(`${site.url}${feed}`)).text();
    assert.match(ics, /BEGIN:VCALENDAR[\s\S]*SUMMARY:Marché des Gratte-Ciel/, "the calendar a person subscribes to");
    await page.click('nav a:has-text("Le Live")');
    assert.match(await page.textContent("h1"), /Le Live — Villeurbanne \(69\)/);
    await page.click('nav a:has-text("Carte")');
    await page.waitForSelector('[data-island="map"][data-state="ok"]');
    assert.equal(await page.inputValue("#ou"), "Villeurbanne (69)");
    assert.equal(await page.getAttribute('[data-island="map"]', "data-markers"), "2", "Villeurbanne's two placed elements");
    await page.waitForSelector('[data-island="mine"] strong');
    assert.match(await page.textContent('[data-island="mine"]'), /Ma commune : Villeurbanne \(69\) · changer/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("a name several communes bear asks which one, on the page and without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${site.url}/recherche?ou=Lyon+3`);
  assert.match(await page.textContent("#resultats"), /Lyon 3e Arrondissement \(69\)/);
  await page.goto(`${site.url}/territoire?ou=Saint-Paul&retour=%2F`);
  assert.match(await page.textContent("main"), /Plusieurs communes s’appellent « Saint-Paul »/);
  await context.close();
});

/** Every page a visitor can reach, signed out; a person's own after. */
async function pages() {
  const feature = await (await fetch(`${site.url}/api/features`)).json();
  return [
    "/", "/recherche", "/recherche?ou=Villeurbanne&kind=organization&type=NGO&rayon=10", "/recherche?tags=V%C3%A9lo",
    "/recherche?ou=Saint-Paul", "/referencer/", "/carte/", "/carte/integrer/", "/agenda/", "/live/", "/financer/",
    ...(feature.items?.length ? [`/financer/${feature.items[0].id}/`] : []),
    "/cooperation/instance/", "/donnees/", "/don/", "/transparence/", "/connexion/", "/territoire",
    "/importer/", "/profil/", "/communes/69266/", "/communes/69123/", "/departements/69/", "/regions/84/",
    `/e/${made.ngo.slug}/`, `/e/${made.event.slug}/`, `/propositions/${made.proposal.id}/`, "/page-inconnue/",
    `/discussion/?sujet=element:${made.event.id}`,
  ];
}

async function holdsOnAPhone(page, path) {
  await page.goto(`${site.url}${path}`);
  await page.waitForLoadState("networkidle");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
  );
  assert.ok(width <= 390, `${path}: ${width} px wide at 390 (${wide.join(", ")})`);
  assert.deepEqual(await accessibilityProblems(page, { all: true }), [], `${path}: axe-core`);
}

test("every page holds on a phone and passes axe-core, signed out", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page } = await watchedPage(context);
  for (const path of await pages()) await holdsOnAPhone(page, path);
  await context.close();
});

test("a person's own pages and forms hold on a phone and pass axe-core, signed in", async () => {
  const { page, context } = await personPage(browser, site, "lea@exemple.fr");
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/profil/", "/", "/referencer/", `/e/${made.ngo.slug}/`, "/cooperation/instance/", `/discussion/?sujet=element:${made.event.id}`]) await holdsOnAPhone(page, path);
  await context.close();
  // The instance's admin sees the forms: opening a proposal, and the majority-judgment ballot.
  const admin = await personPage(browser, site, "admin@communs.test");
  await admin.page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/cooperation/instance/", `/propositions/${made.proposal.id}/`]) await holdsOnAPhone(admin.page, path);
  assert.equal(await admin.page.locator("#g-0").count(), 1, "the ballot is there to be checked");
  await admin.context.close();
});

test("a proposal says beforehand who may vote: the anonymous are asked to sign in, a non-donor told why, the admin votes", async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}/propositions/${made.proposal.id}/`);
  assert.match(await page.textContent("#droit + p"), /Votent les donateur·ices/);
  assert.match(await page.textContent("main"), /Connectez-vous pour voter/);
  assert.equal(await page.locator("#g-0").count(), 0, "no ballot for the anonymous");
  await page.goto(`${site.url}/cooperation/instance/`);
  assert.equal(await page.locator("#propose").count(), 0, "no proposal form for the anonymous");
  await page.close();
  const lea = await personPage(browser, site, "lea@exemple.fr");
  await lea.page.goto(`${site.url}/propositions/${made.proposal.id}/`);
  assert.match(await lea.page.textContent("main"), /Vous ne pouvez pas voter : ce vote est réservé aux donateur·ices/);
  assert.equal(await lea.page.locator("#g-0").count(), 0);
  await lea.context.close();
  const admin = await personPage(browser, site, "admin@communs.test");
  await admin.page.goto(`${site.url}/propositions/${made.proposal.id}/`);
  assert.match(await admin.page.textContent("main"), /Vous pouvez voter\./);
  await admin.page.selectOption("#g-0", "5");
  await admin.page.selectOption("#g-1", "2");
  await admin.page.click('button:has-text("Déposer mon bulletin")');
  assert.match(await admin.page.textContent("main"), /Votre bulletin est compté/, "the admin who opened it votes on it");
  await admin.context.close();
});

test("an actor's and an event's pages show where they stand, and the event goes into a calendar", async () => {
  const { page, problems } = await watchedPage(browser);
  for (const element of [made.ngo, made.event]) {
    await page.goto(`${site.url}/e/${element.slug}/`);
    await page.waitForSelector('[data-island="spot"][data-state="ok"]');
    assert.equal(await page.locator('[data-island="spot"] .leaflet-interactive').count(), 1, "one marker");
  }
  const href = await page.getAttribute('a:has-text("Ajouter à mon agenda")', "href");
  const ics = await (await fetch(`${site.url}${href}`)).text();
  assert.match(ics, /SUMMARY:Marché des Gratte-Ciel/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("pages move with what people do: a zone's published page shows a newcomer, counters follow a click", async () => {
  // A commune's page as published (pre-rendered) before someone is referenced there…
  const stale = await (await fetch(`${site.url}/communes/69266/`)).text();
  const lea = await signInTo(site, "lea@exemple.fr");
  const newcomer = await lea.create({ kind: "organization", type: "Group", name: "Collectif du Tonkin", address: { commune_code: "69266" } });
  const { page, problems } = await watchedPage(browser);
  await page.route(`${site.url}/communes/69266/`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: stale }));
  await page.goto(`${site.url}/communes/69266/`);
  await page.waitForSelector('[data-island="zone-list"][data-state="refreshed"]');
  assert.match(await page.textContent("#acteurs + ol"), /Collectif du Tonkin/, "…shows it once opened");
  await page.close();

  // An anonymous visitor's copy of a page (published before the click) reads the counts afresh.
  const anonymous = await browser.newPage();
  const published = await (await fetch(`${site.url}/e/${newcomer.slug}/`)).text();
  await anonymous.route(`${site.url}/e/${newcomer.slug}/`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: published }));
  const person = await personPage(browser, site, "noe@exemple.fr");
  await person.page.goto(`${site.url}/e/${newcomer.slug}/`);
  assert.equal(await person.page.textContent("[data-links]"), "0 abonné·e, 1 membre");
  await person.page.click('button[data-action="follow"]');
  await person.page.waitForFunction(() => document.querySelector("[data-links]").textContent === "1 abonné·e, 1 membre");
  await anonymous.goto(`${site.url}/e/${newcomer.slug}/`);
  await anonymous.waitForFunction(() => document.querySelector("[data-links]").textContent === "1 abonné·e, 1 membre");
  assert.deepEqual(problems, []);
  await anonymous.close();
  await person.context.close();
});

test("« Mon espace »: my votes, saying beforehand whether I may, my elements, and sign-out from the header", async () => {
  const { page, problems, context } = await personPage(browser, site, "lea@exemple.fr");
  await page.waitForSelector('[data-list="links"] a');
  const links = await page.locator('[data-list="links"] h3').allTextContents();
  assert.ok(links.includes("Vélo Villeurbanne") && links.includes("Marché des Gratte-Ciel"), links.join());
  assert.match(await page.textContent('[data-list="links"]'), /administrateur·ice/);
  assert.match(await page.textContent('[data-list="votes"]'), /Quel nom pour la place du marché \?.*vous ne pouvez pas voter/s);
  assert.equal(await page.textContent('[data-island="session"] a'), "Mon espace");
  await page.click('header button:has-text("Se déconnecter")');
  await page.waitForURL(`${site.url}/`);
  await page.waitForSelector('[data-island="session"] a:has-text("Se connecter")');
  assert.deepEqual(problems, []);
  await context.close();
});

test("the associations near Lyon, by type and distance from the form; a tag kept, then taken off", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${site.url}/recherche`);
  await page.fill("#ou", "Lyon (69)");
  await page.selectOption("#type", "NGO");
  await page.selectOption("#rayon", "10");
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForURL(/rayon=10/);
  const names = await page.locator(".results h3").allTextContents();
  assert.ok(names.includes("Jardins de la Croix-Rousse") && names.includes("Vélo Villeurbanne"), names.join());
  assert.ok(!names.includes("Les Amis du Lagon"));
  assert.equal(await page.inputValue("#type"), "NGO", "the filters stay in the form");
  assert.equal(await page.inputValue("#rayon"), "10");
  // A tag followed from an element's page is a filter shown, kept by the form, taken off in a click.
  await page.goto(`${site.url}/e/${made.ngo.slug}/`);
  await page.click('.tags a:has-text("Vélo")');
  assert.match(await page.textContent(".chips"), /Étiquette « Vélo »/);
  await page.fill("#ou", "Villeurbanne (69)");
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForURL(/tags=V%C3%A9lo/);
  assert.deepEqual(await page.locator(".results h3").allTextContents(), ["Vélo Villeurbanne"]);
  await page.click('.chips a[aria-label="Retirer l’étiquette Vélo"]');
  assert.equal(await page.locator(".chips").count(), 0);
  assert.ok((await page.locator(".results h3").count()) >= 2, "every actor of Villeurbanne again");
  assert.deepEqual(problems, []);
  await page.close();
});
