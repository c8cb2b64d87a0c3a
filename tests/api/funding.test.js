// Funding end to end: donations through the development checkout and Stripe's signed webhook,
// the public counters, and the hash-chained ledger with its verification and export.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

const SECRET = "whsec_test_only";

/** Stripe's `Stripe-Signature` header for a body at time `t` (Unix seconds). */
function sign(body, t = Math.floor(Date.now() / 1000), secret = SECRET) {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** The requests both suites make, on `state.worker` as `state.alice` (set by their `before`). */
function requests(state) {
  const donate = (body, who = state.alice) => state.worker.fetch("/api/donations", write("POST", body, { cookie: who.cookie }));
  const summary = async () => (await state.worker.fetch("/api/funding/summary")).json();
  const webhook = (body, signature = sign(body)) =>
    state.worker.fetch("/api/payments/webhook", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
  /** A paid checkout's event for `donation` (2,000 cents unless `extra` says otherwise). */
  const completed = (donation, extra = {}) =>
    JSON.stringify({
      id: `evt_${Math.random().toString(36).slice(2)}`, object: "event", type: "checkout.session.completed",
      data: { object: { id: `cs_${donation}`, object: "checkout.session", mode: "payment", client_reference_id: donation,
        amount_total: 2000, currency: "eur", payment_intent: `pi_${donation}`, payment_status: "paid", ...extra } },
    });
  return { donate, summary, webhook, completed };
}

describe("funding", () => {
  let worker;
  let alice;
  before(async () => {
    worker = await startWorker({ vars: { STRIPE_WEBHOOK_SECRET: SECRET } });
    alice = await signIn(worker, "alice@exemple.fr");
  });
  after(() => worker?.stop());

  const { donate, summary, webhook, completed } = requests({ get worker() { return worker; }, get alice() { return alice; } });

  test("a monthly gift through the test checkout moves the counters and enters the ledger", async () => {
    const before = await summary();
    assert.deepEqual(before, { donors: 0, monthly_cents: 0, total_cents: 0, currency: "EUR" });
    const created = await donate({ amount_cents: 500, recurring: "monthly" });
    assert.equal(created.status, 201);
    const donation = await created.json();
    assert.equal(donation.status, "pending");
    assert.equal(donation.checkout_url, `/don/paiement-test/?don=${donation.id}`);
    assert.deepEqual(await summary(), before, "nothing counts before payment");

    const paid = await worker.fetch(`/api/dev/checkout/${donation.id}/pay`, write("POST", undefined, { cookie: alice.cookie }));
    assert.equal(paid.status, 200);
    assert.equal((await paid.json()).status, "active");
    assert.deepEqual(await summary(), { donors: 1, monthly_cents: 500, total_cents: 500, currency: "EUR" });
    const again = await worker.fetch(`/api/dev/checkout/${donation.id}/pay`, write("POST", undefined, { cookie: alice.cookie }));
    assert.equal(again.status, 409, "a donation is paid once");

    const ledger = await (await worker.fetch("/api/ledger")).json();
    assert.equal(ledger.items.length, 1, "one gift: the checkout's event and the first invoice are one payment");
    assert.deepEqual(
      { kind: ledger.items[0].kind, amount_cents: ledger.items[0].amount_cents, ref: ledger.items[0].ref },
      { kind: "gift", amount_cents: 500, ref: `donation:${donation.id}` },
    );
    assert.doesNotMatch(JSON.stringify(ledger), /alice/, "the ledger names no one");

    const mine = await (await worker.fetch("/api/donations", { headers: { cookie: alice.cookie } })).json();
    assert.deepEqual(mine.items.map((d) => d.status), ["active"]);
    const stop = await worker.fetch(`/api/donations/${donation.id}`, write("DELETE", undefined, { cookie: alice.cookie }));
    assert.equal(stop.status, 204);
    const after = await summary();
    assert.deepEqual({ monthly: after.monthly_cents, total: after.total_cents }, { monthly: 0, total: 500 });
  });

  test("a donation's amount is checked, and giving needs a session", async () => {
    assert.equal((await worker.fetch("/api/donations", write("POST", { amount_cents: 500 }))).status, 401);
    const small = await donate({ amount_cents: 50 });
    assert.equal(small.status, 400);
    assert.equal((await small.json()).error.field, "amount_cents");
    assert.equal((await donate({ amount_cents: 500, recurring: "weekly" })).status, 400);
  });

  test("a forged signature and a stale timestamp are refused; a replayed event is received and moves nothing", async () => {
    const donation = await (await donate({ amount_cents: 2000 })).json();
    const body = completed(donation.id);
    const forged = await webhook(body, sign(body, undefined, "whsec_wrong"));
    assert.equal(forged.status, 400);
    assert.equal((await forged.json()).error.field, "Stripe-Signature");
    const stale = await webhook(body, sign(body, Math.floor(Date.now() / 1000) - 301));
    assert.equal(stale.status, 400);
    assert.equal((await webhook(body.replace("2000", "2001"), sign(body))).status, 400, "a changed body breaks the signature");
    const total = (await summary()).total_cents;

    assert.equal((await webhook(body)).status, 200);
    assert.equal((await summary()).total_cents, total + 2000);
    // Delivered again, as Stripe does after any non-2xx answer: received, and nothing moves.
    const replayed = await webhook(body);
    assert.equal(replayed.status, 200);
    assert.deepEqual(await replayed.json(), { received: true, duplicate: true });
    assert.equal((await summary()).total_cents, total + 2000, "a replay moves nothing");
    // The same payment in another event is not entered twice either.
    assert.equal((await webhook(completed(donation.id))).status, 200);
    assert.equal((await summary()).total_cents, total + 2000);
  });

  test("the same event delivered ten times at once: ten 2xx, the money entered once", async () => {
    const donation = await (await donate({ amount_cents: 1700 })).json();
    const body = completed(donation.id, { amount_total: 1700 });
    const total = (await summary()).total_cents;
    const answers = await Promise.all(Array.from({ length: 10 }, () => webhook(body)));
    assert.deepEqual(answers.map((a) => a.status), Array(10).fill(200));
    assert.equal((await summary()).total_cents, total + 1700, "entered once");
    const verified = await (await worker.fetch("/api/ledger/verify")).json();
    assert.equal(verified.ok, true);
  });

  test("a delayed payment (SEPA debit) is entered when the money comes, never before, never if it fails", async () => {
    const total = (await summary()).total_cents;
    const entries = async () => (await (await worker.fetch("/api/ledger")).json()).items.length;
    const count = await entries();
    const sepa = await (await donate({ amount_cents: 1500 })).json();
    const session = { amount_total: 1500, payment_status: "unpaid" };
    assert.equal((await webhook(completed(sepa.id, session))).status, 200);
    assert.equal((await summary()).total_cents, total, "checkout completed, money not yet received");
    assert.equal(await entries(), count);
    const event = (type, extra) => JSON.parse(completed(sepa.id, extra));
    const succeeded = { ...event("", { amount_total: 1500, payment_status: "paid" }), type: "checkout.session.async_payment_succeeded" };
    assert.equal((await webhook(JSON.stringify(succeeded))).status, 200);
    assert.equal((await summary()).total_cents, total + 1500, "entered when paid");
    assert.equal(await entries(), count + 1);

    const failing = await (await donate({ amount_cents: 900 })).json();
    assert.equal((await webhook(completed(failing.id, { amount_total: 900, payment_status: "unpaid" }))).status, 200);
    const failed = { ...JSON.parse(completed(failing.id, { amount_total: 900, payment_status: "unpaid" })), type: "checkout.session.async_payment_failed" };
    assert.equal((await webhook(JSON.stringify(failed))).status, 200);
    assert.equal((await summary()).total_cents, total + 1500, "a failed payment enters nothing");
    const row = await worker.db.prepare("SELECT status FROM donation WHERE id = ?").bind(failing.id).first();
    assert.equal(row.status, "canceled");
  });

  test("a refund made at the provider enters the ledger once, and a gift paid back stops counting", async () => {
    const event = (type, object) => JSON.stringify({ id: `evt_${Math.random().toString(36).slice(2)}`, object: "event", type, data: { object } });
    const refund = (id, amount, extra = {}) => ({ id, object: "refund", amount, currency: "eur", status: "succeeded", ...extra });
    // Someone whose only gift this is, so that the donors' count shows it.
    const bob = await signIn(worker, "bob@exemple.fr");
    const gift = await (await donate({ amount_cents: 2000 }, bob)).json();
    assert.equal((await webhook(completed(gift.id))).status, 200);
    const before = await summary();
    const entries = async () => (await (await worker.fetch("/api/ledger")).json()).items;
    const count = (await entries()).length;

    // Paid back from the provider's dashboard, in two parts: the first leaves the donor counted.
    const charge = (refunds) => event("charge.refunded", {
      id: `ch_${gift.id}`, object: "charge", payment_intent: `pi_${gift.id}`, amount: 2000, currency: "eur",
      refunds: { object: "list", data: refunds },
    });
    assert.equal((await webhook(charge([refund(`re_a_${gift.id}`, 500)]))).status, 200);
    let now = await summary();
    assert.deepEqual({ donors: now.donors, total: now.total_cents }, { donors: before.donors, total: before.total_cents - 500 });
    // The rest: the charge lists both refunds; the first is not entered again.
    assert.equal((await webhook(charge([refund(`re_a_${gift.id}`, 500), refund(`re_b_${gift.id}`, 1500)]))).status, 200);
    now = await summary();
    assert.deepEqual({ donors: now.donors, total: now.total_cents }, { donors: before.donors - 1, total: before.total_cents - 2000 });
    // The same refund in its own event, and a refund of a payment the ledger never saw: nothing moves.
    const again = event("refund.created", refund(`re_b_${gift.id}`, 1500, { payment_intent: `pi_${gift.id}` }));
    assert.equal((await webhook(again)).status, 200);
    const stranger = event("refund.created", refund("re_stranger", 999, { payment_intent: "pi_not_ours" }));
    assert.equal((await webhook(stranger)).status, 200);
    assert.equal((await summary()).total_cents, before.total_cents - 2000);

    const after = await entries();
    assert.equal(after.length, count + 2);
    const refunds = after.filter((e) => e.kind === "refund" && e.ref === `donation:${gift.id}`);
    assert.deepEqual(refunds.map((e) => e.amount_cents).sort((a, b) => a - b), [500, 1500]);
    const verified = await (await worker.fetch("/api/ledger/verify")).json();
    assert.equal(verified.ok, true, JSON.stringify(verified));
  });

  test("a monthly payment paid back at the provider is found through its invoice, whatever Stripe's API version", async () => {
    const event = (type, object) => JSON.stringify({ id: `evt_${Math.random().toString(36).slice(2)}`, object: "event", type, data: { object } });
    const carol = await signIn(worker, "carol@exemple.fr");
    const monthly = await (await donate({ amount_cents: 500, recurring: "monthly" }, carol)).json();
    const started = event("checkout.session.completed", {
      id: `cs_${monthly.id}`, object: "checkout.session", mode: "subscription", client_reference_id: monthly.id,
      amount_total: 500, currency: "eur", subscription: `sub_${monthly.id}`,
    });
    assert.equal((await webhook(started)).status, 200);
    // An invoice as the API of 2025-03-31 and later sends it: it names no payment intent.
    const invoice = (id, extra = {}) => event("invoice.paid", {
      id, object: "invoice", amount_paid: 500, currency: "eur",
      parent: { subscription_details: { subscription: `sub_${monthly.id}`, metadata: { donation_id: monthly.id } } }, ...extra,
    });
    const refunded = (n) => event("charge.refunded", {
      id: `ch_${n}`, object: "charge", payment_intent: `pi_${n}`, amount: 500, currency: "eur",
      refunds: { object: "list", data: [{ id: `re_${n}`, object: "refund", amount: 500, currency: "eur", status: "succeeded" }] },
    });
    assert.equal((await webhook(invoice("in_1"))).status, 200);
    const before = await summary();
    // Refunded before anything tied the payment intent to the invoice: nothing to pay back.
    assert.equal((await webhook(refunded(1))).status, 200);
    assert.equal((await summary()).total_cents, before.total_cents);
    // The invoice payment's event ties them; the provider sends the refund again: it is entered.
    const tied = event("invoice_payment.paid", {
      id: "inpay_1", object: "invoice_payment", invoice: "in_1", status: "paid",
      payment: { type: "payment_intent", payment_intent: "pi_1" },
    });
    assert.equal((await webhook(tied)).status, 200);
    assert.equal((await webhook(refunded(1))).status, 200);
    let now = await summary();
    assert.equal(now.total_cents, before.total_cents - 500);
    assert.equal(now.monthly_cents, before.monthly_cents, "the monthly gift runs on");
    // An invoice from an older API version names its payment intent itself.
    assert.equal((await webhook(invoice("in_2", { payment_intent: "pi_2" }))).status, 200);
    assert.equal((await summary()).total_cents, before.total_cents);
    assert.equal((await webhook(refunded(2))).status, 200);
    now = await summary();
    assert.equal(now.total_cents, before.total_cents - 500);
    const refunds = (await (await worker.fetch("/api/ledger")).json()).items
      .filter((e) => e.kind === "refund" && e.ref === `donation:${monthly.id}`);
    assert.deepEqual(refunds.map((e) => e.amount_cents), [500, 500]);
    assert.equal((await (await worker.fetch("/api/ledger/verify")).json()).ok, true);
  });

  test("the ledger verifies, names a row changed behind its back, and exports as CSV", async () => {
    const donation = await (await donate({ amount_cents: 2000 })).json();
    await webhook(completed(donation.id, { payment_intent: `pi_other_${donation.id}` }));
    const verified = await (await worker.fetch("/api/ledger/verify")).json();
    assert.equal(verified.ok, true);
    assert.ok(verified.count >= 2);
    const page = await (await worker.fetch("/api/ledger?limit=1")).json();
    assert.equal(page.items.length, 1);
    const next = await (await worker.fetch(`/api/ledger?limit=1&cursor=${page.next_cursor}`)).json();
    assert.equal(next.items[0].seq, page.items[0].seq + 1);
    assert.equal(next.items[0].prev_hash, page.items[0].hash);
    assert.equal((await worker.fetch("/api/ledger?cursor=abc")).status, 400);

    const csv = await worker.fetch("/api/ledger.csv");
    assert.match(csv.headers.get("content-type"), /^text\/csv/);
    const lines = (await csv.text()).trim().split("\n");
    assert.equal(lines[0], "seq,at,kind,amount_cents,currency,ref,prev_hash,hash");
    assert.equal(lines.length, verified.count + 1);

    await worker.db.prepare("UPDATE ledger_entry SET amount_cents = 1 WHERE seq = 2").run();
    const broken = await (await worker.fetch("/api/ledger/verify")).json();
    assert.deepEqual({ ok: broken.ok, seq: broken.seq }, { ok: false, seq: 2 });
  });

  test("the test checkout does not exist outside development", async () => {
    const production = await startWorker({ vars: { ENVIRONMENT: "production", STRIPE_WEBHOOK_SECRET: SECRET } });
    try {
      const bob = await signIn(production, "bob@exemple.fr").catch(() => null);
      assert.equal(bob, null, "nor does the dev outbox, so nobody signs in here");
      assert.equal((await production.fetch("/api/dev/checkout/d_x")).status, 404);
      assert.equal((await production.fetch("/api/dev/checkout/d_x/pay", write("POST"))).status, 404);
    } finally {
      production.stop();
    }
  });
});

describe("the ledger under concurrent gifts", () => {
  let worker;
  let alice;
  before(async () => {
    worker = await startWorker({ vars: { STRIPE_WEBHOOK_SECRET: SECRET } });
    alice = await signIn(worker, "alice@exemple.fr");
  });
  after(() => worker?.stop());

  const { donate, summary, webhook, completed } = requests({ get worker() { return worker; }, get alice() { return alice; } });

  test("fifty different gifts paid at once: fifty 2xx, each entered once, the chain whole", async () => {
    const donations = await Promise.all(Array.from({ length: 50 }, async (_, i) => (await donate({ amount_cents: 1000 + i })).json()));
    const total = (await summary()).total_cents;
    const count = (await (await worker.fetch("/api/ledger/verify")).json()).count;
    const answers = await Promise.all(donations.map((d, i) => webhook(completed(d.id, { amount_total: 1000 + i }))));
    assert.deepEqual(answers.map((a) => a.status), Array(50).fill(200), "no gift refused for another's append");
    const sum = donations.reduce((s, _, i) => s + 1000 + i, 0);
    assert.equal((await summary()).total_cents, total + sum);
    const refs = (await worker.db.prepare("SELECT ref FROM ledger_entry WHERE kind = 'gift'").all()).results.map((r) => r.ref);
    for (const d of donations) assert.equal(refs.filter((r) => r === `donation:${d.id}`).length, 1, d.id);
    const verified = await (await worker.fetch("/api/ledger/verify")).json();
    assert.deepEqual([verified.ok, verified.count], [true, count + 50]);
    const unsealed = await worker.db.prepare("SELECT count(*) AS n FROM ledger_entry WHERE hash IS NULL").first();
    assert.equal(unsealed.n, 0, "every entry sealed");
  });

  test("an entry appended but not yet sealed is sealed by the next reader, into the same chain", async () => {
    // As if a request stopped between its commit and its seal.
    await worker.db.prepare("INSERT INTO ledger_entry (at, kind, amount_cents, currency, ref, source) VALUES ('2026-12-05T10:00:00Z', 'gift', 300, 'EUR', 'donation:d_stopped', 'pi_stopped')").run();
    const latest = await (await worker.fetch("/api/ledger/latest?limit=2")).json();
    assert.equal(latest.items[0].ref, "donation:d_stopped");
    assert.equal(latest.items[0].prev_hash, latest.items[1].hash);
    assert.match(latest.items[0].hash, /^[0-9a-f]{64}$/);
    assert.equal((await (await worker.fetch("/api/ledger/verify")).json()).ok, true);
  });

});
