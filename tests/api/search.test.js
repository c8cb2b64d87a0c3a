// Search and agenda through the built worker, on real Réunion zones.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

describe("search", () => {
  let worker;
  let alice;
  let vrac;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
    const created = await worker.fetch(
      "/api/elements",
      write("POST", { kind: "organization", type: "LocalBusiness", name: "Épicerie du Vrac", tags: ["Épicerie", "Vrac"], address: { commune_code: "97415" } }, { cookie: alice.cookie }),
    );
    vrac = await created.json();
    for (const [name, start, end] of [["Marché de Noël", "2026-12-20T08:00:00Z", "2026-12-20T13:00:00Z"], ["Fèt Kaf", "2026-12-20T18:00:00Z", null], ["Festival des Hauts", "2026-12-18T10:00:00Z", "2026-12-22T22:00:00Z"]]) {
      await worker.fetch("/api/elements", write("POST", { kind: "event", type: "festival", name, start, end, address: { commune_code: "97416" } }, { cookie: alice.cookie }));
    }
  });
  after(() => worker?.stop());

  const ids = async (query) => {
    const response = await worker.fetch(`/api/search?${query}`);
    assert.equal(response.status, 200, query);
    return (await response.json()).items.map((i) => i.id);
  };

  test("a new element is found at once by text, tag, département and near its position", async () => {
    assert.deepEqual(await ids("q=epicerie"), [vrac.id]);
    assert.deepEqual(await ids("q=%C3%89PICERIE"), [vrac.id], "accents and case");
    assert.deepEqual(await ids("tags=vrac"), [vrac.id]);
    assert.deepEqual(await ids("tags=VRAC,jardin"), [vrac.id], "any tag");
    assert.deepEqual(await ids("tags=vrac,jardin&tags_mode=all"), [], "all tags");
    assert.ok((await ids("scope=departement:974")).includes(vrac.id));
    assert.deepEqual(await ids(`near=${vrac.lat},${vrac.lon},1`), [vrac.id]);
    assert.ok(!(await ids("scope=commune:97416")).includes(vrac.id));
    assert.deepEqual(await ids("scope=commune:97416&scope=commune:97415&kind=organization"), [vrac.id], "scopes OR-ed");
  });

  test("on the map, words, tags and a kind find it in its cell, and in the next when it moves", async () => {
    const around = (lat, lon) => `near=${lat},${lon},1`;
    const here = around(vrac.lat, vrac.lon);
    assert.deepEqual(await ids(`${here}&q=epicerie`), [vrac.id]);
    assert.deepEqual(await ids(`${here}&tags=vrac`), [vrac.id]);
    assert.deepEqual(await ids(`${here}&kind=organization`), [vrac.id]);
    assert.deepEqual(await ids(`${here}&kind=event`), []);
    const box = [vrac.lon - 0.01, vrac.lat - 0.01, vrac.lon + 0.01, vrac.lat + 0.01].join(",");
    assert.deepEqual(await ids(`bbox=${box}&q=epicerie`), [vrac.id]);
    // Moved 2 km south: the full-text index follows it to its new cell.
    const move = async (lat, lon) => {
      const response = await worker.fetch(`/api/elements/${vrac.id}`, write("PATCH", { lat, lon }, { cookie: alice.cookie }));
      assert.equal(response.status, 200);
    };
    await move(vrac.lat - 0.018, vrac.lon);
    try {
      assert.deepEqual(await ids(`${here}&q=epicerie`), []);
      assert.deepEqual(await ids(`${around(vrac.lat - 0.018, vrac.lon)}&q=epicerie`), [vrac.id]);
      assert.deepEqual(await ids(`${around(vrac.lat - 0.018, vrac.lon)}&kind=organization&tags=vrac`), [vrac.id]);
      assert.deepEqual(await ids(`${around(vrac.lat - 0.018, vrac.lon)}&kind=organization`), [vrac.id]);
      assert.deepEqual(await ids(`${here}&kind=organization`), []);
    } finally {
      await move(vrac.lat, vrac.lon);
    }
    assert.deepEqual(await ids(`${here}&q=epicerie`), [vrac.id]);
  });

  test("items carry the contract's fields", async () => {
    const response = await worker.fetch(`/api/search?near=${vrac.lat},${vrac.lon},2`);
    const { items, next_cursor } = await response.json();
    const [item] = items;
    assert.equal(item.slug, "epicerie-du-vrac");
    assert.equal(item.kind, "organization");
    assert.equal(item.type, "LocalBusiness");
    assert.deepEqual(item.commune, { code: "97415", name: "Saint-Paul" });
    assert.deepEqual(item.tags, ["Épicerie", "Vrac"]);
    assert.equal(item.distance_km, 0);
    assert.equal(next_cursor, null);
  });

  test("dates select overlapping events and the agenda lists them by start", async () => {
    const names = async (path) => (await (await worker.fetch(path)).json()).items.map((i) => i.name);
    assert.deepEqual(await names("/api/search?from=2026-12-20&to=2026-12-20"), ["Festival des Hauts", "Marché de Noël", "Fèt Kaf"]);
    assert.deepEqual(await names("/api/agenda?scope=commune:97416&from=2026-12-21"), ["Festival des Hauts"]);
    assert.deepEqual(await names("/api/agenda?scope=commune:97415&from=2026-12-01"), [], "no events in Saint-Paul");
  });

  test("pages follow the cursor with no duplicate and no gap", async () => {
    const seen = [];
    let cursor = "";
    do {
      const response = await worker.fetch(`/api/search?scope=departement:974&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      const page = await response.json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 4);
    assert.equal(new Set(seen).size, 4);
  });

  test("invalid scope, bbox, near, limit, dates and cursor are 400s that name the field", async () => {
    for (const [query, field] of [
      ["scope=commune:123", "scope"],
      ["scope=paris", "scope"],
      ["bbox=55,-21,54,-20", "bbox"],
      ["near=-21,55", "near"],
      ["near=-21,55,1000", "near"],
      ["limit=101", "limit"],
      ["from=demain", "from"],
      ["from=2026-12-02&to=2026-12-01", "to"],
      ["cursor=abc", "cursor"],
      ["kind=person", "kind"],
    ]) {
      const response = await worker.fetch(`/api/search?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal((await response.json()).error.field, field, query);
    }
  });
});
