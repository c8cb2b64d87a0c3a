// A stand-in for Stripe's API behind Miniflare's outbound interception: it reads the worker's
// real requests (form-encoded, bearer key, Idempotency-Key) and answers with Stripe's shapes,
// replaying the first answer to a repeated idempotency key as Stripe does.
import { createHmac } from "node:crypto";

export const STRIPE_KEY = "sk_test_only";
export const WEBHOOK_SECRET = "whsec_test_only";

/** Stripe's `Stripe-Signature` header for a body at time `t` (Unix seconds). */
export function sign(body, t = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET) {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** A signed event as the webhook receives it. */
export function event(type, object) {
  const body = JSON.stringify({ id: `evt_${Math.random().toString(36).slice(2)}`, object: "event", type, data: { object } });
  return { body, signature: sign(body) };
}

export function fakeStripe() {
  const calls = [];
  const replies = new Map();
  let next = 0;
  /** Customers whose next charges are declined (a count each). */
  const declines = new Map();
  let down = false;
  const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  function answer(method, path, form) {
    if (down) return json(500, { error: { type: "api_error", message: "down" } });
    const id = (prefix) => `${prefix}_${++next}`;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const session = id("cs_test");
      return json(200, { id: session, object: "checkout.session", mode: form.mode, url: `https://checkout.stripe.com/c/pay/${session}` });
    }
    if (method === "POST" && path === "/v1/customers") return json(200, { id: id("cus"), object: "customer" });
    const setup = path.match(/^\/v1\/setup_intents\/(.+)$/);
    if (method === "GET" && setup) {
      return json(200, { id: setup[1], object: "setup_intent", status: "succeeded", payment_method: `pm_${setup[1]}` });
    }
    if (method === "POST" && path === "/v1/payment_intents") {
      const left = declines.get(form.customer) ?? 0;
      if (left > 0) {
        declines.set(form.customer, left - 1);
        return json(402, { error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds",
          payment_intent: { id: id("pi"), status: "requires_payment_method" } } });
      }
      return json(200, { id: id("pi"), object: "payment_intent", status: "succeeded", amount: Number(form.amount), currency: form.currency });
    }
    if (method === "POST" && path === "/v1/refunds") {
      return json(200, { id: id("re"), object: "refund", status: "succeeded", payment_intent: form.payment_intent });
    }
    const subscription = path.match(/^\/v1\/subscriptions\/(.+)$/);
    if (method === "DELETE" && subscription) return json(200, { id: subscription[1], object: "subscription", status: "canceled" });
    return json(404, { error: { type: "invalid_request_error", message: `no route ${method} ${path}` } });
  }

  return {
    calls,
    declineNext(customer, times = 1) {
      declines.set(customer, times);
    },
    setDown(value) {
      down = value;
    },
    /** The calls to one method and path. */
    to(method, path) {
      return calls.filter((c) => c.method === method && c.path === path);
    },
    async outbound(request) {
      const url = new URL(request.url);
      if (url.hostname !== "api.stripe.com") return new Response("unexpected host", { status: 599 });
      const text = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
      const form = Object.fromEntries(new URLSearchParams(text));
      const key = request.headers.get("idempotency-key");
      const call = { method: request.method, path: url.pathname, form, key, auth: request.headers.get("authorization") };
      calls.push(call);
      if (key && replies.has(key)) return replies.get(key).clone();
      const reply = answer(request.method, url.pathname, form);
      call.status = reply.status;
      if (key) replies.set(key, reply.clone());
      return reply;
    },
  };
}
