// Signing in through the real flow: ask for a link, read it in the dev outbox, verify it.
import assert from "node:assert/strict";
import { write } from "./worker.js";

export async function latestMail(worker, to) {
  const outbox = await (await worker.fetch("/api/dev/outbox")).json();
  return outbox.items.find((m) => m.to === to);
}

/** Signs `email` in; returns the `session=…` cookie pair and the user. */
export async function signIn(worker, email) {
  const asked = await worker.fetch("/api/auth/email", write("POST", { email }));
  assert.equal(asked.status, 202);
  const mail = await latestMail(worker, email);
  const verified = await worker.fetch("/api/auth/verify", write("POST", { token: mail.token }));
  assert.equal(verified.status, 200);
  const cookie = verified.headers.get("set-cookie").split(";")[0];
  return { cookie, user: (await verified.json()).user };
}

/** Every text value held in any table of the database, for searching personal data. */
export async function everyValue(db) {
  const tables = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all();
  const values = [];
  for (const { name } of tables.results) {
    const rows = await db.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of rows.results) values.push(...Object.values(row).map(String));
  }
  return values;
}
