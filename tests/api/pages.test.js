// Pages the worker renders on demand: French HTML, escaped, with JSON-LD, working without JS.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { ORIGIN, startWorker, workersOnly, write } from "../support/worker.js";

describe("pages rendered by the edge", () => {
  let worker;
  let el;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    const alice = await signIn(worker, "alice@exemple.fr");
    const response = await worker.fetch(
      "/api/elements",
      write("POST", { kind: "organization", type: "NGO", name: "Les <em>Amis</em> du Lagon", short_description: "Protéger le lagon & ses récifs", tags: ["Lagon", "<script>"], address: { commune_code: "97415" } }, { cookie: alice.cookie }),
    );
    el = await response.json();
  });
  after(() => worker?.stop());

  const html = async (path) => {
    const response = await worker.fetch(path);
    return { status: response.status, type: response.headers.get("content-type"), csp: response.headers.get("content-security-policy"), body: await response.text() };
  };

  test("an element's page is French, escaped, and carries its JSON-LD", async () => {
    const page = await html(`/e/${el.slug}/`);
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.match(page.csp, /script-src 'self'/);
    assert.match(page.body, /<html lang="fr">/);
    assert.ok(page.body.includes("Les &#60;em&#62;Amis&#60;/em&#62; du Lagon"), "markup escaped");
    assert.ok(!page.body.includes("<em>Amis</em>") && !page.body.includes("<script>\""), "no raw markup");
    const ld = JSON.parse(page.body.split('<script type="application/ld+json">')[1].split("</script>")[0]);
    assert.equal(ld["@type"], "NGO");
    assert.equal(ld.name, "Les <em>Amis</em> du Lagon");
    assert.equal(ld.address.addressLocality, "Saint-Paul");
    assert.ok(page.body.includes("Association"));
  });

  // The binary keeps no page cache: SQLite on the same machine renders a page in a millisecond.
  test("an element's page is kept in the edge cache until the element changes", { skip: workersOnly }, async () => {
    assert.equal((await html(`/e/${el.slug}/`)).status, 200);
    // Behind the API's back, the cached page does not see a change…
    await worker.db.prepare("UPDATE element SET short_description = 'Changé en douce' WHERE id = ?").bind(el.id).run();
    const cached = await html(`/e/${el.slug}`);
    assert.equal(cached.status, 200);
    assert.match(cached.csp, /script-src 'self'/, "a cached page gets the security headers too");
    assert.ok(!cached.body.includes("Changé en douce"), "served from the cache");
    // …but a change through the API forgets the page at once.
    const alice = await signIn(worker, "alice@exemple.fr");
    const patched = await worker.fetch(`/api/elements/${el.id}`, write("PATCH", { short_description: "Protéger le lagon, ensemble" }, { cookie: alice.cookie }));
    assert.equal(patched.status, 200);
    assert.ok((await html(`/e/${el.slug}/`)).body.includes("Protéger le lagon, ensemble"));
  });

  test("following an element forgets its page kept at the edge: its counts move at once", async () => {
    assert.match((await html(`/e/${el.slug}/`)).body, /<dd data-links>0 abonné·e, 1 membre<\/dd>/);
    const bob = await signIn(worker, "bob@exemple.fr");
    const followed = await worker.fetch(`/api/elements/${el.id}/follow`, { method: "POST", headers: { origin: ORIGIN, cookie: bob.cookie } });
    assert.equal(followed.status, 200);
    assert.match((await html(`/e/${el.slug}/`)).body, /<dd data-links>1 abonné·e, 1 membre<\/dd>/);
  });

  test("an unknown element is a French 404 page", async () => {
    const page = await html("/e/inconnu/");
    assert.equal(page.status, 404);
    assert.match(page.body, /Page introuvable/);
  });

  test("the search page works without JavaScript, from a typed place", async () => {
    const page = await html("/recherche?q=lagon&ou=saint-paul");
    assert.equal(page.status, 200);
    assert.match(page.body, /1 résultat — Saint-Paul/);
    assert.ok(page.body.includes(`href="/e/${el.slug}/"`));
    const elsewhere = await html("/recherche?q=lagon&ou=saint-pierre");
    assert.match(elsewhere.body, /Aucun résultat — Saint-Pierre/);
    // Typed in part: three letters find the words they begin; fewer are searched whole, and the
    // page says so when nothing is found.
    assert.ok((await html("/recherche?q=lag&ou=saint-paul")).body.includes(`href="/e/${el.slug}/"`));
    const short = await html("/recherche?q=lagon%20zz");
    assert.match(short.body, /Aucun résultat/);
    assert.match(short.body, /moins de trois lettres est cherché en entier/);
    assert.ok(!(await html("/recherche?q=lagon")).body.includes("moins de trois lettres"));
    const unknown = await html("/recherche?q=lagon&ou=atlantide");
    assert.match(unknown.body, /Lieu introuvable : « atlantide »/);
    const bad = await html("/recherche?near=1,2");
    assert.equal(bad.status, 400);
    assert.match(bad.body, /role="alert"/);
  });

  test("zone pages list their elements and link their département and région", async () => {
    const commune = await html("/communes/97415/");
    assert.equal(commune.status, 200);
    assert.match(commune.body, /<h1>Saint-Paul<\/h1>/);
    assert.ok(commune.body.includes(`/e/${el.slug}/`));
    assert.ok(commune.body.includes('href="/departements/974/"'));
    assert.equal((await html("/departements/974/")).status, 200);
    assert.equal((await html("/regions/04/")).status, 200);
    assert.equal((await html("/communes/99999/")).status, 404);
  });

  test("the Live page shows a place's new elements, escaped", async () => {
    const page = await html("/live/?ou=saint-paul");
    assert.equal(page.status, 200);
    assert.match(page.body, /Le Live — Saint-Paul/);
    assert.ok(page.body.includes(`href="/e/${el.slug}/"`));
    assert.ok(!page.body.includes("<em>Amis</em>"));
    const france = await html("/live/");
    assert.equal(france.status, 200);
    assert.ok(france.body.includes(`href="/e/${el.slug}/"`), "no place: France's live");
    assert.match(france.body, /Pour publier un message, choisissez une commune/);
  });

  test("events read in the local time of their place", async () => {
    const alice = await signIn(worker, "alice@exemple.fr");
    const response = await worker.fetch(
      "/api/elements",
      write("POST", { kind: "event", type: "market", name: "Marché du matin", start: "2030-12-20T04:00:00Z", address: { commune_code: "97415" } }, { cookie: alice.cookie }),
    );
    const event = await response.json();
    assert.equal(event.start, "2030-12-20T04:00:00Z", "the API speaks UTC");
    const page = await html(`/e/${event.slug}/`);
    assert.match(page.body, /vendredi 20 décembre 2030 à 08 h 00/, "08:00 in La Réunion (UTC+4)");
  });

  test("the agenda page lists upcoming events of a place", async () => {
    const page = await html("/agenda/?ou=97415");
    assert.equal(page.status, 200);
    assert.match(page.body, /Agenda — Saint-Paul/);
    assert.match(page.body, /Marché du matin/);
    assert.match(page.body, /à 08 h 00/);
  });
});
