// The two workers: the front answers the reads itself and passes everything else to the back,
// as it was sent; the back's word to the front (a stale page) never reaches the client.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signIn } from "../support/accounts.js";
import { root } from "../support/project.js";
import { ORIGIN, startWorker, workersOnly, write } from "../support/worker.js";

describe("front and back workers", { skip: workersOnly }, () => {
  let worker;
  let el;
  let alice;
  let passed = [];
  before(async () => {
    worker = await startWorker({
      zones: ["974"],
      onBack: (request) =>
        passed.push({ method: request.method, url: request.url, cookie: request.headers.get("cookie"), origin: request.headers.get("origin") }),
    });
    alice = await signIn(worker, "alice@exemple.fr");
    const response = await worker.fetch(
      "/api/elements",
      write("POST", { kind: "organization", type: "NGO", name: "Amis du lagon", tags: ["lagon"], address: { commune_code: "97415" } }, { cookie: alice.cookie }),
    );
    assert.equal(response.status, 201);
    el = await response.json();
  });
  beforeEach(() => (passed = []));
  after(() => worker?.stop());

  test("the reads visitors make are answered by the front alone", async () => {
    const reads = [
      "/api/health",
      "/api/stats",
      "/api/zones?q=saint-paul",
      "/api/zones/commune:97415",
      "/api/search?scope=commune:97415",
      "/api/search.json?q=lagon",
      "/api/agenda?scope=departement:974",
      "/api/live?scope=commune:97415",
      `/api/elements/${el.id}`,
      `/e/${el.slug}/`,
      `/e/${el.slug}/actuel/`,
    ];
    for (const path of reads) {
      const response = await worker.fetch(path);
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
    assert.deepEqual(passed, []);
    // The same search, asked in JSON by its Accept header, stays in the front too.
    await worker.fetch("/api/search?q=lagon", { headers: { accept: "application/json" } });
    assert.deepEqual(passed, []);
  });

  test("a picture is asked of the back once; this data centre's cache answers after", async () => {
    const logo = Buffer.from(readFileSync(join(root, "tests", "fixtures", "pictures", "logo.png")));
    const added = await worker.fetch(`/api/elements/${el.id}/images?role=logo`, {
      method: "POST", headers: { "content-type": "image/png", origin: ORIGIN, cookie: alice.cookie }, body: logo,
    });
    assert.equal(added.status, 201);
    const { url } = await added.json();
    passed = [];
    const first = await worker.fetch(url);
    assert.equal(first.status, 200);
    const bytes = Buffer.from(await first.arrayBuffer());
    assert.deepEqual(passed.map((r) => new URL(r.url).pathname), [url], "the first time, from the back");
    passed = [];
    const again = await worker.fetch(url);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("content-type"), "image/png");
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), bytes);
    assert.deepEqual(passed, [], "then from the cache");
    const missing = await worker.fetch("/media/pic_absent.png");
    assert.equal(missing.status, 404);
  });

  // Zone pages are nearly all pre-rendered, and the list pages answer queries a script usually
  // asks the API: the back renders them, which keeps the front worker small.
  test("the zone and list pages are rendered by the back, reached through the front", async () => {
    const pages = ["/communes/97415/", "/recherche?q=lagon", "/agenda/", "/live/", "/territoire"];
    for (const path of pages) {
      const response = await worker.fetch(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get("content-type"), /^text\/html/, path);
      await response.arrayBuffer();
    }
    assert.deepEqual(
      passed.map((p) => new URL(p.url).pathname),
      pages.map((p) => p.split("?")[0]),
    );
  });

  test("writes, accounts, exports and the API's description reach the back as they were sent", async () => {
    const patched = await worker.fetch(`/api/elements/${el.id}`, write("PATCH", { short_description: "Le lagon" }, { cookie: alice.cookie }));
    assert.equal(patched.status, 200);
    assert.equal((await patched.json()).short_description, "Le lagon");
    assert.deepEqual(passed, [{ method: "PATCH", url: `${ORIGIN}/api/elements/${el.id}`, cookie: alice.cookie, origin: ORIGIN }]);

    passed = [];
    for (const path of ["/api/me", "/api/search.csv?q=lagon", "/api/agenda.ics", `/api/elements/${el.id}.geojson`, "/api/openapi.json", "/financer/"]) {
      const response = await worker.fetch(path, { headers: { cookie: alice.cookie } });
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
    assert.deepEqual(
      passed.map((p) => new URL(p.url).pathname),
      ["/api/me", "/api/search.csv", "/api/agenda.ics", `/api/elements/${el.id}.geojson`, "/api/openapi.json", "/financer/"],
    );
    // A search asked as CSV by its Accept header is the back's too.
    passed = [];
    const csv = await worker.fetch("/api/search?q=lagon", { headers: { accept: "text/csv" } });
    assert.match(csv.headers.get("content-type"), /^text\/csv/);
    assert.equal(passed.length, 1);
  });

  test("the back's word that a page went stale stays between the workers", async () => {
    assert.ok((await (await worker.fetch(`/e/${el.slug}/`)).text()).includes("Amis du lagon"));
    const patched = await worker.fetch(`/api/elements/${el.id}`, write("PATCH", { name: "Les amis du lagon" }, { cookie: alice.cookie }));
    assert.equal(patched.status, 200);
    assert.equal(patched.headers.get("communs-stale-page"), null);
    assert.ok((await (await worker.fetch(`/e/${el.slug}/`)).text()).includes("Les amis du lagon"), "the front forgot its copy");
    const deleted = await worker.fetch(`/api/elements/${el.id}`, write("DELETE", undefined, { cookie: alice.cookie }));
    assert.equal(deleted.status, 204);
    assert.equal(deleted.headers.get("communs-stale-page"), null);
    assert.equal((await worker.fetch(`/e/${el.slug}/`)).status, 404);
  });
});
