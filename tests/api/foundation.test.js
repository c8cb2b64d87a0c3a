// The built worker end to end: routing, D1, the error contract and headers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { schemaVersion } from "../support/project.js";
import { startWorker, workersOnly } from "../support/worker.js";

const SECURITY_HEADERS = ["content-security-policy", "x-content-type-options", "referrer-policy"];

function assertContractError(body, code) {
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  // The router's own English text must never reach a client.
  assert.ok(body.error.message.length > 10);
  assert.doesNotMatch(body.error.message, /Not Found|Method Not Allowed/);
}

describe("worker on a fresh D1", () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(() => worker?.stop());

  test("GET /api/health answers the contract with the schema version read from D1", async () => {
    const response = await worker.fetch("/api/health");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ["schema_version", "status", "version"]);
    assert.equal(body.status, "ok");
    assert.equal(body.schema_version, schemaVersion);
    assert.match(body.version, /^\d+\.\d+\.\d+$/);
  });

  test("every response carries the security headers", async () => {
    for (const path of ["/api/health", "/api/nope"]) {
      const response = await worker.fetch(path);
      for (const name of SECURITY_HEADERS) assert.ok(response.headers.get(name), `${path} lacks ${name}`);
      const csp = response.headers.get("content-security-policy");
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    }
  });

  test("an unknown /api path is a JSON 404 in the contract's shape", async () => {
    const response = await worker.fetch("/api/does-not-exist/42");
    assert.equal(response.status, 404);
    assert.match(response.headers.get("content-type"), /^application\/json/);
    assertContractError(await response.json(), "not_found");
  });

  test("a wrong method on a known path is a JSON 405", async () => {
    const response = await worker.fetch("/api/health", { method: "POST", body: "{}" });
    assert.equal(response.status, 405);
    assertContractError(await response.json(), "method_not_allowed");
  });

  test("the OpenAPI document is served and each documented GET answers as documented", async () => {
    const response = await worker.fetch("/api/openapi.json");
    assert.equal(response.status, 200);
    const doc = await response.json();
    assert.match(doc.openapi, /^3\.1\./);
    const paths = Object.entries(doc.paths);
    assert.ok(paths.length >= 2);
    for (const [path, item] of paths) {
      if (!item.get || path.includes("{")) continue;
      const answer = await worker.fetch(path);
      const documented = Object.keys(item.get.responses);
      assert.ok(documented.includes(String(answer.status)), `GET ${path} answered ${answer.status}, documents ${documented}`);
      if (item.get.responses["200"]?.content?.["application/json"]?.schema?.$ref === "#/components/schemas/Health") {
        const schema = doc.components.schemas.Health;
        const body = await answer.json();
        assert.deepEqual(Object.keys(body).sort(), [...schema.required].sort());
      }
    }
  });
});

// The binary migrates its database on start (tests/support/communs.js): it never runs without one.
describe("worker on a database without the schema", { skip: workersOnly }, () => {
  let worker;
  before(async () => {
    worker = await startWorker({ schema: false });
  });
  after(() => worker?.stop());

  test("health reports 503 with the contract's body, and no SQL leaks", async () => {
    const response = await worker.fetch("/api/health");
    assert.equal(response.status, 503);
    const text = await response.text();
    assert.doesNotMatch(text, /schema_meta|SELECT|SQLITE/i);
    assertContractError(JSON.parse(text), "service_unavailable");
  });
});
