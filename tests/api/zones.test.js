// Zones on real data (the Réunion extract of the Etalab, La Poste and GeoNames packages).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startWorker } from "../support/worker.js";

describe("zones", () => {
  let worker;
  before(async () => (worker = await startWorker({ zones: ["974"] })));
  after(() => worker?.stop());

  const get = async (path) => {
    const response = await worker.fetch(path);
    return { status: response.status, headers: response.headers, body: await response.json() };
  };

  test("saint-paul finds the commune 97415 first, in the contract's shape", async () => {
    const { status, headers, body } = await get("/api/zones?q=saint-paul");
    assert.equal(status, 200);
    assert.match(headers.get("cache-control"), /public/);
    const [first] = body.items;
    assert.equal(first.id, "commune:97415");
    assert.equal(first.kind, "commune");
    assert.equal(first.code, "97415");
    assert.equal(first.name, "Saint-Paul");
    assert.ok(first.postal_codes.includes("97434") && first.postal_codes.includes("97460"));
    assert.deepEqual(first.departement, { code: "974", name: "La Réunion" });
    assert.deepEqual(first.region, { code: "04", name: "La Réunion" });
    assert.ok(first.lat < -20.8 && first.lat > -21.4 && first.lon > 55.2 && first.lon < 55.9, "on the island");
    assert.ok(first.population > 100000);
    assert.equal(body.next_cursor, null);
    assert.ok(!body.items.some((z) => z.kind === "postal"), "no postal codes in a name search by default");
  });

  test("case, accents and punctuation do not matter", async () => {
    for (const q of ["SAINT PAUL", "Saint-Paul", "saint\u2011paul", "sáint paul"]) {
      const { body } = await get(`/api/zones?q=${encodeURIComponent(q)}`);
      assert.equal(body.items[0]?.id, "commune:97415", q);
    }
    const { body } = await get(`/api/zones?q=${encodeURIComponent("l'etang")}`);
    assert.equal(body.items[0].name, "L'Étang-Salé");
  });

  test("postal:97434 resolves to Saint-Paul, by code and by id", async () => {
    const byCode = await get("/api/zones?q=97434&kind=postal");
    assert.deepEqual(byCode.body.items.map((z) => z.id), ["postal:97434"]);
    const { status, body } = await get("/api/zones/postal:97434");
    assert.equal(status, 200);
    assert.equal(body.name, "Saint-Paul");
    assert.deepEqual(body.commune_codes, ["97415"]);
    assert.equal(body.departement.code, "974");
  });

  test("a département and a région are found by code, and an unknown zone is a 404", async () => {
    assert.equal((await get("/api/zones?q=974&kind=departement")).body.items[0].id, "departement:974");
    assert.equal((await get("/api/zones/region:04")).body.name, "La Réunion");
    const missing = await get("/api/zones/commune:00000");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "not_found");
  });

  test("bad parameters are 400s that name the field", async () => {
    for (const [query, field] of [["q=saint&kind=ville", "kind"], ["q=saint&limit=0", "limit"], ["q=saint&limit=500", "limit"], ["", "q"], ["q=%20-%20", "q"]]) {
      const { status, body } = await get(`/api/zones?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.field, field, query);
    }
  });

  test("limit bounds the list", async () => {
    const { body } = await get("/api/zones?q=saint&limit=3");
    assert.equal(body.items.length, 3);
    const populations = body.items.map((z) => z.population);
    assert.deepEqual(populations, [...populations].sort((a, b) => b - a), "most populated first");
  });
});
