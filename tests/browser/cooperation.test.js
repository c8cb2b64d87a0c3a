// The cooperative space through the pages, as a new user tries it on `make dev` (issue 6): an
// organization's admin opens a proposal with an amendment phase from the community page; a
// member amends it; the amendment is adopted; members vote; a non-member is refused; the vote
// closes and the page shows the resolution. Then the instance runs a secret budget vote over
// funded features, and the winner moves on in the funding pipeline. Phases are moved on with
// the development endpoint `POST /api/dev/proposals/{id}/next-phase` (by an instance admin), as
// the README tells.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { personPage as signedInPage, signInTo } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

const personPage = (email) => signedInPage(browser, site, email);
/** A `datetime-local` value `hours` from now, in La Réunion's time (the organization's). */
const reunionTime = (hours) =>
  new Date(Date.now() + hours * 3600_000).toLocaleString("sv-SE", { timeZone: "Indian/Reunion" }).replace(" ", "T").slice(0, 16);
const parisTime = (hours) =>
  new Date(Date.now() + hours * 3600_000).toLocaleString("sv-SE", { timeZone: "Europe/Paris" }).replace(" ", "T").slice(0, 16);
/** As an instance admin: the development route moves a proposal on for its author or an admin. */
const nextPhase = async (url) => {
  const id = url.match(/\/propositions\/([^/]+)\//)[1];
  const { cookie } = await signInTo(site, "admin@communs.test");
  const response = await fetch(`${site.url}/api/dev/proposals/${id}/next-phase`, { method: "POST", headers: { origin: site.url, cookie } });
  assert.equal(response.status, 200);
  return response.json();
};
/** Only the refusals the test provokes (a bad date: 400; a non-member: 403) may show up. */
const unexpected = (problems) =>
  problems.filter((p) => !/^HTTP 40[03]: .*\/(propositions|cooperation)\//.test(p) && !/status of 40[03] /.test(p));

test("an organization decides: proposal, amendment adopted, members vote, a non-member refused, resolution", async () => {
  const alice = await signInTo(site, "alice@exemple.fr");
  const org = await alice.create({
    kind: "organization", name: "Jardin partagé des Hauts", type: "NGO",
    address: { postal_code: "97460", commune_code: "97415" },
  });
  const bob = await signInTo(site, "bob@exemple.fr");
  const joined = await fetch(`${site.url}/api/elements/${org.id}/join`, { method: "POST", headers: { origin: site.url, cookie: bob.cookie } });
  assert.equal(joined.status, 200);

  const admin = await personPage("alice@exemple.fr");
  await admin.page.goto(`${site.url}/e/${org.slug}/`);
  await admin.page.click('a:has-text("Espace coopératif")');
  await admin.page.waitForURL(`${site.url}/cooperation/${org.id}/`);
  assert.match(await admin.page.textContent("#ouvrir + p"), /heure de La Réunion/);
  await admin.page.fill("#p-title", "Ouvrir le jardin le dimanche");
  await admin.page.fill("#p-body", "Le jardin ouvre le dimanche.");
  await admin.page.fill("#p-amend", reunionTime(24));
  // A vote that closes before amendments do is refused, the field named, and nothing typed lost.
  await admin.page.fill("#p-until", reunionTime(12));
  await admin.page.click('#propose button[type="submit"]');
  await admin.page.waitForSelector("#propose-error");
  assert.equal(await admin.page.getAttribute("#p-amend", "aria-invalid"), "true");
  assert.equal(await admin.page.inputValue("#p-title"), "Ouvrir le jardin le dimanche");
  await admin.page.fill("#p-until", reunionTime(72));
  await admin.page.click('#propose button[type="submit"]');
  await admin.page.waitForURL(/\/propositions\/pr_[^/]+\/$/);
  const proposalUrl = admin.page.url();
  assert.match(await admin.page.textContent(".kicker"), /Amendements ouverts/);

  const member = await personPage("bob@exemple.fr");
  await member.page.goto(proposalUrl);
  await member.page.fill("#amend-body", "Le jardin ouvre le dimanche matin.");
  await member.page.fill("#amend-reason", "L’après-midi, il fait trop chaud.");
  await member.page.click('button:has-text("Proposer l’amendement")');
  await member.page.waitForSelector('p.status:has-text("Votre amendement est proposé au vote")');
  for (const { page } of [member, admin]) {
    await page.goto(proposalUrl);
    await page.check('input[name="choice"][value="for"]');
    await page.click('button:has-text("Voter sur l’amendement")');
    await page.waitForSelector('p.status:has-text("Votre avis sur l’amendement est compté")');
  }

  // A non-member is told beforehand, and offered no form; the server refuses her all the same.
  const outsider = await personPage("carol@exemple.fr");
  await outsider.page.goto(proposalUrl);
  assert.match(await outsider.page.textContent('section[aria-labelledby="droit"]'), /Vous ne pouvez pas voter : ce vote est réservé aux membres/);
  assert.equal(await outsider.page.locator('button:has-text("Voter sur l’amendement")').count(), 0);
  const carol = await signInTo(site, "carol@exemple.fr");
  const forced = await fetch(proposalUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: site.url, cookie: carol.cookie },
    body: "action=amender&body=Autre+texte",
  });
  assert.equal(forced.status, 403);
  assert.match(await forced.text(), /pas le droit/);

  const voting = await nextPhase(proposalUrl);
  assert.equal(voting.phase, "voting");
  await member.page.goto(proposalUrl);
  assert.match(await member.page.textContent('section[aria-labelledby="texte"]'), /le dimanche matin/, "the adopted amendment is the text put to the vote");
  assert.match(await member.page.textContent('section[aria-labelledby="amendements"]'), /adopté/);
  await member.page.click('summary:has-text("Les versions précédentes")');
  assert.match(await member.page.textContent("details"), /Version 1\s*Le jardin ouvre le dimanche\./, "the history is kept");
  for (const [who, value] of [[member, "for"], [admin, "for"]]) {
    await who.page.goto(proposalUrl);
    await who.page.check(`input[name="choice"][value="${value}"]`);
    await who.page.click('button:has-text("Déposer mon bulletin")');
    await who.page.waitForSelector('p.status:has-text("Votre bulletin est compté")');
  }
  await outsider.page.goto(proposalUrl);
  assert.equal(await outsider.page.locator('button:has-text("Déposer mon bulletin")').count(), 0, "no ballot for a non-member");
  const ballot = await fetch(proposalUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: site.url, cookie: carol.cookie },
    body: "action=voter&choice=against",
  });
  assert.equal(ballot.status, 403, "a non-member is refused");

  await nextPhase(proposalUrl);
  await outsider.page.goto(proposalUrl);
  assert.match(await outsider.page.textContent(".kicker"), /Close/);
  assert.match(await outsider.page.textContent('section[aria-labelledby="resultats"]'), /Résolution : Adoptée : 2 participant·es sur 2 inscrit·es/);
  assert.ok(await outsider.page.isVisible('svg.chart[role="img"]'), "the results are drawn");
  for (const width of [1280, 390]) {
    await outsider.page.setViewportSize({ width, height: 900 });
    const [text, heading] = await outsider.page.evaluate(() => [
      document.querySelector("svg.chart text").getBoundingClientRect().height,
      document.querySelector("#resultats").getBoundingClientRect().height,
    ]);
    assert.ok(text < heading, `${width} px: the chart's words (${text} px) stay below its heading's (${heading} px)`);
  }
  await outsider.page.goto(`${site.url}/cooperation/${org.id}/`);
  assert.match(await outsider.page.textContent("main"), /Ouvrir le jardin le dimanche/);

  for (const who of [admin, member, outsider]) {
    assert.deepEqual(unexpected(who.problems), []);
    await who.context.close();
  }
});

test("the instance's secret budget vote over funded features starts the winner", async () => {
  const treasurer = await signInTo(site, "admin@communs.test");
  const headers = { "content-type": "application/json", origin: site.url, cookie: treasurer.cookie };
  const deadline = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  const funded = async (title, goal) => {
    const feature = await (await fetch(`${site.url}/api/features`, { method: "POST", headers, body: JSON.stringify({ title, goal_cents: goal, deadline }) })).json();
    const pledge = await (await fetch(`${site.url}/api/features/${feature.id}/pledges`, { method: "POST", headers, body: JSON.stringify({ amount_cents: goal }) })).json();
    if (pledge.status === "pending") {
      assert.equal((await fetch(`${site.url}/api/dev/setup/${pledge.id}/save`, { method: "POST", headers })).status, 200);
    }
    assert.equal((await (await fetch(`${site.url}/api/features/${feature.id}`)).json()).status, "funded");
    return feature;
  };
  const map = await funded("Carte hors ligne", 200000);
  const ical = await funded("Export iCal", 150000);

  const admin = await personPage("admin@communs.test");
  await admin.page.goto(`${site.url}/`);
  await admin.page.click('nav a:has-text("Décider")');
  await admin.page.waitForURL(`${site.url}/cooperation/instance/`);
  assert.equal(await admin.page.getAttribute('nav a:has-text("Décider")', "aria-current"), "page");
  await admin.page.fill("#p-title", "Quelles fonctionnalités lancer ce trimestre ?");
  await admin.page.selectOption("#p-method", "budget");
  await admin.page.check(`#f-${map.id}`);
  await admin.page.check(`#f-${ical.id}`);
  await admin.page.fill("#p-budget", "3 000");
  await admin.page.selectOption("#p-eligibility", "verified");
  await admin.page.check("#p-secret");
  await admin.page.fill("#p-until", parisTime(48));
  await admin.page.click('#propose button[type="submit"]');
  await admin.page.waitForURL(/\/propositions\/pr_[^/]+\/$/);
  const proposalUrl = admin.page.url();
  assert.match(await admin.page.textContent(".kicker"), /Vote en cours · Budget participatif · vote secret/);

  const receipts = {};
  for (const [email, feature] of [["bob@exemple.fr", map], ["carol@exemple.fr", map], ["alice@exemple.fr", ical]]) {
    const voter = await personPage(email);
    await voter.page.goto(proposalUrl);
    const label = voter.page.locator("label", { hasText: feature.title });
    await voter.page.check(`#${await label.getAttribute("for")}`);
    await voter.page.click('button:has-text("Déposer mon bulletin")');
    await voter.page.waitForSelector("#receipt");
    receipts[email] = (await voter.page.textContent("#receipt")).trim();
    assert.match(await voter.page.textContent('section[aria-labelledby="resultats"]'), /publiés à la clôture/, "hidden until the close");
    assert.deepEqual(voter.problems, []);
    await voter.context.close();
  }
  await admin.page.goto(proposalUrl);
  await admin.page.fill("#check-receipt", receipts["bob@exemple.fr"]);
  await admin.page.click('button:has-text("Vérifier")');
  await admin.page.waitForSelector('p.status:has-text("correspond à un bulletin compté")');

  await nextPhase(proposalUrl);
  await admin.page.goto(proposalUrl);
  assert.match(await admin.page.textContent('section[aria-labelledby="resultats"]'), /Résolution : Adoptée/);
  assert.match(await admin.page.textContent('section[aria-labelledby="resultats"]'), /Carte hors ligne : .*\(retenue\)/);
  assert.equal((await (await fetch(`${site.url}/api/features/${map.id}`)).json()).status, "in_progress", "the winner starts");
  assert.equal((await (await fetch(`${site.url}/api/features/${ical.id}`)).json()).status, "funded", "what no longer fits waits");
  await admin.page.goto(`${site.url}/transparence/`);
  const allocation = admin.page.locator("tbody tr", { hasText: "Attribution" });
  assert.match(await allocation.textContent(), /2\s000,00\s€.*« Carte hors ligne »/, "allocated from the general fund, in the ledger");
  assert.equal(await allocation.locator("a").getAttribute("href"), `/financer/${map.id}/`, "named by its feature, not its id");
  assert.deepEqual(admin.problems, []);
  await admin.context.close();
});
