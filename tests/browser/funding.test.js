// Funding through the pages, as a new user tries it on `make dev`: a monthly gift through the
// test checkout moves the counters; a donor proposes a 2 600 € feature; two people pledge
// through the card set-up page until it is funded; the finances page shows both charges.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { watchedPage } from "../support/browser.js";
import { personPage as signedInPage } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

const personPage = (email) => signedInPage(browser, site, email);

const nbsp = (text) => text.replace(/[\u00a0\u202f]/g, " ");
let featureUrl;

test("a monthly gift of 5 € through the test checkout moves the counters", async () => {
  const { page, problems, context } = await personPage("dora@exemple.fr");
  await page.goto(`${site.url}/don/`);
  await page.waitForSelector('[data-island="funding"][data-state="ok"]');
  assert.equal(nbsp(await page.textContent('[data-field="monthly_cents"]')), "0,00 €");
  await page.waitForSelector("#donate-form:not([hidden])");
  assert.equal(await page.isChecked("#monthly"), true, "monthly is offered first");
  await page.check("#preset-5");
  await page.click('#donate-form button[type="submit"]');
  await page.waitForURL(/\/don\/paiement-test\/\?don=/);
  await page.waitForSelector("#checkout:not([hidden])");
  assert.match(nbsp(await page.textContent("#checkout-what")), /5,00 € par mois/);
  await page.click("#checkout-pay");
  await page.waitForURL(/\/don\/\?merci=/);
  await page.waitForFunction(() => /Merci/.test(document.getElementById("donate-status").textContent));
  assert.match(nbsp(await page.textContent("#donate-status")), /5,00 € par mois est bien reçu/);
  await page.waitForFunction(() => /5,00/.test(document.querySelector('[data-field="monthly_cents"]').textContent));
  assert.equal(await page.textContent('[data-field="donors"]'), "1");

  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => document.getElementById("ledger-head").textContent.length === 64);
  assert.match(nbsp(await page.textContent('[data-island="ledger-latest"]')), /Don · 5,00 €/);
  await page.goto(`${site.url}/profil/`);
  await page.waitForSelector("#my-funding:not([hidden])");
  assert.match(nbsp(await page.textContent("#my-gifts")), /5,00 € par mois · en cours/);
  assert.ok(await page.isVisible('#my-gifts button:has-text("Arrêter ce don mensuel")'));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a donor proposes a 2 600 € feature; two backers pledge through the card page until it is funded", async () => {
  const dora = await personPage("dora@exemple.fr");
  await dora.page.goto(`${site.url}/financer/`);
  await dora.page.waitForSelector("#propose-form:not([hidden])");
  await dora.page.fill("#title", "Export iCal des agendas");
  await dora.page.fill("#description", "S’abonner à l’agenda de sa commune.");
  await dora.page.fill("#goal", "2600");
  const deadline = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await dora.page.fill("#deadline", deadline);
  await dora.page.click('#propose-form button[type="submit"]');
  await dora.page.waitForURL(/\/financer\/f_[^/]+\/$/);
  featureUrl = dora.page.url();
  assert.equal(await dora.page.textContent("h1"), "Export iCal des agendas");
  assert.match(nbsp(await dora.page.textContent(".lead")), /0,00 € engagés sur 2 600,00 €/);

  async function pledge(who, euros) {
    await who.page.goto(featureUrl);
    await who.page.waitForSelector("#pledge-form:not([hidden])");
    await who.page.fill("#amount", String(euros));
    await who.page.click('#pledge-form button[type="submit"]');
    await who.page.waitForURL(/\/don\/paiement-test\/\?engagement=/);
    await who.page.waitForSelector("#checkout:not([hidden])");
    assert.match(await who.page.textContent("#checkout-what"), /Rien n’est prélevé maintenant/);
    await who.page.click("#checkout-pay");
    await who.page.waitForURL(/\/financer\/f_[^/]+\/\?engagement=/);
    await who.page.waitForFunction(() => document.getElementById("pledge-status").textContent.includes("Votre carte est enregistrée"));
    return who.page.textContent("#pledge-status");
  }
  assert.match(await pledge(dora, 1300), /Rien n’est prélevé avant que l’objectif soit atteint/);
  assert.match(nbsp(await dora.page.textContent(".lead")), /1 300,00 € engagés sur 2 600,00 € \(50 %\) · 1 contributeur·ice/);
  assert.equal(await dora.page.getAttribute("#amount", "max"), "1300", "the box offers what is missing");
  assert.equal(await dora.page.getAttribute("progress", "value"), "50");
  const emile = await personPage("emile@exemple.fr");
  assert.match(nbsp(await pledge(emile, 1300)), /L’objectif est atteint : la fonctionnalité est financée, et 1 300,00 € vous ont été prélevés/);
  assert.equal(await emile.page.textContent(".badge"), "Financée");
  assert.equal(await emile.page.$("#pledge-form"), null, "no more pledges once funded");

  await emile.page.goto(`${site.url}/profil/`);
  await emile.page.waitForSelector("#my-funding:not([hidden])");
  assert.match(nbsp(await emile.page.textContent("#my-pledges")), /Export iCal des agendas · 1 300,00 € · prélevé/);
  assert.deepEqual([...dora.problems, ...emile.problems], []);
  await dora.context.close();
  await emile.context.close();
});

test("the finances page shows both charges, the head hash, and verifies the chain", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(`${site.url}/transparence/`);
  const rows = await page.$$eval("tbody tr", (trs) => trs.map((tr) => tr.textContent.replace(/[\u00a0\u202f]/g, " ")));
  assert.equal(rows.filter((r) => /Engagement prélevé/.test(r) && /1 300,00 €/.test(r)).length, 2);
  assert.match(await page.textContent("#head"), /^[0-9a-f]{64}$/);
  await page.click("#verify");
  await page.waitForFunction(() => /intacte/.test(document.getElementById("verify-status").textContent));
  assert.match(await page.textContent("#verify-status"), /3 écritures/, "the gift and the two charges");
  // The list of features shows it funded, with a full bar, reached by keyboard from the filters.
  await page.goto(`${site.url}/financer/?etat=funded`);
  assert.equal(await page.getAttribute('.filters a[aria-current="page"]', "href"), "/financer/?etat=funded");
  assert.equal(await page.getAttribute(".feature progress", "value"), "100");
  assert.deepEqual(problems, []);
  await context.close();
});
