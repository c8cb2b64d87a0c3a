// « Ma commune » and the lists that start from it: a place typed by name (namesakes offered,
// never guessed), remembered in a cookie, widened in one click; filters by type, radius, tag and
// date that survive the form; pages forward and back.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, workersOnly, write } from "../support/worker.js";

const VILLEURBANNE = "territoire=commune:69266";

describe("a visitor's territory and the lists that start from it", () => {
  let worker;
  const made = {};
  const backed = [];
  before(async () => {
    worker = await startWorker({ zones: ["974", "60", "69"], onBack: (request) => backed.push(new URL(request.url).pathname) });
    const alice = await signIn(worker, "alice@exemple.fr");
    const create = async (key, body) => {
      const response = await worker.fetch("/api/elements", write("POST", body, { cookie: alice.cookie }));
      assert.equal(response.status, 201, key);
      made[key] = await response.json();
    };
    await create("lyonNgo", { kind: "organization", type: "NGO", name: "Jardins partagés de la Croix-Rousse", tags: ["Jardin"], address: { commune_code: "69123" }, lat: 45.774, lon: 4.832 });
    await create("lyonShop", { kind: "organization", type: "LocalBusiness", name: "Épicerie du Plateau", tags: ["Jardin"], address: { commune_code: "69123" }, lat: 45.775, lon: 4.83 });
    await create("villeurbanneNgo", { kind: "organization", type: "NGO", name: "Vélo Villeurbanne", tags: ["Vélo"], address: { commune_code: "69266" }, lat: 45.766, lon: 4.88 });
    await create("villeurbanneEvent", { kind: "event", type: "market", name: "Marché des Gratte-Ciel", start: "2030-05-01T08:00:00Z", address: { commune_code: "69266" } });
    await create("reunionNgo", { kind: "organization", type: "NGO", name: "Les Amis du Lagon", address: { commune_code: "97415" } });
  });
  after(() => worker?.stop());

  const html = async (path, cookie) => {
    const response = await worker.fetch(path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  const listed = (body, element) => body.includes(`href="/e/${element.slug}/"`);

  test("a name that several communes bear is a question, never a guess", async () => {
    const page = await html("/recherche?ou=Saint-Paul");
    assert.equal(page.status, 200);
    assert.match(page.body, /Plusieurs lieux portent ce nom/);
    assert.match(page.body, /Saint-Paul \(974\), La Réunion/);
    assert.match(page.body, /Saint-Paul \(60\), Oise/);
    assert.ok(!page.body.includes('id="resultats"'), "no results until one is chosen");
    const chosen = await html("/recherche?ou=Saint-Paul%20(974)");
    assert.match(chosen.body, /1 résultat — Saint-Paul \(974\)/);
    assert.ok(listed(chosen.body, made.reunionNgo));
    const malformed = await html("/recherche?scope=ville:x");
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers.get("content-type"), /^text\/html/, "said on the page, not as JSON");
    assert.match(malformed.body, /role="alert"/);
    const unknown = await html("/recherche?ou=zzzz");
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /Lieu introuvable : « zzzz »/);
    assert.ok(!listed(unknown.body, made.reunionNgo), "an error, not France-wide results");
  });

  test("the territory is chosen by name, remembered in a cookie, and forgotten", async () => {
    const chosen = await html("/territoire?ou=Villeurbanne&retour=%2Fagenda%2F");
    assert.equal(chosen.status, 303);
    assert.equal(chosen.headers.get("location"), "/agenda/");
    assert.match(chosen.headers.get("set-cookie"), /^territoire=commune:69266; Path=\/; Max-Age=31536000; Secure; SameSite=Lax/);
    const namesakes = await html("/territoire?ou=Saint-Paul&retour=%2F");
    assert.equal(namesakes.status, 200);
    assert.match(namesakes.body, /Plusieurs communes s’appellent « Saint-Paul »/);
    assert.ok(namesakes.body.includes('href="/territoire?ou=Saint-Paul+%2860%29&#38;retour=%2F"') || namesakes.body.includes("ou=Saint-Paul+%2860%29"));
    const tooBig = await html("/territoire?ou=Rh%C3%B4ne");
    assert.equal(tooBig.status, 400);
    assert.match(tooBig.body, /choisissez une commune ou un code postal/);
    const forgotten = await html("/territoire?ou=&retour=%2F%2Fevil.example%2F", VILLEURBANNE);
    assert.equal(forgotten.status, 303);
    assert.equal(forgotten.headers.get("location"), "/", "never back to another site");
    assert.match(forgotten.headers.get("set-cookie"), /^territoire=; .*Max-Age=0/);
    const form = await html("/territoire", VILLEURBANNE);
    assert.match(form.body, /Votre commune : <strong>Villeurbanne \(69\)<\/strong>/);
  });

  test("search, agenda and live start from the territory, widen in one click, and are the visitor's alone", async () => {
    const search = await html("/recherche", VILLEURBANNE);
    assert.equal(search.status, 200);
    assert.match(search.headers.get("cache-control"), /private/);
    assert.match(search.body, /Ma commune : <strong>Villeurbanne \(69\)<\/strong>/);
    assert.match(search.body, /value="Villeurbanne \(69\)"/, "the place field shows it");
    assert.ok(listed(search.body, made.villeurbanneNgo));
    assert.ok(!listed(search.body, made.lyonNgo) && !listed(search.body, made.reunionNgo));
    assert.ok(search.body.includes('href="/recherche?scope=departement%3A69"'), "widen to the département");
    assert.ok(search.body.includes('href="/recherche?scope=region%3A84"'), "to the région");
    assert.ok(search.body.includes('href="/recherche?ou="'), "to France");
    const departement = await html("/recherche?scope=departement%3A69", VILLEURBANNE);
    assert.ok(listed(departement.body, made.lyonNgo) && listed(departement.body, made.villeurbanneNgo));
    const france = await html("/recherche?ou=", VILLEURBANNE);
    assert.ok(listed(france.body, made.reunionNgo), "an empty place is France, chosen");
    const anonymous = await html("/recherche");
    assert.match(anonymous.headers.get("cache-control"), /public/);
    assert.match(anonymous.body, /Choisir ma commune/);

    const agenda = await html("/agenda/", VILLEURBANNE);
    assert.match(agenda.body, /Agenda — Villeurbanne \(69\)/);
    assert.ok(listed(agenda.body, made.villeurbanneEvent));
    const live = await html("/live/", VILLEURBANNE);
    assert.match(live.body, /Le Live — Villeurbanne \(69\)/);
    assert.ok(listed(live.body, made.villeurbanneNgo) && !listed(live.body, made.lyonNgo));
  });

  test("associations near Lyon, by type and radius", async () => {
    const inLyon = await html("/recherche?ou=Lyon&type=NGO");
    assert.ok(listed(inLyon.body, made.lyonNgo));
    assert.ok(!listed(inLyon.body, made.lyonShop), "a business is not an association");
    assert.ok(!listed(inLyon.body, made.villeurbanneNgo), "within Lyon's borders");
    assert.match(inLyon.body, /<option value="NGO" selected>Association<\/option>/);
    const near = await html("/recherche?ou=Lyon&type=NGO&rayon=10");
    assert.ok(listed(near.body, made.lyonNgo) && listed(near.body, made.villeurbanneNgo), "10 km around Lyon");
    assert.ok(!listed(near.body, made.lyonShop));
    assert.match(near.body, /<option value="10" selected>à moins de 10 km<\/option>/);
    assert.match(near.body, /à \d+,\d km/, "distances shown");
  });

  test("a tag stays in the form, shows as a filter and comes off in one click", async () => {
    const page = await html("/recherche?tags=Jardin");
    assert.ok(listed(page.body, made.lyonNgo) && !listed(page.body, made.villeurbanneNgo));
    assert.match(page.body, /<input type="hidden" name="tags" value="Jardin">/);
    assert.match(page.body, /Étiquette « Jardin »/);
    assert.match(page.body, /aria-label="Retirer l’étiquette Jardin"/);
  });

  test("pages go forward and back, each titled by its place in the list", async () => {
    const first = await html("/recherche?scope=departement%3A69&kind=organization&limit=2");
    assert.match(first.body, /Les 2 premiers résultats — Rhône \(69\)/);
    const next = first.body.match(/href="([^"]+)" rel="next"/)[1].replaceAll("&#38;", "&");
    const second = await html(next);
    assert.match(second.body, /Résultats 3 à 3 — Rhône \(69\)/);
    assert.match(second.body, /rel="prev"/);
    const previous = second.body.match(/href="([^"]+)" rel="prev"/)[1].replaceAll("&#38;", "&");
    assert.match((await html(previous)).body, /Les 2 premiers résultats/);
    // The open-data links of page 2 give page 2.
    const csv = second.body.match(/href="(\/api\/search\.csv\?[^"]+)"/)[1].replaceAll("&#38;", "&");
    assert.match(csv, /cursor=/);
    const rows = (await (await worker.fetch(csv)).text()).trim().split("\n");
    assert.equal(rows.length, 2, "the header and the one row page 2 shows");
  });

  test("the agenda filters by dates and offers its calendar feed", async () => {
    const may = await html("/agenda/?ou=Villeurbanne&from=2030-05-01&to=2030-05-02");
    assert.ok(listed(may.body, made.villeurbanneEvent));
    assert.match(may.body, /value="2030-05-01"/);
    const june = await html("/agenda/?ou=Villeurbanne&from=2030-06-01");
    assert.ok(!listed(june.body, made.villeurbanneEvent));
    const feed = may.body.match(/href="(\/api\/agenda\.ics\?[^"]+)"/)[1].replaceAll("&#38;", "&");
    assert.match(feed, /scope=commune%3A69266/);
    const ics = await worker.fetch(feed);
    assert.equal(ics.status, 200);
    assert.match(await ics.text(), /SUMMARY:Marché des Gratte-Ciel/);
  });

  test("wrangler's local cron reaches the front, which has the back run it", { skip: workersOnly }, async () => {
    backed.length = 0;
    const result = await worker.scheduledAtFront();
    assert.equal(result.outcome, "ok");
    assert.ok(backed.includes("/api/dev/scheduled"), backed.join());
  });

  test("zone suggestions carry a label that finds the zone again", async () => {
    const { items } = await (await worker.fetch("/api/zones?q=Saint-Paul%20(60)&limit=5")).json();
    assert.equal(items[0].id, "commune:60591");
    assert.equal(items[0].label, "Saint-Paul (60)");
    assert.ok(items.every((z) => z.departement?.code === "60" || z.code === "60"));
  });
});
