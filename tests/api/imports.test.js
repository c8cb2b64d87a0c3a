// Imports through the built worker (issue 7): a dry run reports each bad row and writes
// nothing; the import writes the rest at once and, run again, updates instead of duplicating;
// an export imported into another instance gives back the same elements; Communecter's JSON
// comes in; only the instance's admins, or an element's admins into its network, may import.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signIn } from "../support/accounts.js";
import { root } from "../support/project.js";
import { ORIGIN, startWorker, write } from "../support/worker.js";

const CSV = [
  "id,kind,type,name,commune_code,postal_code,lat,lon,tags,short_description",
  "s1,organization,NGO,Les Amis du Lagon,97415,97460,-21.0096,55.2707,mer | plage,Plages propres",
  "s2,organization,NGO,,97415,,,,,Sans nom",
  "s3,poi,sharedLibrary,Boîte à livres,97415,,,,livres,",
  "s4,organization,NGO,Club de l’Ailleurs,99999,,,,,",
  "s1,organization,NGO,Les Amis du Lagon (doublon),97415,,,,,",
].join("\n");

describe("imports", () => {
  let worker;
  let admin;
  let alice;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    [admin, alice] = await Promise.all([signIn(worker, "admin@communs.test"), signIn(worker, "alice@exemple.fr")]);
  });
  after(() => worker?.stop());

  const send = (who, query, body, type = "text/csv") =>
    worker.fetch(`/api/imports?${query}`, { method: "POST", headers: { origin: ORIGIN, cookie: who.cookie, "content-type": type }, body });
  const count = async () => (await worker.db.prepare("SELECT count(*) AS n FROM element").first()).n;

  test("a dry run names the bad rows and writes nothing; the import writes the good ones; again, it updates", async () => {
    const before = await count();
    const dry = await send(admin, "format=csv&source=essai&dry_run=true", CSV);
    assert.equal(dry.status, 200);
    const report = await dry.json();
    assert.deepEqual([report.dry_run, report.rows, report.accepted, report.created, report.updated], [true, 5, 2, 2, 0]);
    assert.deepEqual(report.rejected.map((r) => [r.row, r.field]), [[3, "name"], [5, "address.commune_code"]], "each bad row named by its line");
    assert.match(report.rejected[0].reason, /\S/);
    assert.deepEqual(report.duplicates.map((d) => [d.row, d.same_as_row, d.source_id]), [[6, 2, "s1"]]);
    assert.equal(await count(), before, "a dry run writes nothing");

    const done = await (await send(admin, "format=csv&source=essai", CSV)).json();
    assert.deepEqual([done.dry_run, done.created, done.updated], [false, 2, 0]);
    assert.equal(await count(), before + 2);
    const found = await (await worker.fetch("/api/search?q=lagon&scope=commune:97415")).json();
    assert.deepEqual(found.items.map((i) => [i.name, i.tags]), [["Les Amis du Lagon", ["mer", "plage"]]], "searchable at once");

    const again = await (await send(admin, "format=csv&source=essai", CSV.replace("Plages propres", "Des plages propres"))).json();
    assert.deepEqual([again.created, again.updated], [0, 2], "the same source ids update");
    assert.equal(await count(), before + 2, "no duplicate");
    const lagon = await (await worker.fetch(`/api/elements/${found.items[0].id}`)).json();
    assert.equal(lagon.short_description, "Des plages propres");
  });

  test("a file the format cannot read is refused whole, and nothing is written", async () => {
    const before = await count();
    const missing = await send(admin, "format=csv", "kind,name\norganization,X\n");
    assert.deepEqual([missing.status, (await missing.json()).error.field], [400, "commune_code"]);
    const broken = await send(admin, "format=geojson", "{\"type\":", "application/geo+json");
    assert.deepEqual([broken.status, (await broken.json()).error.field], [400, "file"]);
    assert.equal((await send(admin, "format=xls", CSV)).status, 400);
    assert.equal(await count(), before);
  });

  test("Communecter's open-data JSON moves in", async () => {
    const communecter = {
      organizations: [{ _id: { $id: "5a1b2c" }, name: "Kaz Commune", type: "Cooperative", tags: ["entraide"], address: { postalCode: "97460", addressLocality: "Saint-Paul", codeInsee: "97415" }, geo: { latitude: "-21.01", longitude: "55.27" } }],
      events: [{ _id: { $id: "7e3f4a" }, name: "Marché paysan", type: "market", startDate: "2030-12-20T14:00:00Z", endDate: "2030-12-20T18:00:00Z", address: { codeInsee: "97415" } }],
    };
    const report = await (await send(admin, "format=communecter&source=communecter-reunion", JSON.stringify(communecter), "application/json")).json();
    assert.deepEqual([report.created, report.rejected], [2, []]);
    const agenda = await (await worker.fetch("/api/agenda?scope=commune:97415&from=2030-12-01")).json();
    assert.deepEqual(agenda.items.map((i) => [i.name, i.type, i.start]), [["Marché paysan", "market", "2030-12-20T14:00:00Z"]]);
    const kaz = await (await worker.fetch("/api/search?q=kaz")).json();
    assert.deepEqual(kaz.items.map((i) => [i.kind, i.type, i.lat]), [["organization", "Cooperative", -21.01]]);
  });

  test("Communecter's real shapes come in: a dump of classifieds, an API answer, a community's collections", async () => {
    const fixture = (name) => readFileSync(join(root, "tests/fixtures/communecter", name), "utf8");
    const json = (who, query, file) => send(who, query, fixture(file), "application/json");
    const dry = await (await json(admin, "format=communecter&source=co-annonces&dry_run=true", "classifieds-dump.json")).json();
    assert.deepEqual([dry.rows, dry.accepted, dry.created], [9, 6, 6]);
    assert.deepEqual(dry.rejected.map((r) => [r.row, r.field]), [[6, "contact"], [7, "address.commune_code"], [8, "address.commune_code"]]);
    assert.match(dry.rejected[0].reason, /contact/);
    assert.match(dry.rejected[1].reason, /commune française/);
    const done = await (await json(admin, "format=communecter&source=co-annonces", "classifieds-dump.json")).json();
    assert.equal(done.created, 6);
    const ids = async (query) => (await (await worker.fetch(`/api/search?${query}`)).json()).items.map((i) => i.name);
    assert.deepEqual(await ids("q=broyeur&scope=commune:97415"), ["Broyeur de végétaux à prêter"]);
    // « undefined » as INSEE code: placed by the contour that holds its position.
    assert.deepEqual(await ids("q=vendeuse&scope=postal:97460"), ["Vendeuse ou vendeur à mi-temps"]);
    const again = await (await json(admin, "format=communecter&source=co-annonces", "classifieds-dump.json")).json();
    assert.deepEqual([again.created, again.updated], [0, 6], "again: updated in place");

    const api = await (await json(admin, "format=communecter&source=co-api", "organizations-api.json")).json();
    assert.deepEqual([api.created, api.rejected.length], [3, 0]);
    const community = await (await json(admin, "format=communecter&source=co-lagon", "community.json")).json();
    assert.deepEqual([community.created, community.rejected.map((r) => r.field)], [6, ["start"]]);
    const agenda = await (await worker.fetch("/api/agenda?scope=commune:97415&from=2030-03-01&to=2030-03-31")).json();
    assert.deepEqual(agenda.items.map((i) => i.name), ["Grand nettoyage de printemps"], "at its organizer's place");
  });

  test("only the instance's admins import into it; an element's admins import into its network", async () => {
    assert.equal((await send(alice, "format=csv", CSV)).status, 403);
    const network = await (await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Réseau des jardins", address: { commune_code: "97415" } }, { cookie: alice.cookie }))).json();
    const file = "id,kind,name,commune_code\nj1,project,Jardin des Hauts,97415\n";
    const into = await send(alice, `format=csv&into=${network.id}`, file);
    assert.equal(into.status, 200);
    assert.equal((await into.json()).created, 1);
    const source = await worker.db.prepare("SELECT source FROM import_source WHERE source_id = 'j1'").first();
    assert.equal(source.source, `${network.id}:csv`);
    const bob = await signIn(worker, "bob@exemple.fr");
    assert.equal((await send(bob, `format=csv&into=${network.id}`, file)).status, 403, "not its admin");
  });
});

describe("export then import", () => {
  let from;
  let to;
  before(async () => {
    [from, to] = await Promise.all([startWorker({ zones: ["974"] }), startWorker({ zones: ["974"] })]);
  });
  after(() => {
    from?.stop();
    to?.stop();
  });

  test("a département's GeoJSON imported into another instance gives back the same elements", async () => {
    const alice = await signIn(from, "alice@exemple.fr");
    for (const body of [
      { kind: "organization", type: "NGO", name: "Les Amis du \"Lagon\"", tags: ["mer", "plage, propre"], short_description: "Plages propres", lat: -21.0096, lon: 55.2707, address: { commune_code: "97415" } },
      { kind: "event", type: "market", name: "Marché du soir", start: "2030-12-20T14:00:00Z", end: "2030-12-20T18:00:00Z", address: { commune_code: "97416" } },
      { kind: "poi", type: "sharedLibrary", name: "Boîte à livres", address: { commune_code: "97411" } },
    ]) {
      assert.equal((await from.fetch("/api/elements", write("POST", body, { cookie: alice.cookie }))).status, 201);
    }
    const exported = await (await from.fetch("/api/search.geojson?scope=departement:974&limit=100")).text();
    const admin = await signIn(to, "admin@communs.test");
    const imported = await to.fetch("/api/imports?format=geojson&source=autre-instance", {
      method: "POST", headers: { origin: ORIGIN, cookie: admin.cookie, "content-type": "application/geo+json" }, body: exported,
    });
    const report = await imported.json();
    assert.deepEqual([imported.status, report.created, report.rejected], [200, 3, []]);
    const back = JSON.parse(await (await to.fetch("/api/search.geojson?scope=departement:974&limit=100")).text());
    const same = (collection) =>
      collection.features
        .map((f) => {
          const { id, slug, url, ...kept } = f.properties;
          return { geometry: f.geometry, ...kept };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(same(back), same(JSON.parse(exported)), "the same elements, but for their ids and addresses");
  });
});
