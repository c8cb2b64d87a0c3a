// Pictures of an element: checked by their bytes, stripped of their metadata, stored (R2 on
// Workers, a folder on `communs`), served for a year, shown in the element's JSON, its search
// result, its exports, and gone with the element.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { root } from "../support/project.js";
import { ORIGIN, startWorker, write } from "../support/worker.js";

const fixture = (name) => readFileSync(join(root, "tests", "fixtures", "pictures", name));
const holds = (bytes, text) => Buffer.from(bytes).includes(Buffer.from(text, "latin1"));

describe("pictures", () => {
  let worker;
  let alice;
  let bob;
  let element;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
    bob = await signIn(worker, "bob@exemple.fr");
    const made = await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Jardin du Lagon", address: { commune_code: "97415" } }, { cookie: alice.cookie }));
    element = await made.json();
  });
  after(() => worker?.stop());

  const upload = (query, body, type, who = alice, id = element.id) => worker.fetch(`/api/elements/${id}/images?${query}`, {
    method: "POST",
    headers: { "content-type": type, origin: ORIGIN, ...(who ? { cookie: who.cookie } : {}) },
    body,
  });

  test("a phone's photo loses its EXIF and GPS position; its small variant is kept; both are served for a year", async () => {
    const photo = fixture("photo-gps.jpg");
    assert.ok(holds(photo, "Exif"), "the fixture carries EXIF");
    const form = new FormData();
    form.append("file", new Blob([photo], { type: "image/jpeg" }), "IMG_2041.jpg");
    form.append("small", new Blob([fixture("photo-small.jpg")], { type: "image/jpeg" }), "small.jpg");
    form.append("role", "photo");
    form.append("alt", "Les bénévoles au potager");
    // Encoded here, as a browser would (Miniflare's own fetch does not read Node's FormData).
    const encoded = new Request(ORIGIN, { method: "POST", body: form });
    const added = await upload("", Buffer.from(await encoded.arrayBuffer()), encoded.headers.get("content-type"));
    assert.equal(added.status, 201);
    const picture = await added.json();
    assert.deepEqual([picture.role, picture.width, picture.height, picture.alt], ["photo", 640, 480, "Les bénévoles au potager"]);
    assert.deepEqual([picture.small.width, picture.small.height], [160, 120]);
    const served = await worker.fetch(picture.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/jpeg");
    assert.match(served.headers.get("cache-control"), /immutable/);
    const bytes = Buffer.from(await served.arrayBuffer());
    assert.ok(!holds(bytes, "Exif") && !holds(bytes, "MM\u0000*"), "no EXIF left");
    assert.ok(bytes.length > 10_000 && bytes[0] === 0xff && bytes[1] === 0xd8, "still the JPEG");
    const small = await worker.fetch(picture.small.url);
    assert.equal(small.status, 200);
    assert.ok(Buffer.from(await small.arrayBuffer()).length < bytes.length);

    const shown = await (await worker.fetch(`/api/elements/${element.id}`)).json();
    assert.deepEqual(shown.photos.map((p) => p.id), [picture.id]);
    assert.equal(shown.logo, null);
  });

  test("a logo shows in search results and exports, and a new one replaces it", async () => {
    const first = await upload("role=logo", fixture("logo.png"), "image/png");
    assert.equal(first.status, 201);
    const logo = await first.json();
    const second = await (await upload("role=logo", fixture("logo.png"), "image/png")).json();
    assert.notEqual(second.id, logo.id);
    assert.equal((await worker.fetch(logo.url)).status, 404, "the replaced logo's file is gone");
    const shown = await (await worker.fetch(`/api/elements/${element.id}`)).json();
    assert.equal(shown.logo.id, second.id);
    const found = await (await worker.fetch("/api/search?q=Jardin%20du%20Lagon")).json();
    assert.equal(found.items[0].logo, second.small.url);
    const ld = await (await worker.fetch(`/api/elements/${element.id}.jsonld`)).json();
    assert.ok(ld.image.some((u) => u.endsWith(second.url)) && ld.logo.endsWith(second.url));
    const csv = await (await worker.fetch("/api/search.csv?q=Jardin%20du%20Lagon")).text();
    assert.match(csv.split("\n")[1], new RegExp(`${second.small.url.replace(/[.]/g, "\\.")}\\r?$`));
  });

  test("what is not an image is refused by its bytes (415), an oversized one too (413), a photo needs its text", async () => {
    const renamed = await upload("role=logo", Buffer.from("%PDF-1.7 pas une image"), "image/jpeg");
    assert.equal(renamed.status, 415);
    assert.equal((await renamed.json()).error.code, "unsupported_media_type");
    // Past 5 MB, inside a form (read whole: a body refused before it is read would cut the
    // client's upload short on one machine).
    const huge = Buffer.alloc(5 * 1024 * 1024 + 1, 0xff);
    huge.set([0xff, 0xd8, 0xff]);
    const form = new FormData();
    form.append("file", new Blob([huge], { type: "image/jpeg" }), "huge.jpg");
    const encoded = new Request(ORIGIN, { method: "POST", body: form });
    const oversized = await upload("role=photo&alt=x", Buffer.from(await encoded.arrayBuffer()), encoded.headers.get("content-type"));
    assert.equal(oversized.status, 413);
    assert.equal((await oversized.json()).error.code, "payload_too_large");
    const untold = await upload("role=photo", fixture("photo-small.jpg"), "image/jpeg");
    assert.equal(untold.status, 400);
    assert.equal((await untold.json()).error.field, "alt");
    assert.equal((await upload("role=affiche", fixture("logo.png"), "image/png")).status, 400);
    assert.equal((await upload("role=logo", "{}", "application/json")).status, 415);
  });

  test("only who may edit the element adds or removes its pictures", async () => {
    assert.equal((await upload("role=logo", fixture("logo.png"), "image/png", null)).status, 401);
    assert.equal((await upload("role=logo", fixture("logo.png"), "image/png", bob)).status, 403);
    const shown = await (await worker.fetch(`/api/elements/${element.id}`)).json();
    const id = shown.logo.id;
    const remove = (who) => worker.fetch(`/api/images/${id}`, write("DELETE", undefined, { cookie: who.cookie }));
    assert.equal((await remove(bob)).status, 403);
    // Seen once (on Workers, kept by the data centre's cache), then removed: gone at once.
    assert.equal((await worker.fetch(shown.logo.url)).status, 200);
    const removed = await remove(alice);
    assert.equal(removed.status, 204);
    assert.equal(removed.headers.get("communs-stale-media"), null, "a word between the workers, never the client's");
    assert.equal((await worker.fetch(shown.logo.url)).status, 404);
    assert.equal((await remove(alice)).status, 404);
    assert.equal((await worker.fetch("/media/../schema.sql")).status, 404);
  });

  test("erasing an account deletes the pictures it added, files and rows", async () => {
    const carol = await signIn(worker, "carol@exemple.fr");
    const garden = await (await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Potager de Carol", address: { commune_code: "97415" } }, { cookie: carol.cookie }))).json();
    const photo = await (await upload("role=photo&alt=Le%20potager", fixture("photo-small.jpg"), "image/jpeg", carol, garden.id)).json();
    assert.equal((await worker.fetch(photo.url)).status, 200);
    const exported = await (await worker.fetch("/api/me/export", { headers: { cookie: carol.cookie } })).json();
    assert.deepEqual(exported.records.pictures.map((p) => p.id), [photo.id]);
    assert.equal((await worker.fetch("/api/me", write("DELETE", undefined, { cookie: carol.cookie }))).status, 204);
    assert.equal((await worker.fetch(photo.url)).status, 404);
    const after = await (await worker.fetch(`/api/elements/${garden.id}`)).json();
    assert.deepEqual(after.photos, [], "the element stays (it belongs to the commons), without her photo");
  });

  test("deleting the element deletes its pictures' files", async () => {
    const made = await worker.fetch("/api/elements", write("POST", { kind: "event", type: "market", name: "Fête des semences", start: "2027-03-01T08:00:00Z", address: { commune_code: "97415" } }, { cookie: alice.cookie }));
    const event = await made.json();
    const poster = await (await upload("role=banner", fixture("photo-small.jpg"), "image/jpeg", alice, event.id)).json();
    assert.equal((await worker.fetch(poster.url)).status, 200);
    assert.equal((await worker.fetch(`/api/elements/${event.id}`, write("DELETE", undefined, { cookie: alice.cookie }))).status, 204);
    assert.equal((await worker.fetch(poster.url)).status, 404);
  });
});
