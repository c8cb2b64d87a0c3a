// Accounts end to end: sign-in by link and code, sessions, limits, CSRF, profile, export, erasure.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { everyValue, latestMail, signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

describe("sign-in", () => {
  let worker;
  before(async () => (worker = await startWorker()));
  after(() => worker?.stop());

  test("a link signs in once, sets a hardened cookie, and /api/me knows the person", async () => {
    const email = "camille@exemple.fr";
    const asked = await worker.fetch("/api/auth/email", write("POST", { email: " Camille@Exemple.FR " }));
    assert.equal(asked.status, 202);
    const mail = await latestMail(worker, email);
    assert.ok(mail, "the mail is in the dev outbox");
    assert.ok(mail.token.length >= 22, "at least 128 bits");
    assert.ok(mail.body.includes(`/connexion/#jeton=${mail.token}`));
    assert.ok(mail.body.includes(mail.code));

    const verified = await worker.fetch("/api/auth/verify", write("POST", { token: mail.token }));
    assert.equal(verified.status, 200);
    const { user } = await verified.json();
    assert.equal(user.email, email);
    const cookie = verified.headers.get("set-cookie");
    assert.match(cookie, /^session=[A-Za-z0-9_-]{43};/);
    for (const flag of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) assert.ok(cookie.includes(flag), flag);
    const [session, hint] = verified.headers.getSetCookie();
    assert.ok(session.startsWith("session="));
    assert.match(hint, /^signed_in=1; /, "a script-readable hint that grants nothing");
    assert.ok(!hint.includes("HttpOnly") && !hint.includes(session.split(";")[0].split("=")[1]));

    const me = await worker.fetch("/api/me", { headers: { cookie: cookie.split(";")[0] } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).email, email);

    const again = await worker.fetch("/api/auth/verify", write("POST", { token: mail.token }));
    assert.equal(again.status, 401);
    assert.equal((await again.json()).error.code, "invalid_sign_in_token");
  });

  test("a sign-in link leads to the configured site, whatever Host the request names", async () => {
    const asked = await worker.fetch("http://evil.example/api/auth/email", write("POST", { email: "dana@exemple.fr" }, { origin: "http://evil.example" }));
    assert.equal(asked.status, 202);
    const mail = await latestMail(worker, "dana@exemple.fr");
    assert.ok(mail.body.includes(`http://127.0.0.1:8787/connexion/#jeton=${mail.token}`), mail.body);
    assert.ok(!mail.body.includes("evil.example"));
  });

  test("tokens and sessions are stored only as hashes", async () => {
    const email = "hash@exemple.fr";
    const { cookie } = await signIn(worker, email);
    const token = (await latestMail(worker, email)).token;
    const session = cookie.split("=")[1];
    const signIns = (await worker.db.prepare("SELECT token_hash FROM sign_in").all()).results.map((r) => r.token_hash);
    assert.ok(signIns.includes(sha256(token)));
    const sessions = (await worker.db.prepare("SELECT token_hash FROM session").all()).results.map((r) => r.token_hash);
    assert.ok(sessions.includes(sha256(session)));
    const tables = ["sign_in", "session"];
    for (const table of tables) {
      const dump = JSON.stringify((await worker.db.prepare(`SELECT * FROM ${table}`).all()).results);
      assert.ok(!dump.includes(token) && !dump.includes(session), `${table} holds a raw secret`);
    }
  });

  test("a typed code works once; five wrong codes burn it", async () => {
    const email = "code@exemple.fr";
    await worker.fetch("/api/auth/email", write("POST", { email }));
    const { code } = await latestMail(worker, email);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const ok = await worker.fetch("/api/auth/verify", write("POST", { email, code: typed }));
    assert.equal(ok.status, 200);
    const reuse = await worker.fetch("/api/auth/verify", write("POST", { email, code }));
    assert.equal(reuse.status, 401);

    const other = "code2@exemple.fr";
    await worker.fetch("/api/auth/email", write("POST", { email: other }));
    const right = (await latestMail(worker, other)).code;
    for (let i = 0; i < 5; i++) {
      const wrong = await worker.fetch("/api/auth/verify", write("POST", { email: other, code: "00000000" }));
      assert.equal(wrong.status, 401);
    }
    const late = await worker.fetch("/api/auth/verify", write("POST", { email: other, code: right }));
    assert.equal(late.status, 401, "the right code no longer works");
  });

  test("an expired link fails", async () => {
    const token = "expired-token-for-the-test-0123456789abcdef";
    const past = Math.floor(Date.now() / 1000) - 3600;
    await worker.db
      .prepare("INSERT INTO sign_in (token_hash, code_hash, email, created_at, expires_at) VALUES (?, 'x', 'old@exemple.fr', ?, ?)")
      .bind(sha256(token), past - 900, past)
      .run();
    const response = await worker.fetch("/api/auth/verify", write("POST", { token }));
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, "invalid_sign_in_token");
  });

  test("the daily clean-up drops expired sign-ins, sessions and old limit windows, and nothing live", async () => {
    const old = Math.floor(Date.now() / 1000) - 3 * 24 * 3600;
    await worker.db.batch([
      worker.db.prepare("INSERT INTO sign_in (token_hash, code_hash, email, created_at, expires_at) VALUES ('stale', 'x', 'stale@exemple.fr', ?1, ?1)").bind(old),
      worker.db.prepare("INSERT INTO rate_limit (key, window_start, count) VALUES ('stale', ?1, 3)").bind(old),
    ]);
    const { cookie } = await signIn(worker, "vivant@exemple.fr");
    await worker.db
      .prepare("INSERT INTO session SELECT 'stale', id, ?1, ?1, ?1, ?1 + 100 FROM person WHERE email = 'vivant@exemple.fr'")
      .bind(old)
      .run();
    await worker.scheduled();
    const left = async (sql) => (await worker.db.prepare(sql).first()).n;
    assert.equal(await left("SELECT count(*) AS n FROM sign_in WHERE token_hash = 'stale'"), 0);
    assert.equal(await left("SELECT count(*) AS n FROM rate_limit WHERE key = 'stale'"), 0);
    assert.equal(await left("SELECT count(*) AS n FROM session WHERE token_hash = 'stale'"), 0);
    assert.ok((await left("SELECT count(*) AS n FROM rate_limit")) > 0, "current windows stay");
    assert.equal((await worker.fetch("/api/me", { headers: { cookie } })).status, 200, "live sessions stay");
  });

  test("asking too often for one address gets 429 with Retry-After", async () => {
    const email = "pressee@exemple.fr";
    const statuses = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await worker.fetch("/api/auth/email", write("POST", { email }));
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429]);
    const retry = Number(last.headers.get("retry-after"));
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    assert.equal((await last.json()).error.code, "too_many_requests");
  });

  test("bad input gets a clear 4xx", async () => {
    const cases = [
      [{ method: "POST", headers: { "content-type": "text/plain" }, body: "x" }, 415, "unsupported_media_type"],
      [write("POST", "{not json"), 400, "invalid_json"],
      [write("POST", {}), 400, "invalid_field", "email"],
      [write("POST", { email: "pas-une-adresse" }), 400, "invalid_email", "email"],
      [write("POST", { email: "a@b.fr", extra: 1 }), 400, "invalid_field", "extra"],
      [write("POST", JSON.stringify({ email: "a".repeat(70_000) })), 413, "payload_too_large"],
    ];
    for (const [init, status, code, field] of cases) {
      const response = await worker.fetch("/api/auth/email", init);
      assert.equal(response.status, status, code);
      const body = await response.json();
      assert.equal(body.error.code, code);
      if (field) assert.equal(body.error.field, field);
    }
  });
});

describe("CSRF", () => {
  let worker;
  let cookie;
  before(async () => {
    worker = await startWorker();
    ({ cookie } = await signIn(worker, "csrf@exemple.fr"));
  });
  after(() => worker?.stop());

  test("a foreign Origin is refused with 403 on every write", async () => {
    const foreign = { origin: "https://evil.example" };
    const attempts = [
      ["/api/auth/email", write("POST", { email: "x@exemple.fr" }, foreign)],
      ["/api/me", write("PATCH", { display_name: "Pirate" }, { ...foreign, cookie })],
      ["/api/me", write("DELETE", undefined, { ...foreign, cookie })],
      ["/api/auth/logout", write("POST", undefined, { ...foreign, cookie })],
    ];
    for (const [path, init] of attempts) {
      const response = await worker.fetch(path, init);
      assert.equal(response.status, 403, `${init.method} ${path}`);
      assert.equal((await response.json()).error.code, "foreign_origin");
    }
    const me = await (await worker.fetch("/api/me", { headers: { cookie } })).json();
    assert.equal(me.display_name, null, "the forged change did not happen");
  });

  test("a cookie write without Origin or Referer is refused; with a same-site Referer it passes", async () => {
    const bare = await worker.fetch("/api/me", write("PATCH", { display_name: "X" }, { cookie, origin: null }));
    assert.equal(bare.status, 403);
    const referred = await worker.fetch(
      "/api/me",
      write("PATCH", { display_name: "Camille" }, { cookie, origin: null, headers: { referer: "http://127.0.0.1:8787/profil/" } }),
    );
    assert.equal(referred.status, 200);
  });
});

describe("profile, export and erasure", () => {
  let worker;
  before(async () => (worker = await startWorker({ zones: ["974"] })));
  after(() => worker?.stop());

  test("a person sets a name, a home commune and public fields; bad values are refused by field", async () => {
    const { cookie } = await signIn(worker, "profil@exemple.fr");
    const saved = await worker.fetch(
      "/api/me",
      write("PATCH", { display_name: "Camille Martin", home_scope: "commune:97415", public_fields: ["display_name"] }, { cookie }),
    );
    assert.equal(saved.status, 200);
    const me = await (await worker.fetch("/api/me", { headers: { cookie } })).json();
    assert.deepEqual(
      { name: me.display_name, scope: me.home_scope, fields: me.public_fields },
      { name: "Camille Martin", scope: "commune:97415", fields: ["display_name"] },
    );
    for (const [body, field] of [[{ home_scope: "region:04" }, "home_scope"], [{ home_scope: "commune:97499" }, "home_scope"], [{ display_name: "" }, "display_name"], [{ public_fields: ["email"] }, "public_fields"]]) {
      const refused = await worker.fetch("/api/me", write("PATCH", body, { cookie }));
      assert.equal(refused.status, 400);
      assert.equal((await refused.json()).error.field, field);
    }
  });

  test("signed-out requests to the account get 401", async () => {
    for (const [path, init] of [["/api/me"], ["/api/me/export"], ["/api/me", write("PATCH", { display_name: "X" })], ["/api/me", write("DELETE")]]) {
      const response = await worker.fetch(path, init);
      assert.equal(response.status, 401, `${init?.method ?? "GET"} ${path}`);
      assert.equal((await response.json()).error.code, "not_signed_in");
    }
  });

  test("export holds the person's data and nobody else's", async () => {
    const alice = await signIn(worker, "alice@exemple.fr");
    const bob = await signIn(worker, "bob@exemple.fr");
    await worker.fetch("/api/me", write("PATCH", { display_name: "Bob Secret" }, { cookie: bob.cookie }));
    await worker.fetch("/api/me", write("PATCH", { display_name: "Alice A." }, { cookie: alice.cookie }));
    const response = await worker.fetch("/api/me/export", { headers: { cookie: alice.cookie } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-disposition"), /attachment/);
    const data = await response.json();
    assert.equal(data.person.email, "alice@exemple.fr");
    assert.equal(data.person.display_name, "Alice A.");
    assert.equal(data.records.sessions.length, 1);
    assert.equal(data.records.sign_ins.length, 1);
    assert.equal(data.records.mails.length, 1);
    assert.match(data.records.sessions[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "times in RFC 3339");
    const text = JSON.stringify(data);
    assert.ok(!text.includes("bob@exemple.fr") && !text.includes("Bob Secret"), "nothing of Bob");
    assert.ok(!text.includes(alice.cookie.split("=")[1]), "no session secret");
  });

  test("after erasure no personal field remains in D1, and the session is dead", async () => {
    const email = "efface@exemple.fr";
    const { cookie } = await signIn(worker, email);
    await worker.fetch("/api/me", write("PATCH", { display_name: "Nom Unique Effacé", home_scope: "postal:97434" }, { cookie }));
    const erased = await worker.fetch("/api/me", write("DELETE", undefined, { cookie }));
    assert.equal(erased.status, 204);
    assert.match(erased.headers.get("set-cookie"), /^session=; .*Max-Age=0/);
    const values = await everyValue(worker.db);
    assert.ok(values.length > 0, "other people's data remain");
    for (const personal of [email, "Nom Unique Effacé", sha256(`${email}`)]) {
      assert.ok(!values.some((v) => v.includes(personal)), `${personal} remains`);
    }
    assert.ok(values.some((v) => v.includes("alice@exemple.fr")), "others are untouched");
    assert.equal((await worker.fetch("/api/me", { headers: { cookie } })).status, 401);
  });

  test("logout ends the session and clears the cookie", async () => {
    const { cookie } = await signIn(worker, "sortie@exemple.fr");
    const out = await worker.fetch("/api/auth/logout", write("POST", undefined, { cookie }));
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie"), /Max-Age=0/);
    assert.equal((await worker.fetch("/api/me", { headers: { cookie } })).status, 401);
  });

  test("instance admins are recognised from ADMIN_EMAILS", async () => {
    const admin = await signIn(worker, "admin@communs.test");
    assert.equal(admin.user.is_instance_admin, true);
    const person = await signIn(worker, "personne@exemple.fr");
    assert.equal(person.user.is_instance_admin, false);
  });
});

describe("outside development", () => {
  let worker;
  const sent = [];
  before(async () => {
    worker = await startWorker({
      vars: { ENVIRONMENT: "production", MAIL_API_URL: "https://mail.test/emails", MAIL_API_KEY: "re_test_key", MAIL_FROM: "Communs <bonjour@communs.test>" },
      outbound: async (request) => {
        sent.push({ url: request.url, auth: request.headers.get("authorization"), body: await request.json() });
        return new Response(JSON.stringify({ id: "msg_1" }), { headers: { "content-type": "application/json" } });
      },
    });
  });
  after(() => worker?.stop());

  test("the dev outbox is 404", async () => {
    const response = await worker.fetch("/api/dev/outbox");
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, "not_found");
  });

  test("sign-in mail goes through the HTTP mail API, and the outbox stays empty", async () => {
    const asked = await worker.fetch("/api/auth/email", write("POST", { email: "prod@exemple.fr" }));
    assert.equal(asked.status, 202);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].url, "https://mail.test/emails");
    assert.equal(sent[0].auth, "Bearer re_test_key");
    assert.deepEqual(sent[0].body.to, ["prod@exemple.fr"]);
    assert.equal(sent[0].body.from, "Communs <bonjour@communs.test>");
    assert.match(sent[0].body.text, /\/connexion\/#jeton=[A-Za-z0-9_-]{43}/);
    const outbox = await worker.db.prepare("SELECT count(*) AS n FROM outbox").first();
    assert.equal(outbox.n, 0);
    const text = JSON.stringify(await asked.json());
    assert.ok(!text.includes("jeton"), "the token is never in the response");
  });
});
