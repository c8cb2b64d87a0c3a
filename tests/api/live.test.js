// The live feed: new elements and posts of a territory, newest first.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

describe("live feed", () => {
  let worker;
  let alice;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
  });
  after(() => worker?.stop());

  const post = (body, who = alice, origin) => worker.fetch("/api/posts", write("POST", body, { cookie: who?.cookie, origin }));

  test("posts and new elements of a commune appear in its feed, and in its département's", async () => {
    await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Les Amis du Lagon", address: { commune_code: "97415" } }, { cookie: alice.cookie }));
    const created = await post({ scope: "commune:97415", text: "Nettoyage de la plage samedi à 8 h !" });
    assert.equal(created.status, 201);
    const body = await created.json();
    assert.equal(body.scope, "commune:97415");

    const feed = await (await worker.fetch("/api/live?scope=commune:97415")).json();
    assert.deepEqual(feed.items.map((i) => i.type), ["post", "element"]);
    assert.equal(feed.items[0].text, "Nettoyage de la plage samedi à 8 h !");
    assert.equal(feed.items[0].author, "Un·e habitant·e", "no public name chosen");
    assert.equal(feed.items[1].name, "Les Amis du Lagon");
    const wider = await (await worker.fetch("/api/live?scope=departement:974")).json();
    assert.equal(wider.items.length, 2);
    const elsewhere = await (await worker.fetch("/api/live?scope=commune:97416")).json();
    assert.deepEqual(elsewhere.items, []);
  });

  test("posting needs a session, a same-site origin, a real zone and a short text", async () => {
    assert.equal((await post({ scope: "commune:97415", text: "x" }, null)).status, 401);
    assert.equal((await post({ scope: "commune:97415", text: "x" }, alice, "https://evil.example")).status, 403);
    for (const [body, field] of [[{ scope: "commune:99999", text: "x" }, "scope"], [{ scope: "ici", text: "x" }, "scope"], [{ scope: "commune:97415", text: " " }, "text"]]) {
      const response = await post(body);
      assert.equal(response.status, 400);
      assert.equal((await response.json()).error.field, field);
    }
  });

  test("without a scope the feed is France's, and its Atom feed is titled by its places' names", async () => {
    const france = await worker.fetch("/api/live");
    assert.equal(france.status, 200);
    const items = (await france.json()).items;
    assert.ok(items.some((i) => i.text === "Nettoyage de la plage samedi à 8 h !"), "the commune's post is France's too");
    const atom = await worker.fetch("/api/live.atom");
    assert.equal(atom.status, 200);
    assert.match(await atom.text(), /<title>Le Live de Communs : toute la France<\/title>/);
    const local = await (await worker.fetch("/api/live.atom?scope=commune:97415")).text();
    assert.match(local, /<title>Le Live de Communs : Saint-Paul \(974\)<\/title>/);
    assert.doesNotMatch(local, /<title>[^<]*commune:/, "no zone id in the title");
  });
});
