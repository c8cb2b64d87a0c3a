// Elements end to end: create, read, update, delete, permissions, slugs, FTS, links and roles.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

const VRAC = {
  kind: "organization",
  name: "Épicerie du Vrac",
  type: "LocalBusiness",
  short_description: "Produits locaux sans emballage",
  tags: ["Épicerie", "Vrac"],
  address: { street: "12 rue du Port", postal_code: "97460", commune_code: "97415" },
};

describe("elements", () => {
  let worker;
  let alice;
  let bob;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
    bob = await signIn(worker, "bob@exemple.fr");
  });
  after(() => worker?.stop());

  const create = (body, who = alice) => worker.fetch("/api/elements", write("POST", body, { cookie: who.cookie }));
  const ftsCount = async (term) =>
    (await worker.db.prepare("SELECT count(*) AS n FROM element_fts WHERE element_fts MATCH ?").bind(term).first()).n;

  test("a signed-in person creates an organization, placed in its commune, and reads it by id and slug", async () => {
    const response = await create(VRAC);
    assert.equal(response.status, 201);
    const created = await response.json();
    assert.match(created.id, /^e_/);
    assert.equal(created.slug, "epicerie-du-vrac");
    assert.equal(created.page, "/e/epicerie-du-vrac/");
    assert.deepEqual(created.tags, ["Épicerie", "Vrac"]);
    assert.deepEqual(created.address, { street: "12 rue du Port", postal_code: "97460", commune_code: "97415", locality: "Saint-Paul" });
    assert.equal(created.departement, "974");
    assert.equal(created.region, "04");
    assert.ok(created.lat < -20.9 && created.lon > 55.2, "the commune's position when none is given");
    assert.deepEqual(created.links, { followers: 0, members: 1 });
    for (const key of [created.id, created.slug]) {
      const read = await worker.fetch(`/api/elements/${key}`);
      assert.equal(read.status, 200);
      assert.equal((await read.json()).id, created.id);
    }
    const row = await worker.db.prepare("SELECT geohash FROM element WHERE id = ?").bind(created.id).first();
    assert.equal(row.geohash.length, 9);
    assert.equal((await worker.fetch("/api/elements/nope")).status, 404);
  });

  test("creating needs a session and a same-site origin, and bad fields are named", async () => {
    assert.equal((await worker.fetch("/api/elements", write("POST", VRAC))).status, 401);
    const foreign = await worker.fetch("/api/elements", write("POST", VRAC, { cookie: alice.cookie, origin: "https://evil.example" }));
    assert.equal(foreign.status, 403);
    for (const [change, field] of [
      [{ type: "Shop" }, "type"],
      [{ name: "" }, "name"],
      [{ address: { commune_code: "97499" } }, "address.commune_code"],
      [{ address: { commune_code: "97415", postal_code: "97410" } }, "address.postal_code"],
      [{ lat: -21.0 }, "lon"],
      [{ kind: "event", type: "market" }, "start"],
      [{ url: "ftp://x" }, "url"],
      [{ couleur: "verte" }, "couleur"],
    ]) {
      const response = await create({ ...VRAC, ...change });
      assert.equal(response.status, 400, JSON.stringify(change));
      assert.equal((await response.json()).error.field, field, JSON.stringify(change));
    }
  });

  test("a second element with the same name gets the next slug", async () => {
    const second = await (await create(VRAC, bob)).json();
    assert.equal(second.slug, "epicerie-du-vrac-2");
  });

  test("only admins edit a closed element; open edition lets anyone signed in edit its content", async () => {
    const el = await (await create({ ...VRAC, name: "Jardin partagé", tags: ["Jardin"] })).json();
    const patch = (body, who) => worker.fetch(`/api/elements/${el.id}`, write("PATCH", body, { cookie: who?.cookie }));
    assert.equal((await patch({ name: "Pirate" })).status, 401);
    assert.equal((await patch({ name: "Pirate" }, bob)).status, 403);
    const renamed = await patch({ name: "Jardin partagé des Hauts", tags: ["Jardin", "Potager"], open_edition: true }, alice);
    assert.equal(renamed.status, 200);
    const body = await renamed.json();
    assert.equal(body.name, "Jardin partagé des Hauts");
    assert.equal(body.slug, el.slug, "the slug stays");
    assert.equal(body.open_edition, true);
    assert.equal((await patch({ short_description: "Ouvert à tous le samedi" }, bob)).status, 200);
    assert.equal((await patch({ open_edition: false }, bob)).status, 403, "flags stay with admins");
    assert.equal(await ftsCount("potager"), 1, "the index follows the update");
    await worker.db.prepare("INSERT INTO element_fts (element_fts) VALUES ('integrity-check')").run();
  });

  test("only admins delete; the index forgets the element", async () => {
    const el = await (await create({ ...VRAC, name: "Ressourcerie Kréol", tags: ["Réemploi"] })).json();
    assert.equal(await ftsCount("ressourcerie"), 1);
    assert.equal((await worker.fetch(`/api/elements/${el.id}`, write("DELETE", undefined, { cookie: bob.cookie }))).status, 403);
    assert.equal((await worker.fetch(`/api/elements/${el.id}`, write("DELETE", undefined, { cookie: alice.cookie }))).status, 204);
    assert.equal((await worker.fetch(`/api/elements/${el.id}`)).status, 404);
    assert.equal(await ftsCount("ressourcerie"), 0);
    const tags = await worker.db.prepare("SELECT count(*) AS n FROM element_tag WHERE element_id = ?").bind(el.id).first();
    assert.equal(tags.n, 0);
  });

  test("follow, ask to join, approval with roles, and an element always keeps an admin", async () => {
    const el = await (await create({ ...VRAC, name: "Association des Hauts", type: "NGO", requires_approval: true })).json();
    const call = (path, method, who, body) => worker.fetch(`/api/elements/${el.id}${path}`, write(method, body, { cookie: who.cookie }));

    const followed = await (await call("/follow", "POST", bob)).json();
    assert.equal(followed.follows, true);
    const asked = await (await call("/join", "POST", bob)).json();
    assert.deepEqual({ member: asked.member, pending: asked.pending }, { member: false, pending: true });
    assert.equal((await (await worker.fetch(`/api/elements/${el.id}`)).json()).links.members, 1, "pending ones do not count");

    assert.equal((await call("/members", "GET", bob)).status, 403);
    const list = await (await call("/members", "GET", alice)).json();
    assert.deepEqual(list.items.map((m) => [m.is_admin, m.pending]), [[true, false], [false, true]]);
    assert.ok(!JSON.stringify(list).includes("@"), "no addresses in the member list");
    const bobId = list.items[1].person_id;

    const approved = await (await call("/members", "PATCH", alice, { person_id: bobId, pending: false, roles: ["trésorière"] })).json();
    assert.equal(approved.member, true);
    const roles = (await (await call("/members", "GET", alice)).json()).items[1].roles;
    assert.deepEqual(roles, ["trésorière"]);

    const aliceId = list.items[0].person_id;
    const lastAdmin = await call("/members", "PATCH", alice, { person_id: aliceId, is_admin: false });
    assert.equal(lastAdmin.status, 409);
    assert.equal((await call("/join", "DELETE", alice)).status, 409, "the last admin cannot leave");
    assert.equal((await call("/members", "PATCH", alice, { person_id: bobId, is_admin: true })).status, 200);
    assert.equal((await call("/join", "DELETE", alice)).status, 200, "now another admin remains");

    const unfollowed = await (await call("/follow", "DELETE", bob)).json();
    assert.equal(unfollowed.follows, false);
    const poi = await (await create({ kind: "poi", type: "compostPickup", name: "Composteur du quartier", address: { commune_code: "97415" } })).json();
    const joinPoi = await worker.fetch(`/api/elements/${poi.id}/join`, write("POST", undefined, { cookie: bob.cookie }));
    assert.equal(joinPoi.status, 400, "nobody is a member of a point of interest");
  });

  test("a person's relation tells the page which actions the server would allow", async () => {
    const el = await (await create({ ...VRAC, name: "Atelier vélo", tags: ["Vélo"] })).json();
    const relation = async (who) => worker.fetch(`/api/elements/${el.slug}/relation`, { headers: who ? { cookie: who.cookie } : {} });
    assert.equal((await relation()).status, 401);
    const mine = await (await relation(alice)).json();
    assert.deepEqual(
      { admin: mine.admin, member: mine.member, can_edit: mine.can_edit, can_delete: mine.can_delete, can_manage_members: mine.can_manage_members },
      { admin: true, member: true, can_edit: true, can_delete: true, can_manage_members: true },
    );
    assert.equal(mine.updated_at, el.updated_at);
    assert.match(mine.version, /^[0-9a-f]{16}$/);
    const theirs = await (await relation(bob)).json();
    assert.deepEqual(
      { follows: theirs.follows, admin: theirs.admin, can_edit: theirs.can_edit, can_delete: theirs.can_delete },
      { follows: false, admin: false, can_edit: false, can_delete: false },
    );
    await worker.fetch(`/api/elements/${el.id}/follow`, write("POST", undefined, { cookie: bob.cookie }));
    const followed = await (await relation(bob)).json();
    assert.equal(followed.follows, true);
    assert.notEqual(followed.version, mine.version, "the page shows the followers: its version moves");
    assert.equal((await worker.fetch("/api/elements/nope/relation", { headers: { cookie: bob.cookie } })).status, 404);
  });
});
