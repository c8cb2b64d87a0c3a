// The cooperative space end to end: a proposal amended then voted on in an organization, one
// counted ballot per person under concurrency, eligibility at ballot time, secret ballots kept
// apart from who voted, receipts, and results hidden until the close. The clock is moved by
// setting a proposal's times in D1, as the phases read them. Requests use the names of
// ../shared/api-contract.md; the last test checks the first API's names still work.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

describe("cooperative space", () => {
  let worker;
  let alice;
  let bob;
  let carol;
  let admin;
  let org;
  before(async () => {
    worker = await startWorker({ zones: ["974"], vars: { STRIPE_WEBHOOK_SECRET: "whsec_test_only" } });
    [alice, bob, carol, admin] = await Promise.all(
      ["alice@exemple.fr", "bob@exemple.fr", "carol@exemple.fr", "admin@communs.test"].map((e) => signIn(worker, e)),
    );
    const created = await worker.fetch("/api/elements", write("POST", {
      kind: "organization", name: "Association des Hauts", type: "NGO",
      address: { postal_code: "97460", commune_code: "97415" },
    }, { cookie: alice.cookie }));
    assert.equal(created.status, 201);
    org = await created.json();
    assert.equal((await worker.fetch(`/api/elements/${org.id}/join`, write("POST", undefined, { cookie: bob.cookie }))).status, 200);
  });
  after(() => worker?.stop());

  const as = (who, method, path, body) => worker.fetch(path, write(method, body, who ? { cookie: who.cookie } : {}));
  const read = async (path, who) => (await worker.fetch(path, who ? { headers: { cookie: who.cookie } } : {})).json();
  // `amend` moves the amendments' deadline and the vote's opening together, as when both are one.
  const setTimes = (id, times) =>
    worker.db.prepare("UPDATE proposal SET amend_until = coalesce(?1, amend_until), vote_from = coalesce(?1, vote_from), vote_until = coalesce(?2, vote_until) WHERE id = ?3")
      .bind(times.amend ?? null, times.vote ?? null, id).run();
  const iso = (seconds) => new Date(seconds * 1000).toISOString();
  const open = async (who, body) => {
    const response = await as(who, "POST", "/api/proposals", { vote_until: iso(now() + 48 * HOUR), ...body });
    assert.equal(response.status, 201, await response.clone().text());
    return response.json();
  };

  test("an admin opens a proposal; a member amends it; the amendment is folded in; members vote; the vote closes", async () => {
    assert.equal((await as(carol, "POST", "/api/proposals", { community: org.id, title: "Ouvrir le samedi", method: "motion", vote_until: iso(now() + HOUR) })).status, 403);
    const day = iso(now() + 24 * HOUR);
    const proposal = await open(alice, {
      community: org.id, title: "Ouvrir le samedi", body: "Le local ouvre le samedi.", method: "motion",
      amend_until: day, vote_from: day, majority_percent: 50, quorum: 50, eligibility: "members", secret: false, can_change_vote: false,
    });
    assert.deepEqual([proposal.phase, proposal.vote_from, proposal.majority_percent, proposal.can_change_vote], ["amendable", day.replace(/\.\d+Z$/, "Z"), 50, false]);
    const ballot = (who, body) => as(who, "POST", `/api/proposals/${proposal.id}/ballot`, body);
    assert.equal((await ballot(bob, { value: "for" })).status, 409, "no ballot before the text is final");

    const amended = await as(bob, "POST", `/api/proposals/${proposal.id}/amendments`, { text: "Le local ouvre le samedi matin.", reason: "Plus précis" });
    assert.equal(amended.status, 201);
    const amendment = await amended.json();
    assert.equal((await as(carol, "POST", `/api/proposals/${proposal.id}/amendments`, { text: "Autre" })).status, 403, "a non-member cannot amend");
    const vote = (who, value) => as(who, "POST", `/api/amendments/${amendment.id}/vote`, { value });
    assert.equal((await vote(carol, "for")).status, 403, "nor vote on amendments");
    assert.equal((await vote(alice, "for")).status, 200);
    assert.equal((await vote(bob, "for")).status, 200);
    assert.equal((await vote(bob, "against")).status, 409, "once per person");
    assert.equal((await as(bob, "POST", "/api/amendments/am_inconnu/vote", { value: "for" })).status, 404);

    await setTimes(proposal.id, { amend: now() - 1 });
    const voting = await read(`/api/proposals/${proposal.id}`);
    assert.equal(voting.phase, "voting");
    assert.equal(voting.body, "Le local ouvre le samedi matin.", "the adopted amendment is the text put to the vote");
    assert.deepEqual(voting.amendments.map((a) => [a.status, a.for]), [["adopted", 2]]);
    assert.deepEqual(voting.versions.map((v) => v.body), ["Le local ouvre le samedi.", "Le local ouvre le samedi matin."]);

    assert.equal((await ballot(null, { value: "for" })).status, 401);
    assert.equal((await ballot(carol, { value: "for" })).status, 403, "a non-member is refused");
    const bad = await ballot(alice, { value: "peut-être" });
    assert.deepEqual([bad.status, (await bad.json()).error.field], [400, "value"]);
    const alices = await ballot(alice, { value: "for" });
    assert.equal(alices.status, 200);
    const { receipt } = await alices.json();
    assert.equal((await ballot(bob, { value: "blank" })).status, 200);
    assert.equal((await ballot(bob, { value: "against" })).status, 409, "changes are off");
    assert.deepEqual(await read(`/api/proposals/${proposal.id}/receipt/${receipt}`), { counted: true }, "an open ballot's receipt checks too");
    const live = await read(`/api/proposals/${proposal.id}`, bob);
    assert.deepEqual(
      [live.results.ballots, live.results.eligible, live.results.tallies.for, live.results.tallies.blank, live.you_took_part],
      [2, 2, 1, 1, true],
      "an open vote shows live tallies",
    );
    assert.deepEqual((await read(`/api/proposals?community=${org.id}&phase=voting`)).items.map((p) => p.id), [proposal.id]);

    await setTimes(proposal.id, { vote: now() - 1 });
    const closed = await read(`/api/proposals/${proposal.id}`);
    assert.equal(closed.phase, "closed");
    assert.deepEqual(
      [closed.results.outcome, closed.results.ballots, closed.results.eligible, closed.results.quorum_met, closed.results.winners],
      ["adopted", 2, 2, true, undefined],
    );
    assert.equal((await ballot(bob, { value: "against" })).status, 409, "a closed vote takes no ballot");
    assert.deepEqual((await read(`/api/proposals?community=${org.id}&phase=closed`)).items.map((p) => p.id), [proposal.id]);
    assert.deepEqual((await read(`/api/proposals?community=${org.id}&phase=voting`)).items, []);
    assert.equal((await worker.fetch(`/api/proposals?community=${org.id}&phase=ouverte`)).status, 400);
  });

  test("100 concurrent ballots by one person count once", async () => {
    const proposal = await open(admin, { community: "instance", title: "Heure de la réunion", method: "choice", options: ["18 h", "20 h"], eligibility: "verified" });
    assert.deepEqual([proposal.method, proposal.options], ["choice", ["18 h", "20 h"]]);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => as(bob, "POST", `/api/proposals/${proposal.id}/ballot`, { option: i % 2 ? "18 h" : "20 h" })),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 99);
    const rows = await worker.db.prepare("SELECT count(*) AS n FROM ballot WHERE proposal_id = ?").bind(proposal.id).first();
    assert.equal(rows.n, 1);
  });

  test("50 concurrent secret ballots by one person: one counted, no orphan ballot without its participation", async () => {
    const proposal = await open(admin, { community: "instance", title: "Heure secrète", method: "choice", options: ["18 h", "20 h"], eligibility: "verified", secret: true });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => as(carol, "POST", `/api/proposals/${proposal.id}/ballot`, { option: "18 h" })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, ...Array(49).fill(409)]);
    const count = async (table) => (await worker.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE proposal_id = ?`).bind(proposal.id).first()).n;
    assert.deepEqual([await count("participation"), await count("secret_ballot")], [1, 1], "each refused batch left nothing behind");
  });

  test("secret ballots: nothing links a voter to a choice; results wait for the close; receipts check and replace", async () => {
    const proposal = await open(admin, {
      community: "instance", title: "Quel local ?", method: "choice", options: ["La Poste", "La gare"],
      eligibility: "verified", secret: true, can_change_vote: true,
    });
    const cast = (who, body) => as(who, "POST", `/api/proposals/${proposal.id}/ballot`, body);
    const bobs = await cast(bob, { option: "La Poste" });
    assert.equal(bobs.status, 200);
    const { receipt } = await bobs.json();
    assert.match(receipt, /^[A-Za-z0-9_-]{40,}$/);
    assert.equal((await cast(carol, { option: "La gare" })).status, 200);
    assert.equal((await cast(bob, { option: "La gare" })).status, 409, "a second ballot needs the receipt");

    const during = await read(`/api/proposals/${proposal.id}`, bob);
    assert.equal(during.results, null, "hidden until the close");
    assert.equal(during.you_took_part, true);

    const check = async (r) => read(`/api/proposals/${proposal.id}/receipt/${encodeURIComponent(r)}`);
    assert.deepEqual(await check(receipt), { counted: true }, "counted, and what it holds is not told");
    assert.equal((await check("not-a-receipt")).counted, false);
    const replaced = await cast(bob, { option: "La gare", receipt });
    assert.deepEqual([replaced.status, (await replaced.json()).receipt], [200, receipt]);
    assert.deepEqual(await check(receipt), { counted: true }, "still one counted ballot, now replaced");
    assert.equal((await cast(bob, { option: "La Poste", receipt: "forged" })).status, 404);

    // In D1, no row holds both a person and a choice or a receipt's hash.
    const bobId = (await worker.db.prepare("SELECT id FROM person WHERE email = 'bob@exemple.fr'").first()).id;
    const tables = await worker.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all();
    const secrets = (await worker.db.prepare("SELECT receipt_hash, content FROM secret_ballot WHERE proposal_id = ?").bind(proposal.id).all()).results;
    assert.equal(secrets.length, 2);
    for (const { name } of tables.results) {
      for (const row of (await worker.db.prepare(`SELECT * FROM "${name}"`).all()).results) {
        const values = Object.values(row).map(String);
        if (!values.includes(bobId)) continue;
        for (const s of secrets) {
          assert.ok(!values.includes(s.receipt_hash), `${name} links a person to a secret ballot's receipt`);
          // The same content may be bob's open ballot on another proposal; not on this one.
          assert.ok(!(values.includes(proposal.id) && values.includes(s.content)), `${name} links a person to a secret choice`);
        }
      }
    }
    const participation = (await worker.db.prepare("SELECT * FROM participation WHERE proposal_id = ?").bind(proposal.id).all()).results;
    assert.deepEqual(Object.keys(participation[0]).sort(), ["person_id", "proposal_id"]);

    await setTimes(proposal.id, { vote: now() - 1 });
    const closed = await read(`/api/proposals/${proposal.id}`);
    assert.deepEqual(closed.results.tallies.counts, [0, 2], "bob's ballot was replaced through the receipt");
    assert.equal(closed.results.outcome, "adopted");
    assert.deepEqual(closed.results.winners, ["La gare"]);
  });

  test("eligibility is decided at ballot time: a donors' vote refuses a person who gives nothing", async () => {
    assert.equal((await as(bob, "POST", "/api/proposals", { community: "instance", title: "Budget", method: "motion", vote_until: iso(now() + HOUR) })).status, 403, "only donors and admins open proposals in the instance");
    const proposal = await open(admin, { community: "instance", title: "Choisir les fonctionnalités", method: "motion", eligibility: "donors" });
    assert.equal((await as(bob, "POST", `/api/proposals/${proposal.id}/ballot`, { value: "for" })).status, 403);
    const scheduled = await worker.db.prepare("SELECT closed_at FROM proposal WHERE id = ?").bind(proposal.id).first();
    assert.equal(scheduled.closed_at, null);
    await setTimes(proposal.id, { vote: now() - 1 });
    await worker.scheduled();
    const after = await worker.db.prepare("SELECT closed_at, resolution FROM proposal WHERE id = ?").bind(proposal.id).first();
    assert.ok(after.closed_at, "the scheduled run closes it");
    assert.equal(JSON.parse(after.resolution).outcome, "refused", "no quorum asked, and nobody for");
  });

  test("three reports open a secret 75 % motion; adopted, it hides the post from the live feed", async () => {
    const posted = await (await as(carol, "POST", "/api/posts", { scope: "commune:97415", text: "Message injurieux" })).json();
    const report = (who) => as(who, "POST", `/api/posts/${posted.id}/reports`);
    assert.deepEqual(await (await report(alice)).json(), { reports: 1, motion: null });
    assert.equal((await (await report(alice)).json()).reports, 1, "one report per person");
    await report(bob);
    const third = await (await report(admin)).json();
    assert.equal(third.reports, 3);
    const motion = await read(`/api/proposals/${third.motion}`);
    assert.deepEqual([motion.method, motion.majority_percent, motion.secret, motion.phase], ["motion", 75, true, "voting"]);
    assert.ok(Date.parse(motion.vote_until) - Date.now() > 47 * HOUR * 1000, "about two days");
    for (const who of [alice, bob, admin]) {
      assert.equal((await as(who, "POST", `/api/proposals/${motion.id}/ballot`, { value: "for" })).status, 200);
    }
    assert.equal((await as(carol, "POST", `/api/proposals/${motion.id}/ballot`, { value: "blank" })).status, 200);
    const before = await read("/api/live?scope=commune:97415");
    assert.ok(before.items.some((i) => i.id === posted.id));
    await setTimes(motion.id, { vote: now() - 1 });
    assert.equal((await read(`/api/proposals/${motion.id}`)).results.outcome, "adopted", "3 for, none against, 1 blank: 75 % exceeded");
    const afterwards = await read("/api/live?scope=commune:97415");
    assert.ok(!afterwards.items.some((i) => i.id === posted.id), "the post is hidden");
  });

  test("an adopted resolution carries actions that its admins move along and members join", async () => {
    const proposal = await open(alice, { community: org.id, title: "Repeindre le local", method: "motion", quorum: 0 });
    await as(alice, "POST", `/api/proposals/${proposal.id}/ballot`, { value: "for" });
    assert.equal((await as(alice, "POST", `/api/proposals/${proposal.id}/actions`, { title: "Acheter la peinture" })).status, 409, "not adopted yet");
    await setTimes(proposal.id, { vote: now() - 1 });
    assert.equal((await read(`/api/proposals/${proposal.id}`)).results.outcome, "adopted");
    assert.equal((await as(bob, "POST", `/api/proposals/${proposal.id}/actions`, { title: "Acheter la peinture" })).status, 403);
    const action = await (await as(alice, "POST", `/api/proposals/${proposal.id}/actions`, { title: "Acheter la peinture" })).json();
    assert.equal(action.status, "todo");
    assert.equal((await as(bob, "PATCH", `/api/actions/${action.id}`, { status: "done" })).status, 403);
    const joined = await (await as(bob, "PATCH", `/api/actions/${action.id}`, { contribute: true })).json();
    assert.equal(joined[0].contributors, 1);
    const moved = await (await as(alice, "PATCH", `/api/actions/${action.id}`, { status: "in_progress" })).json();
    assert.equal(moved[0].status, "in_progress");
    assert.deepEqual((await read(`/api/proposals/${proposal.id}`)).actions.map((a) => [a.title, a.status, a.contributors]), [["Acheter la peinture", "in_progress", 1]]);
  });

  test("the instance's secret budget vote starts the winning funded features, never over budget", async () => {
    async function funded(title, goal) {
      const feature = await (await as(admin, "POST", "/api/features", { title, goal_cents: goal, deadline: new Date(Date.now() + 30 * 24 * HOUR * 1000).toISOString().slice(0, 10) })).json();
      const pledge = await (await as(admin, "POST", `/api/features/${feature.id}/pledges`, { amount_cents: goal })).json();
      if (pledge.status === "pending") assert.equal((await as(admin, "POST", `/api/dev/setup/${pledge.id}/save`)).status, 200);
      assert.equal((await read(`/api/features/${feature.id}`)).status, "funded");
      return feature;
    }
    const [map, ical] = [await funded("Carte hors ligne", 200000), await funded("Export iCal", 150000)];
    const unfunded = await (await as(admin, "POST", "/api/features", { title: "Pas encore financée", goal_cents: 50000, deadline: new Date(Date.now() + 30 * 24 * HOUR * 1000).toISOString().slice(0, 10) })).json();
    const budget = { community: "instance", title: "Que développer ce trimestre ?", method: "budget", budget_cents: 300000, eligibility: "verified", secret: true };
    const refused = await as(admin, "POST", "/api/proposals", { ...budget, feature_ids: [map.id, unfunded.id], vote_until: iso(now() + HOUR) });
    assert.deepEqual([refused.status, (await refused.json()).error.field], [400, "feature_ids"], "only funded features wait for a budget vote");
    const proposal = await open(admin, { ...budget, feature_ids: [map.id, ical.id] });
    assert.deepEqual([proposal.options, proposal.costs_cents, proposal.feature_ids], [[map.title, ical.title], [200000, 150000], [map.id, ical.id]]);
    const cast = (who, ids) => as(who, "POST", `/api/proposals/${proposal.id}/ballot`, { feature_ids: ids });
    assert.equal((await cast(bob, [map.id, ical.id])).status, 400, "a ballot over the budget is refused");
    assert.equal((await cast(bob, [map.id])).status, 200);
    assert.equal((await cast(carol, [map.id])).status, 200);
    assert.equal((await cast(alice, [ical.id])).status, 200);
    await setTimes(proposal.id, { vote: now() - 1 });
    const closed = await read(`/api/proposals/${proposal.id}`);
    assert.deepEqual([closed.results.outcome, closed.results.winners], ["adopted", [map.id]]);
    assert.ok(closed.results.tallies.spent_cents <= 300000);
    assert.equal((await read(`/api/features/${map.id}`)).status, "in_progress");
    assert.equal((await read(`/api/features/${ical.id}`)).status, "funded", "did not fit what remained");
    const ledger = (await read("/api/ledger?limit=100")).items.filter((e) => e.kind === "allocation");
    assert.deepEqual(ledger.map((e) => [e.amount_cents, e.ref]), [[200000, `feature:${map.id}`]]);
    assert.equal((await read("/api/ledger/verify")).ok, true);
  });

  test("the proposal page votes and amends with plain HTML forms, without JavaScript", async () => {
    const proposal = await open(alice, { community: org.id, title: "Horaires d’été", body: "Ouvrir à 9 h.", method: "motion", amend_until: iso(now() + HOUR) });
    const form = (who, fields) => worker.fetch(`/propositions/${proposal.id}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787", cookie: who.cookie },
      body: new URLSearchParams(fields).toString(),
    });
    const page = await worker.fetch(`/propositions/${proposal.id}/`, { headers: { cookie: bob.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("cache-control"), /private, no-store/, "the reader's own page");
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/propositions\/[^/]+\/"/);
    assert.match(html, /Amendements ouverts/);
    assert.match(html, /Vous pouvez amender et voter sur les amendements/);
    const anonymous = await (await worker.fetch(`/propositions/${proposal.id}/`)).text();
    assert.doesNotMatch(anonymous, /name="action" value="amender"/, "no form to the anonymous");
    assert.match(anonymous, /Connectez-vous<\/a> pour amender/);
    const outsider = await (await worker.fetch(`/propositions/${proposal.id}/`, { headers: { cookie: carol.cookie } })).text();
    assert.doesNotMatch(outsider, /name="action" value="amender"/);
    assert.match(outsider, /Vous ne pouvez pas voter : ce vote est réservé aux membres/);
    const amended = await form(bob, { action: "amender", body: "Ouvrir à 8 h.", reason: "Plus tôt" });
    assert.equal(amended.status, 200);
    assert.match(await amended.text(), /Votre amendement est proposé au vote/);
    const refused = await form(carol, { action: "amender", body: "Autre" });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Vous n’avez pas le droit de faire cela/);
    await setTimes(proposal.id, { amend: now() - 1 });
    const voted = await form(bob, { action: "voter", choice: "for" });
    assert.match(await voted.text(), /Votre bulletin est compté/);
    assert.equal((await form(bob, { action: "voter", choice: "against" })).status, 409, "once, changes not allowed");
    const community = await (await worker.fetch(`/cooperation/${org.id}/`)).text();
    assert.match(community, /Horaires d’été/);
    await setTimes(proposal.id, { vote: now() - 1 });
    const closed = await (await worker.fetch(`/propositions/${proposal.id}/`)).text();
    assert.match(closed, /Résolution :<\/strong> Adoptée/);
    assert.match(closed, /<svg class="chart" role="img"/);
  });

  test("majority judgment: grades by option, merit profiles, the winner named", async () => {
    const proposal = await open(admin, { community: "instance", title: "Nom du réseau", method: "majority_judgment", options: ["Communs", "Kazkasa"], eligibility: "verified" });
    const grade = (who, grades) => as(who, "POST", `/api/proposals/${proposal.id}/ballot`, { grades });
    const unknown = await grade(bob, { Autre: 3 });
    assert.deepEqual([unknown.status, (await unknown.json()).error.field], [400, "grades"]);
    assert.equal((await grade(bob, { Communs: 4, Kazkasa: 2 })).status, 200);
    assert.equal((await grade(carol, { Communs: 3, Kazkasa: 5 })).status, 200);
    assert.equal((await grade(alice, { Kazkasa: 1 })).status, 200, "an option left out is graded « À rejeter »");
    const live = (await read(`/api/proposals/${proposal.id}`)).results;
    // Communs [4, 3, 0] → lower median 3 « Assez bien »; Kazkasa [2, 5, 1] → 2.
    assert.deepEqual([live.winners, live.tallies.ranking[0].majority_label], [["Communs"], "Assez bien"]);
  });

  test("the first API's names still work: Unix times, single_choice, /ballots, /votes, POST /receipt", async () => {
    const proposal = await open(admin, {
      community: "instance", title: "Ancienne forme", method: "single_choice", options: [{ label: "Oui" }, { label: "Non" }],
      eligibility: "verified", majority: 60, changeable: true, vote_until: now() + 48 * HOUR, amend_until: now() + HOUR,
    });
    assert.deepEqual([proposal.method, proposal.majority_percent, proposal.can_change_vote, proposal.phase], ["choice", 60, true, "amendable"]);
    const amendment = await (await as(bob, "POST", `/api/proposals/${proposal.id}/amendments`, { body: "Texte amendé" })).json();
    assert.equal((await as(bob, "POST", `/api/proposals/${proposal.id}/amendments/${amendment.id}/votes`, { choice: "for" })).status, 200);
    await setTimes(proposal.id, { amend: now() - 1 });
    const cast = await as(bob, "POST", `/api/proposals/${proposal.id}/ballots`, { ballot: { option: 1 } });
    assert.equal(cast.status, 200);
    const { receipt } = await cast.json();
    const checked = await (await as(null, "POST", `/api/proposals/${proposal.id}/receipt`, { receipt })).json();
    assert.deepEqual(checked, { counted: true });
    assert.equal((await as(bob, "POST", `/api/proposals/${proposal.id}/ballots`, { ballot: { option: 0 } })).status, 200, "an open ballot is replaced when changes are on");
    assert.deepEqual((await read(`/api/proposals/${proposal.id}`)).results.tallies.counts, [1, 0]);
  });
});
