// Odd input gets a clear, correct answer (issue 20, 8): bytes that are not UTF-8 are not JSON,
// a 405 names what the path allows, an error names a field (never a value), a page's form is
// held to the same size limit as any body.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { ORIGIN, startWorker, write } from "../support/worker.js";

describe("odd input", () => {
  let worker;
  let alice;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
  });
  after(() => worker?.stop());

  test("a body that is not UTF-8 is invalid JSON, and nothing is stored", async () => {
    const body = Buffer.concat([Buffer.from('{"scope":"commune:97415","text":"caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"}')]);
    const response = await worker.fetch("/api/posts", { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN, cookie: alice.cookie }, body });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error.code, "invalid_json");
    const feed = await (await worker.fetch("/api/live?scope=commune:97415")).json();
    assert.deepEqual(feed.items, []);
  });

  test("a 405 names the methods the path allows", async () => {
    const health = await worker.fetch("/api/health", { method: "DELETE", headers: { origin: ORIGIN } });
    assert.equal(health.status, 405);
    assert.equal(health.headers.get("allow"), "GET, HEAD");
    const posts = await worker.fetch("/api/posts", { method: "PUT", headers: { origin: ORIGIN } });
    assert.equal(posts.status, 405);
    assert.equal(posts.headers.get("allow"), "POST");
  });

  test("an error names the field at fault, never the value", async () => {
    const response = await worker.fetch("/api/donations", write("POST", { amount_cents: 2405.5 }, { cookie: alice.cookie }));
    assert.equal(response.status, 400);
    const { error } = await response.json();
    assert.notEqual(error.field, "2405.5");
    assert.ok(error.field === undefined || error.field === "amount_cents", JSON.stringify(error));
    const missing = await (await worker.fetch("/api/posts", write("POST", { text: "x" }, { cookie: alice.cookie }))).json();
    assert.equal(missing.error.field, "scope");
  });

  test("a page's form is held to 64 KB like any body", async () => {
    const big = `action=amender&body=${"a".repeat(70 * 1024)}`;
    const response = await worker.fetch("/propositions/pr_x/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: alice.cookie },
      body: big,
    });
    assert.equal(response.status, 413);
  });
});
