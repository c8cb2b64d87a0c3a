// The limits kept per client (20 sign-in mails, 30 verifications per 15 minutes) count under the
// client's address from the one source the deployment trusts (CLIENT_ADDRESS): Cloudflare's
// CF-Connecting-IP, the address the reverse proxy appended to X-Forwarded-For, or none (one
// shared bucket). A header a client writes itself never buys it a fresh bucket.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startWorker, write } from "../support/worker.js";

/** Asks for `count` sign-in mails, each for a new address, with the headers `headers(i)` gives. */
async function ask(worker, count, headers, prefix) {
  const statuses = [];
  for (let i = 0; i < count; i++) {
    const answer = await worker.fetch("/api/auth/email", write("POST", { email: `${prefix}${i}@exemple.fr` }, { headers: headers(i) }));
    statuses.push(answer.status);
  }
  return statuses;
}
const allowed = (n) => Array(n).fill(202);

test("behind a reverse proxy, only the address it appended counts", async () => {
  const worker = await startWorker({ vars: { CLIENT_ADDRESS: "x-forwarded-for" } });
  try {
    // The client forges a new first address each time; the proxy appends the real one.
    const forged = await ask(worker, 21, (i) => ({ "x-forwarded-for": `10.0.0.${i}, 198.51.100.2`, "cf-connecting-ip": `10.1.0.${i}` }), "a");
    assert.deepEqual(forged, [...allowed(20), 429]);
    const other = await ask(worker, 1, () => ({ "x-forwarded-for": "198.51.100.3" }), "b");
    assert.deepEqual(other, [202], "another client has its own bucket");
  } finally {
    await worker.stop();
  }
});

test("behind Cloudflare, CF-Connecting-IP counts", async () => {
  const worker = await startWorker({ vars: { CLIENT_ADDRESS: "cf-connecting-ip" } });
  try {
    assert.deepEqual(await ask(worker, 21, () => ({ "cf-connecting-ip": "203.0.113.7" }), "c"), [...allowed(20), 429]);
    assert.deepEqual(await ask(worker, 1, () => ({ "cf-connecting-ip": "203.0.113.8" }), "d"), [202]);
  } finally {
    await worker.stop();
  }
});

test("with no trusted source, every client shares one bucket, whatever headers it sends", async () => {
  const worker = await startWorker({ vars: { CLIENT_ADDRESS: "none" } });
  try {
    const forged = await ask(worker, 21, (i) => ({ "cf-connecting-ip": `10.2.0.${i}`, "x-forwarded-for": `10.3.0.${i}` }), "e");
    assert.deepEqual(forged, [...allowed(20), 429]);
  } finally {
    await worker.stop();
  }
});
