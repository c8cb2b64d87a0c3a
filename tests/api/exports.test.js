// Open data through the built worker (issue 7): a search, an element, the agenda and the live
// feed exported by extension and by Accept header, each read back by an independent parser
// (@placemarkio/check-geojson, csv-parse, jsonld.js, ical.js, fast-xml-parser); open CORS on
// reads; no private field in any export.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { check as checkGeoJson } from "@placemarkio/check-geojson";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import jsonld from "jsonld";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

// schema.org's context is @vocab on its namespace; tests have no network, so it is given here.
const documentLoader = async (url) => {
  if (url.replace(/\/$/, "") === "https://schema.org") {
    return { contextUrl: null, documentUrl: url, document: { "@context": { "@vocab": "https://schema.org/" } } };
  }
  throw new Error(`no network in tests: ${url}`);
};
const SCHEMA = "https://schema.org/";
const COLUMNS = ["id", "slug", "kind", "type", "name", "short_description", "commune_code", "commune_name", "lat", "lon", "tags", "start", "end", "url", "image"];

describe("open-data exports", () => {
  let worker;
  let alice;
  let lagon;
  let market;
  const PRIVATE = ["alice@exemple.fr"];
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    alice = await signIn(worker, "alice@exemple.fr");
    const create = async (body) => {
      const response = await worker.fetch("/api/elements", write("POST", body, { cookie: alice.cookie }));
      assert.equal(response.status, 201, await response.clone().text());
      return response.json();
    };
    lagon = await create({ kind: "organization", type: "NGO", name: "Les Amis du \"Lagon\", Saint-Paul", tags: ["mer", "plage, propre"], lat: -21.0096, lon: 55.2707, address: { commune_code: "97415" } });
    await create({ kind: "organization", type: "LocalBusiness", name: "Épicerie du Vrac", address: { commune_code: "97416" } });
    market = await create({ kind: "event", type: "market", name: "Marché; du soir, à la plage", start: "2030-12-20T14:00:00Z", end: "2030-12-20T18:00:00Z", address: { commune_code: "97415" } });
    const person = await worker.db.prepare("SELECT id FROM person WHERE email = 'alice@exemple.fr'").first();
    PRIVATE.push(person.id);
    assert.equal((await worker.fetch("/api/posts", write("POST", { scope: "commune:97415", text: "Nettoyage <de la plage> & pique-nique" }, { cookie: alice.cookie }))).status, 201);
  });
  after(() => worker?.stop());

  const get = async (path, headers = {}) => {
    const response = await worker.fetch(path, { headers });
    const text = await response.text();
    assert.equal(response.status, 200, `${path}: ${text.slice(0, 200)}`);
    for (const secret of PRIVATE) assert.ok(!text.includes(secret), `${path} holds a private field`);
    return { response, text };
  };

  test("a département's organizations as GeoJSON, valid by an independent checker", async () => {
    const { response, text } = await get("/api/search.geojson?scope=departement:974&kind=organization");
    assert.equal(response.headers.get("content-type"), "application/geo+json; charset=utf-8");
    assert.equal(response.headers.get("access-control-allow-origin"), "*", "open CORS for reads");
    const collection = checkGeoJson(text);
    assert.equal(collection.type, "FeatureCollection");
    const byName = Object.fromEntries(collection.features.map((f) => [f.properties.name, f]));
    assert.deepEqual(Object.keys(byName).sort(), ["Les Amis du \"Lagon\", Saint-Paul", "Épicerie du Vrac"]);
    assert.deepEqual(byName["Les Amis du \"Lagon\", Saint-Paul"].geometry.coordinates, [55.2707, -21.0096], "longitude first");
    assert.equal(byName["Les Amis du \"Lagon\", Saint-Paul"].id, lagon.id);
    const byAccept = await get("/api/search?scope=departement:974&kind=organization", { accept: "application/geo+json" });
    assert.deepEqual(JSON.parse(byAccept.text), JSON.parse(text), "the Accept header chooses the same export");
  });

  test("CSV: the documented columns, one quoted row per element", async () => {
    const { response, text } = await get("/api/search.csv?scope=commune:97415&kind=organization");
    assert.match(response.headers.get("content-type"), /^text\/csv; charset=utf-8/);
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, COLUMNS);
    assert.equal(rows.length, 1);
    const row = Object.fromEntries(header.map((c, i) => [c, rows[0][i]]));
    assert.deepEqual([row.id, row.name, row.type, row.commune_code, row.lat, row.lon, row.tags], [lagon.id, "Les Amis du \"Lagon\", Saint-Paul", "NGO", "97415", "-21.0096", "55.2707", "mer | plage, propre"]);
    assert.equal(row.url, `http://127.0.0.1:8787/e/${lagon.slug}/`);
  });

  test("JSON-LD expands with schema.org types, for a search and for one element", async () => {
    const list = await get("/api/search.jsonld?scope=departement:974");
    const expanded = await jsonld.expand(JSON.parse(list.text), { documentLoader });
    const types = expanded.map((node) => node["@type"][0]).sort();
    assert.deepEqual(types, [`${SCHEMA}Event`, `${SCHEMA}LocalBusiness`, `${SCHEMA}NGO`]);
    const one = await get(`/api/elements/${lagon.id}.jsonld`);
    assert.equal(one.response.headers.get("content-type"), "application/ld+json; charset=utf-8");
    const [node] = await jsonld.expand(JSON.parse(one.text), { documentLoader });
    assert.deepEqual(node["@type"], [`${SCHEMA}NGO`]);
    assert.equal(node[`${SCHEMA}geo`][0][`${SCHEMA}latitude`][0]["@value"], -21.0096);
    const geo = checkGeoJson((await get(`/api/elements/${lagon.id}.geojson`)).text);
    assert.equal(geo.features[0].properties.slug, lagon.slug);
    assert.equal((await worker.fetch(`/api/elements/${lagon.id}.ics`)).status, 404, "an element is not a calendar");
  });

  test("the agenda as iCalendar, read by a calendar library", async () => {
    const { response, text } = await get("/api/agenda.ics?scope=departement:974&from=2030-12-01&to=2030-12-31");
    assert.equal(response.headers.get("content-type"), "text/calendar; charset=utf-8");
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    assert.equal(events.length, 1);
    assert.equal(events[0].summary, "Marché; du soir, à la plage", "escaped and read back whole");
    assert.equal(events[0].startDate.toJSDate().toISOString(), "2030-12-20T14:00:00.000Z");
    assert.equal(events[0].endDate.toJSDate().toISOString(), "2030-12-20T18:00:00.000Z");
    assert.equal(events[0].uid, `${market.id}@127.0.0.1:8787`);
    const byAccept = await worker.fetch("/api/agenda?scope=departement:974&from=2030-12-01", { headers: { accept: "text/calendar" } });
    assert.equal(byAccept.headers.get("content-type"), "text/calendar; charset=utf-8");
  });

  test("one event is added to a calendar from its page; an organization has no calendar", async () => {
    const page = await (await worker.fetch(`/e/${market.slug}/`)).text();
    assert.ok(page.includes(`href="/api/elements/${market.id}.ics"`), "« Ajouter à mon agenda » on the event's page");
    const { response, text } = await get(`/api/elements/${market.id}.ics`);
    assert.equal(response.headers.get("content-type"), "text/calendar; charset=utf-8");
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    assert.deepEqual(events.map((e) => e.summary), ["Marché; du soir, à la plage"]);
    assert.equal(events[0].startDate.toJSDate().toISOString(), "2030-12-20T14:00:00.000Z");
    assert.equal((await worker.fetch(`/api/elements/${lagon.id}.ics`)).status, 404);
    const organization = await (await worker.fetch(`/e/${lagon.slug}/`)).text();
    assert.ok(!organization.includes(".ics"), "no calendar link for an organization");
    for (const extension of ["jsonld", "geojson", "csv"]) {
      assert.ok(organization.includes(`href="/api/elements/${lagon.id}.${extension}"`), extension);
    }
    assert.ok(organization.includes('data-island="spot"'), "its map");
    assert.ok(organization.includes("https://www.openstreetmap.org/?mlat=-21.0096&#38;mlon=55.2707"), "and its place on OpenStreetMap");
  });

  test("a zone's page links its actors, agenda and live in open formats", async () => {
    const page = await (await worker.fetch("/communes/97415/")).text();
    for (const link of ["/api/search.csv?scope=commune%3A97415", "/api/agenda.ics?scope=commune%3A97415", "/api/live.atom?scope=commune%3A97415"]) {
      assert.ok(page.includes(link), link);
      const path = link.replaceAll("%3A", ":");
      assert.equal((await worker.fetch(path)).status, 200, path);
    }
  });

  test("the live feed as Atom, valid XML with the post escaped", async () => {
    const { response, text } = await get("/api/live.atom?scope=commune:97415");
    assert.equal(response.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    assert.equal(XMLValidator.validate(text), true);
    const { feed } = new XMLParser({ ignoreAttributes: false }).parse(text);
    assert.equal(feed["@_xmlns"], "http://www.w3.org/2005/Atom");
    const entries = [feed.entry].flat();
    assert.equal(entries[0].content["#text"], "Nettoyage <de la plage> & pique-nique");
    assert.ok(entries.some((e) => e.title === "Nouveau : Marché; du soir, à la plage"));
    assert.equal((await worker.fetch("/api/live.ics")).status, 404);
  });

  test("a long export links its next page", async () => {
    const { response } = await get("/api/search.csv?scope=departement:974&limit=1");
    const link = response.headers.get("link");
    assert.match(link, /^<http:\/\/127\.0\.0\.1:8787\/api\/search\.csv\?scope=departement%3A974&limit=1&cursor=[^>]+>; rel="next"$/);
    assert.equal(response.headers.get("access-control-expose-headers"), "Link");
    const next = link.slice(1, link.indexOf(">")).replace("http://127.0.0.1:8787", "");
    const [, row] = parseCsv((await get(next)).text);
    assert.ok(row, "the next page has its row");
  });

  test("the embeddable map may be framed by any site; no other page may", async () => {
    const embed = await worker.fetch("/carte/integree/?titre=%3Cb%3ENos%20lieux%3C%2Fb%3E&scope=commune:97415");
    assert.equal(embed.status, 200);
    assert.match(embed.headers.get("content-security-policy"), /frame-ancestors \*$/);
    assert.match(embed.headers.get("content-security-policy"), /script-src 'self'/, "the rest of the policy stands");
    const html = await embed.text();
    assert.match(html, /<h1 class="embed-title" id="embed-title">&#60;b&#62;Nos lieux&#60;\/b&#62;<\/h1>|&lt;b&gt;Nos lieux/);
    const other = await worker.fetch("/api/search?scope=commune:97415");
    assert.match(other.headers.get("content-security-policy"), /frame-ancestors 'none'/);
  });

  test("HEAD answers as GET does, without the body, on the API and on pages the worker renders", async () => {
    for (const path of ["/api/health", "/api/search.geojson?scope=commune:97415", "/cooperation/instance/", "/carte/integree/"]) {
      const [head, get] = [await worker.fetch(path, { method: "HEAD" }), await worker.fetch(path)];
      assert.equal(head.status, 200, path);
      assert.equal(head.headers.get("content-type"), get.headers.get("content-type"), path);
      assert.equal(await head.text(), "", `${path}: no body`);
      assert.ok((await get.text()).length > 0);
    }
  });
});
