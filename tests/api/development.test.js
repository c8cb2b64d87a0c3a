// The development routes (/api/dev/: the sign-in outbox, the test checkout, the scheduled run
// and a proposal's next phase on demand) exist only in development builds (feature `dev`), answer
// there only for a loopback Host (a page that rebinds its own name to 127.0.0.1 still sends its
// own name), and act on what belongs to the person asking, as the real routes do.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { root } from "../support/project.js";
import { startWorker, workersOnly, write } from "../support/worker.js";

const DEV_ROUTES = [
  ["GET", "/api/dev/outbox"],
  ["POST", "/api/dev/scheduled"],
  ["POST", "/api/dev/proposals/pr_x/next-phase"],
  ["GET", "/api/dev/checkout/d_x"],
  ["POST", "/api/dev/checkout/d_x/pay"],
  ["GET", "/api/dev/setup/pl_x"],
  ["POST", "/api/dev/setup/pl_x/save"],
];

// The binary's production build is held to the same in its own tests (functions/server/tests).
test("the production build has no development route at all", { skip: workersOnly }, async () => {
  for (const worker of ["front", "back"]) {
    const wasm = readFileSync(join(root, "functions", "edge", "build", worker, "index_bg.wasm"));
    assert.equal(wasm.indexOf("/api/dev/"), -1, `the production ${worker} names no /api/dev/ route`);
    const dev = readFileSync(join(root, "functions", "edge", "build", "dev", worker, "index_bg.wasm"));
    assert.notEqual(dev.indexOf("/api/dev/"), -1, `the development ${worker} does (the check can fail)`);
  }
  // Even told it is in development, a production build has none of them.
  const production = await startWorker({ build: "production", vars: { ENVIRONMENT: "development", STRIPE_WEBHOOK_SECRET: "whsec_x" } });
  try {
    for (const [method, path] of DEV_ROUTES) {
      const answer = await production.fetch(path, method === "GET" ? undefined : write(method));
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal((await answer.json()).error.code, "not_found");
    }
    const document = await (await production.fetch("/api/openapi.json")).json();
    assert.deepEqual(Object.keys(document.paths).filter((p) => p.startsWith("/api/dev/")), []);
    assert.ok(document.paths["/api/payments/webhook"], "the rest of the document is there");
  } finally {
    await production.stop();
  }
});

describe("a development build", () => {
  let worker;
  let alice;
  let bob;
  let admin;
  before(async () => {
    worker = await startWorker({ vars: { STRIPE_WEBHOOK_SECRET: "whsec_development_only" } });
    [alice, bob, admin] = await Promise.all(["alice@exemple.fr", "bob@exemple.fr", "admin@communs.test"].map((e) => signIn(worker, e)));
  });
  after(() => worker?.stop());

  test("answers its development routes only for a loopback Host", async () => {
    for (const origin of ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"]) {
      assert.equal((await worker.fetch(`${origin}/api/dev/outbox`)).status, 200, origin);
    }
    for (const origin of ["http://rebound.example:8787", "http://127.0.0.1.rebound.example:8787", "https://communs.example"]) {
      const outbox = await worker.fetch(`${origin}/api/dev/outbox`);
      assert.equal(outbox.status, 404, origin);
      assert.doesNotMatch(await outbox.text(), /token/);
      assert.equal((await worker.fetch(`${origin}/api/dev/scheduled`, write("POST", undefined, { origin }))).status, 404);
    }
  });

  test("pays a test checkout for the giver alone", async () => {
    const made = await worker.fetch("/api/donations", write("POST", { amount_cents: 1500, recurring: "none" }, { cookie: alice.cookie }));
    assert.equal(made.status, 201);
    const donation = await made.json();
    const pay = (who) => worker.fetch(`/api/dev/checkout/${donation.id}/pay`, write("POST", undefined, who ? { cookie: who.cookie } : {}));
    assert.equal((await worker.fetch(`/api/dev/checkout/${donation.id}`, { headers: { cookie: bob.cookie } })).status, 404, "another's gift is not shown");
    assert.equal((await pay(undefined)).status, 401);
    assert.equal((await pay(bob)).status, 404, "nor paid by someone else");
    assert.deepEqual((await worker.db.prepare("SELECT count(*) AS n FROM ledger_entry").first()).n, 0);
    const paid = await pay(alice);
    assert.equal(paid.status, 200);
    assert.equal((await paid.json()).status, "confirmed");
    assert.deepEqual((await worker.db.prepare("SELECT count(*) AS n FROM ledger_entry").first()).n, 1);
  });

  test("saves a test card for the backer alone", async () => {
    const as = (who, method, path, body) => worker.fetch(path, write(method, body, who ? { cookie: who.cookie } : {}));
    const deadline = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    const feature = await (await as(admin, "POST", "/api/features", { title: "Carte hors ligne", goal_cents: 500000, deadline })).json();
    const pledge = await (await as(alice, "POST", `/api/features/${feature.id}/pledges`, { amount_cents: 2000 })).json();
    assert.equal(pledge.status, "pending");
    assert.equal((await as(undefined, "POST", `/api/dev/setup/${pledge.id}/save`)).status, 401);
    assert.equal((await as(bob, "POST", `/api/dev/setup/${pledge.id}/save`)).status, 404);
    assert.equal((await worker.fetch(`/api/dev/setup/${pledge.id}`, { headers: { cookie: bob.cookie } })).status, 404);
    const saved = await as(alice, "POST", `/api/dev/setup/${pledge.id}/save`);
    assert.equal(saved.status, 200);
    assert.equal((await saved.json()).status, "committed");
  });

  test("moves a proposal on for its author or an instance admin", async () => {
    const until = new Date(Date.now() + 48 * 3600_000).toISOString();
    const made = await worker.fetch("/api/proposals", write("POST", { community: "instance", title: "Ouvrir un forum", method: "motion", vote_until: until }, { cookie: admin.cookie }));
    assert.equal(made.status, 201, await made.clone().text());
    const proposal = await made.json();
    const next = (who) => worker.fetch(`/api/dev/proposals/${proposal.id}/next-phase`, write("POST", undefined, who ? { cookie: who.cookie } : {}));
    assert.equal((await next(undefined)).status, 401);
    assert.equal((await next(bob)).status, 403);
    const phase = async () => (await (await worker.fetch(`/api/proposals/${proposal.id}`)).json()).phase;
    const before = await phase();
    const moved = await next(admin);
    assert.equal(moved.status, 200);
    assert.notEqual((await moved.json()).phase, before);
  });
});
