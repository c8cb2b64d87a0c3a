// « Mon espace »: the elements a person is linked to, and the votes open to them, each saying
// beforehand whether they may vote.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { ORIGIN, startWorker, write } from "../support/worker.js";

describe("my space", () => {
  let worker;
  let alice;
  let bob;
  let admin;
  let org;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    [alice, bob, admin] = [await signIn(worker, "alice@exemple.fr"), await signIn(worker, "bob@exemple.fr"), await signIn(worker, "admin@communs.test")];
    org = await (await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Zéro Déchet Saint-Paul", address: { commune_code: "97415" } }, { cookie: alice.cookie }))).json();
    await worker.fetch(`/api/elements/${org.id}/follow`, { method: "POST", headers: { origin: ORIGIN, cookie: bob.cookie } });
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const open = async (who, body) => {
      const response = await worker.fetch("/api/proposals", write("POST", { method: "motion", vote_until: until, ...body }, { cookie: who.cookie }));
      assert.equal(response.status, 201, await response.clone().text());
    };
    await open(admin, { community: "instance", title: "Entre donateur·ices", eligibility: "donors" });
    await open(alice, { community: org.id, title: "Entre membres", eligibility: "members" });
  });
  after(() => worker?.stop());

  const mine = async (path, who) => (await worker.fetch(path, { headers: { cookie: who.cookie } })).json();

  test("my links: what I look after, belong to or follow", async () => {
    const links = await mine("/api/me/links", alice);
    assert.deepEqual(links.items.map((l) => [l.name, l.admin, l.member, l.follows]), [["Zéro Déchet Saint-Paul", true, true, false]]);
    assert.equal(links.items[0].commune.name, "Saint-Paul");
    const followed = await mine("/api/me/links", bob);
    assert.deepEqual(followed.items.map((l) => [l.name, l.admin, l.member, l.follows]), [["Zéro Déchet Saint-Paul", false, false, true]]);
    assert.equal((await worker.fetch("/api/me/links")).status, 401);
  });

  test("my open votes say whether I may vote: a member votes in her organization, not among donors; the admin votes among donors", async () => {
    const forAlice = await mine("/api/me/proposals", alice);
    assert.deepEqual(forAlice.items.map((p) => [p.title, p.may_vote]).sort(), [["Entre donateur·ices", false], ["Entre membres", true]]);
    const forBob = await mine("/api/me/proposals", bob);
    assert.deepEqual(forBob.items.map((p) => p.title), ["Entre donateur·ices"], "following is not belonging");
    const forAdmin = await mine("/api/me/proposals", admin);
    assert.deepEqual(forAdmin.items.map((p) => [p.title, p.may_vote]), [["Entre donateur·ices", true]]);
    assert.equal((await worker.fetch("/api/me/proposals")).status, 401);
  });
});
