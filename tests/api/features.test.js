// Stripe's API (through Miniflare's outbound interception) for gifts, saved cards and charges;
// features and pledges, all or nothing; the scheduled run that expires, releases and retries.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { latestMail, signIn } from "../support/accounts.js";
import { STRIPE_KEY, WEBHOOK_SECRET, event, fakeStripe } from "../support/stripe.js";
import { startWorker, write } from "../support/worker.js";

const DAY = 24 * 3600 * 1000;
const inDays = (n) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe("funding through Stripe's API", () => {
  let worker;
  let stripe;
  let admin;
  let people;
  before(async () => {
    stripe = fakeStripe();
    worker = await startWorker({
      vars: { STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      outbound: (request) => stripe.outbound(request),
    });
    admin = await signIn(worker, "admin@communs.test");
    people = {};
    for (const name of ["bob", "carol", "dan", "eve"]) people[name] = await signIn(worker, `${name}@exemple.fr`);
  });
  after(() => worker?.stop());

  const as = (who, method, path, body, headers = {}) => worker.fetch(path, write(method, body, { cookie: who.cookie, headers }));
  const read = async (path, who) => (await worker.fetch(path, who ? { headers: { cookie: who.cookie } } : {})).json();
  const webhook = ({ body, signature }) =>
    worker.fetch("/api/payments/webhook", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
  const propose = async (who, goal = 260000, extra = {}) => {
    const response = await as(who, "POST", "/api/features", { title: "Export iCal des agendas", description: "Pour s’abonner.", goal_cents: goal, deadline: inDays(30), ...extra });
    assert.equal(response.status, 201, await response.clone().text());
    return response.json();
  };
  const pledge = (who, feature, amount, key) =>
    as(who, "POST", `/api/features/${feature.id}/pledges`, { amount_cents: amount }, key ? { "idempotency-key": key } : {});
  const ledger = async () => (await read("/api/ledger?limit=100")).items;

  /** Saves a card the way Stripe's setup checkout does: a pending pledge, then the signed event. */
  async function saveCard(who, feature) {
    const pending = await (await pledge(who, feature, 100)).json();
    assert.equal(pending.status, "pending");
    const customer = stripe.to("POST", "/v1/customers").at(-1);
    assert.ok(customer, "a customer is created for the backer");
    const setup = event("checkout.session.completed", {
      id: "cs_setup", object: "checkout.session", mode: "setup", client_reference_id: pending.id,
      customer: `cus_${stripe.calls.indexOf(customer) + 1}`, setup_intent: `seti_${pending.id}`, status: "complete",
    });
    assert.equal((await webhook(setup)).status, 200);
    return pending;
  }

  test("a gift opens Stripe's hosted checkout with our donation id; Stripe failing is a clear 502", async () => {
    const once = await as(people.bob, "POST", "/api/donations", { amount_cents: 2000 });
    assert.equal(once.status, 201);
    const gift = await once.json();
    const session = stripe.to("POST", "/v1/checkout/sessions").at(-1);
    assert.equal(session.auth, `Bearer ${STRIPE_KEY}`);
    assert.deepEqual(
      { mode: session.form.mode, ref: session.form.client_reference_id, amount: session.form["line_items[0][price_data][unit_amount]"] },
      { mode: "payment", ref: gift.id, amount: "2000" },
    );
    assert.match(gift.checkout_url, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const monthly = await (await as(people.bob, "POST", "/api/donations", { amount_cents: 500, recurring: "monthly" })).json();
    const sub = stripe.to("POST", "/v1/checkout/sessions").at(-1).form;
    assert.deepEqual([sub.mode, sub["subscription_data[metadata][donation_id]"]], ["subscription", monthly.id]);

    stripe.setDown(true);
    try {
      const failed = await as(people.bob, "POST", "/api/donations", { amount_cents: 700 });
      assert.equal(failed.status, 502);
      assert.equal((await failed.json()).error.code, "payment_provider_error");
    } finally {
      stripe.setDown(false);
    }
    assert.doesNotMatch(JSON.stringify(await read("/api/donations", people.bob)), /sk_test/);
  });

  test("stopping a monthly gift cancels its subscription at Stripe", async () => {
    const monthly = await (await as(people.dan, "POST", "/api/donations", { amount_cents: 500, recurring: "monthly" })).json();
    const paid = event("checkout.session.completed", { id: "cs_m", object: "checkout.session", mode: "subscription", client_reference_id: monthly.id, subscription: "sub_dan", amount_total: 500, currency: "eur" });
    assert.equal((await webhook(paid)).status, 200);
    assert.equal((await as(people.dan, "DELETE", `/api/donations/${monthly.id}`)).status, 204);
    assert.equal(stripe.to("DELETE", "/v1/subscriptions/sub_dan").length, 1);
  });

  test("donors and admins propose features; others may not; bad input names its field", async () => {
    assert.equal((await as(people.eve, "POST", "/api/features", { title: "Carte", goal_cents: 260000, deadline: inDays(30) })).status, 403);
    const bad = await as(admin, "POST", "/api/features", { title: "Carte", goal_cents: 50, deadline: inDays(30) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, "goal_cents");
    const late = await as(admin, "POST", "/api/features", { title: "Carte", goal_cents: 260000, deadline: inDays(400) });
    assert.equal((await late.json()).error.field, "deadline");
    const feature = await propose(admin);
    assert.deepEqual(
      { status: feature.status, pledged: feature.pledged_cents, backers: feature.backers, goal: feature.goal_cents },
      { status: "funding", pledged: 0, backers: 0, goal: 260000 },
    );
    assert.deepEqual(feature.history.map((h) => h.status), ["funding"]);

    // A confirmed gift makes a donor.
    const gift = await (await as(people.eve, "POST", "/api/donations", { amount_cents: 1000 })).json();
    const paid = event("checkout.session.completed", { id: "cs_e", object: "checkout.session", mode: "payment", client_reference_id: gift.id, amount_total: 1000, currency: "eur", payment_intent: "pi_eve", payment_status: "paid" });
    assert.equal((await webhook(paid)).status, 200);
    assert.equal((await propose(people.eve)).status, "funding");
    const listed = await read("/api/features?status=funding");
    assert.ok(listed.items.length >= 2);
    assert.equal((await worker.fetch("/api/features?status=nope")).status, 400);
  });

  test("a pledge waits for a saved card; the same Idempotency-Key twice makes one pledge", async () => {
    const feature = await propose(admin);
    const first = await pledge(people.bob, feature, 1500, "bob-key-1");
    assert.equal(first.status, 201);
    const pending = await first.json();
    assert.equal(pending.status, "pending");
    assert.match(pending.setup_url, /^https:\/\/checkout\.stripe\.com\//);
    const setup = stripe.to("POST", "/v1/checkout/sessions").at(-1).form;
    assert.deepEqual([setup.mode, setup.client_reference_id, setup.currency], ["setup", pending.id, "eur"]);
    assert.equal((await read(`/api/features/${feature.id}`)).pledged_cents, 0, "a pending pledge does not count");

    const again = await (await pledge(people.bob, feature, 1500, "bob-key-1")).json();
    assert.equal(again.id, pending.id);
    const other = await pledge(people.bob, feature, 9999, "bob-key-1");
    assert.equal(other.status, 409, "a key reused for another pledge is refused");
    const mine = (await read("/api/pledges", people.bob)).items.filter((p) => p.feature_id === feature.id);
    assert.equal(mine.length, 1);

    const customer = stripe.to("POST", "/v1/customers").length;
    const saved = event("checkout.session.completed", { id: "cs_s", object: "checkout.session", mode: "setup", client_reference_id: pending.id, customer: `cus_${customer}`, setup_intent: "seti_bob", status: "complete" });
    assert.equal((await webhook(saved)).status, 200);
    assert.equal(stripe.to("GET", "/v1/setup_intents/seti_bob").length, 1);
    const committed = (await read("/api/pledges", people.bob)).items.find((p) => p.id === pending.id);
    assert.equal(committed.status, "committed");
    assert.equal((await read(`/api/features/${feature.id}`)).pledged_cents, 1500);
    const next = await (await pledge(people.bob, feature, 700)).json();
    assert.equal(next.status, "committed", "with a saved card, at once");
    assert.equal((await as(people.bob, "DELETE", `/api/pledges/${next.id}`)).status, 204);
    assert.equal((await read(`/api/features/${feature.id}`)).pledged_cents, 1500);
  });

  test("two pledges crossing the goal together make one funding transition and one charge each", async () => {
    const warmUp = await propose(admin);
    await saveCard(people.carol, warmUp);
    await saveCard(people.dan, warmUp);
    const feature = await propose(admin);
    const charged = stripe.to("POST", "/v1/payment_intents").length;
    const [a, b] = await Promise.all([pledge(people.carol, feature, 130000), pledge(people.dan, feature, 130000)]);
    assert.deepEqual([a.status, b.status], [201, 201]);
    const [pa, pb] = [await a.json(), await b.json()];
    // Each as it stands when answered: the one that reached the goal is charged already.
    for (const status of [pa.status, pb.status]) assert.ok(["committed", "charging", "charged"].includes(status), status);
    assert.ok([pa.status, pb.status].includes("charged"), `${pa.status}, ${pb.status}`);

    const funded = await read(`/api/features/${feature.id}`);
    assert.equal(funded.status, "funded");
    assert.deepEqual(funded.history.map((h) => h.status), ["funding", "funded"]);
    const transitions = await worker.db.prepare("SELECT count(*) AS n FROM feature_history WHERE feature_id = ? AND status = 'funded'").bind(feature.id).first();
    assert.equal(transitions.n, 1);
    const intents = stripe.to("POST", "/v1/payment_intents").slice(charged);
    assert.deepEqual(intents.map((c) => c.form["metadata[pledge_id]"]).sort(), [pa.id, pb.id].sort(), "one charge each");
    assert.ok(intents.every((c) => c.form.off_session === "true" && c.form.amount === "130000"));
    const charges = (await ledger()).filter((e) => e.kind === "charge" && [pa.id, pb.id].includes(e.ref.slice("pledge:".length)));
    assert.equal(charges.length, 2);

    // Nothing more to charge: a scheduled run asks Stripe nothing.
    await worker.scheduled();
    assert.equal(stripe.to("POST", "/v1/payment_intents").length, charged + 2);
    assert.equal((await as(people.carol, "DELETE", `/api/pledges/${pa.id}`)).status, 409, "no withdrawal once funded");
    assert.equal((await pledge(people.eve, feature, 500)).status, 409, "no pledge once funded");
  });

  test("the pipeline refuses illegal moves and only admins steer it", async () => {
    const feature = await propose(admin);
    assert.equal((await as(people.bob, "PATCH", `/api/features/${feature.id}`, { status: "declined" })).status, 403);
    assert.equal((await as(admin, "PATCH", `/api/features/${feature.id}`, { status: "delivered" })).status, 409);
    assert.equal((await as(admin, "PATCH", `/api/features/${feature.id}`, { status: "funded" })).status, 400);
    const declined = await as(admin, "PATCH", `/api/features/${feature.id}`, { status: "declined" });
    assert.equal((await declined.json()).status, "declined");
    assert.equal((await as(admin, "PATCH", `/api/features/${feature.id}`, { status: "in_progress" })).status, 409);
  });

  test("a declined charge is reported and retried with a new key, and charged once", async () => {
    const warmUp = await propose(admin);
    const eveCard = await saveCard(people.eve, warmUp);
    assert.ok(eveCard);
    const customer = (await worker.db.prepare("SELECT customer_ref FROM payment_method WHERE person_id = ?").bind(people.eve.user.id).first()).customer_ref;
    stripe.declineNext(customer);
    const feature = await propose(admin, 10000);
    const placed = await (await pledge(people.eve, feature, 10000)).json();
    let mine = (await read("/api/pledges", people.eve)).items.find((p) => p.id === placed.id);
    assert.equal(mine.status, "charge_failed");
    assert.equal(mine.charge_error, "insufficient_funds");
    assert.ok(Date.parse(mine.next_attempt_at) > Date.now() + 50 * 60 * 1000, "tried again in about an hour");
    const mail = await latestMail(worker, "eve@exemple.fr");
    assert.match(mail.subject, /n’a pas pu être prélevé/);

    await worker.scheduled();
    const attempts = () => stripe.to("POST", "/v1/payment_intents").filter((c) => c.form["metadata[pledge_id]"] === placed.id);
    assert.equal(attempts().length, 1, "not before the next attempt is due");
    await worker.db.prepare("UPDATE pledge SET next_attempt_at = 0 WHERE id = ?").bind(placed.id).run();
    await worker.scheduled();
    mine = (await read("/api/pledges", people.eve)).items.find((p) => p.id === placed.id);
    assert.equal(mine.status, "charged");
    const keys = attempts().map((c) => c.key);
    assert.equal(new Set(keys).size, 2, "each attempt has its own idempotency key");
    await worker.scheduled();
    assert.equal(attempts().length, 2, "charged once");
    const entries = (await ledger()).filter((e) => e.ref === `pledge:${placed.id}` && e.kind === "charge");
    assert.equal(entries.length, 1);

    // The treasurer refunds it: Stripe is asked once, the ledger says so, the total drops.
    const total = (await read("/api/funding/summary")).total_cents;
    assert.equal((await as(people.bob, "POST", `/api/pledges/${placed.id}/refund`)).status, 403);
    const refunded = await as(admin, "POST", `/api/pledges/${placed.id}/refund`);
    assert.equal((await refunded.json()).status, "refunded");
    assert.equal(stripe.to("POST", "/v1/refunds").length, 1);
    assert.equal((await read("/api/funding/summary")).total_cents, total - 10000);
    assert.equal((await as(admin, "POST", `/api/pledges/${placed.id}/refund`)).status, 409);
    // Stripe then tells of the same refund: it is not entered a second time.
    const { source } = await worker.db.prepare("SELECT source FROM ledger_entry WHERE kind = 'refund' AND ref = ?").bind(`pledge:${placed.id}`).first();
    const { charge_ref } = await worker.db.prepare("SELECT charge_ref FROM pledge WHERE id = ?").bind(placed.id).first();
    const told = event("charge.refunded", {
      id: "ch_told", object: "charge", payment_intent: charge_ref, amount: 10000, currency: "eur",
      refunds: { object: "list", data: [{ id: source, object: "refund", amount: 10000, currency: "eur", status: "succeeded" }] },
    });
    assert.equal((await webhook(told)).status, 200);
    assert.equal((await read("/api/funding/summary")).total_cents, total - 10000);
    assert.equal((await ledger()).filter((e) => e.ref === `pledge:${placed.id}` && e.kind === "refund").length, 1);
  });

  test("an expired feature charges nothing, releases its pledges, and a pledge can move on", async () => {
    const warmUp = await propose(admin);
    const bobHasCard = (await read("/api/pledges", people.bob)).items.some((p) => p.status === "committed");
    if (!bobHasCard) await saveCard(people.bob, warmUp);
    const feature = await propose(admin);
    const placed = await (await pledge(people.bob, feature, 5000)).json();
    assert.equal(placed.status, "committed");
    const intents = stripe.to("POST", "/v1/payment_intents").length;
    await worker.db.prepare("UPDATE feature SET deadline = ? WHERE id = ?").bind(Math.floor(Date.now() / 1000) - 60, feature.id).run();
    assert.equal((await read(`/api/features/${feature.id}`)).status, "expired", "the clock decides before the run");
    assert.equal((await pledge(people.carol, feature, 500)).status, 409);

    await worker.scheduled();
    assert.equal(stripe.to("POST", "/v1/payment_intents").length, intents, "nothing charged");
    const released = (await read("/api/pledges", people.bob)).items.find((p) => p.id === placed.id);
    assert.equal(released.status, "released");
    const entries = (await ledger()).filter((e) => e.ref === `pledge:${placed.id}`);
    assert.deepEqual(entries.map((e) => [e.kind, e.amount_cents]), [["release", 5000]]);
    const stored = await read(`/api/features/${feature.id}`);
    assert.deepEqual([stored.status, stored.history.at(-1).status], ["expired", "expired"]);

    const target = await propose(admin);
    const moved = await as(people.bob, "POST", `/api/pledges/${placed.id}/move`, { feature_id: target.id });
    assert.equal(moved.status, 201);
    const movedPledge = await moved.json();
    assert.equal(movedPledge.status, "committed");
    const twice = await (await as(people.bob, "POST", `/api/pledges/${placed.id}/move`, { feature_id: target.id })).json();
    assert.equal(twice.id, movedPledge.id, "moving twice makes one pledge");
    assert.equal((await read(`/api/features/${target.id}`)).pledged_cents, 5000);
  });

  test("the treasurer records transfers and expenses; the chain detects a deletion or a reordering", async () => {
    const gift = { amount_cents: 12000, method: "virement", reference: "VIR 2026-11-03 ASSO" };
    assert.equal((await as(people.bob, "POST", "/api/donations/manual", gift)).status, 403);
    const total = (await read("/api/funding/summary")).total_cents;
    const recorded = await as(admin, "POST", "/api/donations/manual", gift);
    assert.equal(recorded.status, 201);
    assert.equal((await recorded.json()).status, "confirmed");
    assert.equal((await read("/api/funding/summary")).total_cents, total + 12000);
    assert.equal((await as(admin, "POST", "/api/donations/manual", gift)).status, 409, "the same bank line once");
    // The same new bank line entered twice at once: one 201, one 409 (never 503), one gift.
    const line = { amount_cents: 700, method: "virement", reference: "VIR 2026-11-04 RACE" };
    const raced = await Promise.all([0, 1, 2, 3].map(() => as(admin, "POST", "/api/donations/manual", line)));
    assert.deepEqual(raced.map((r) => r.status).sort(), [201, 409, 409, 409]);
    const gifts = await worker.db.prepare("SELECT count(*) AS n FROM donation WHERE provider = 'manual' AND amount_cents = 700").first();
    assert.equal(gifts.n, 1, "no gift recorded without its money");
    const expense = await as(admin, "POST", "/api/ledger/expenses", { amount_cents: 500, label: "hébergement novembre" });
    assert.equal(expense.status, 201);
    assert.deepEqual(
      (({ kind, ref }) => ({ kind, ref }))(await expense.json()),
      { kind: "expense", ref: "expense:hébergement novembre" },
    );

    assert.equal((await read("/api/ledger/verify")).ok, true);
    const swap = async (a, b) => {
      for (const [from, to] of [[a, -1], [b, a], [-1, b]]) {
        await worker.db.prepare("UPDATE ledger_entry SET seq = ? WHERE seq = ?").bind(to, from).run();
      }
    };
    await swap(1, 2);
    const reordered = await read("/api/ledger/verify");
    assert.deepEqual([reordered.ok, reordered.seq], [false, 1], "a reordering breaks the chain at once");
    await swap(1, 2);
    assert.equal((await read("/api/ledger/verify")).ok, true);
    await worker.db.prepare("DELETE FROM ledger_entry WHERE seq = 3").run();
    const deleted = await read("/api/ledger/verify");
    assert.deepEqual([deleted.ok, deleted.seq], [false, 4], "the entry after the gap is named");
  });
});

describe("funding with the development stand-in", () => {
  let worker;
  before(async () => {
    worker = await startWorker({ vars: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  });
  after(() => worker?.stop());

  test("a pledge's card is saved on the test page, and a funded feature is charged", async () => {
    const admin = await signIn(worker, "admin@communs.test");
    const created = await worker.fetch("/api/features", write("POST", { title: "Carte hors ligne", goal_cents: 10000, deadline: inDays(10) }, { cookie: admin.cookie }));
    const feature = await created.json();
    const placed = await (await worker.fetch(`/api/features/${feature.id}/pledges`, write("POST", { amount_cents: 10000 }, { cookie: admin.cookie }))).json();
    assert.equal(placed.status, "pending");
    assert.equal(placed.setup_url, `/don/paiement-test/?engagement=${placed.id}`);
    const shown = await (await worker.fetch(`/api/dev/setup/${placed.id}`, { headers: { cookie: admin.cookie } })).json();
    assert.equal(shown.amount_cents, 10000);
    const saved = await worker.fetch(`/api/dev/setup/${placed.id}/save`, write("POST", undefined, { cookie: admin.cookie }));
    assert.equal(saved.status, 200);
    assert.equal((await saved.json()).status, "charged", "saving the card committed it, which reached the goal");
    assert.equal((await (await worker.fetch(`/api/features/${feature.id}`)).json()).status, "funded");
    const ledger = await (await worker.fetch("/api/ledger")).json();
    assert.deepEqual(ledger.items.map((e) => [e.kind, e.amount_cents, e.ref]), [["charge", 10000, `pledge:${placed.id}`]]);
    const exported = await (await worker.fetch("/api/me/export", { headers: { cookie: admin.cookie } })).json();
    assert.equal(exported.records.pledges.length, 1);
    assert.equal(exported.records.payment_methods.length, 1);
  });
});
