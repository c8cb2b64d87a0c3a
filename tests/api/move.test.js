// Moving an instance between hosts (README « Moving between hosts »), through the tools an
// operator runs: from Cloudflare to one machine (scripts/d1-export.sh, which is `wrangler d1
// export`, then `communs load`) and back (`communs dump`, then `wrangler d1 execute --file` on a
// D1 holding the schema). Nothing is lost: every table has as many rows at each step, the
// ledger's head is the same, and each host then finds what was written on the other.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { serverBin, sqliteFile, startServer } from "../support/communs.js";
import { freshDatabase } from "../support/d1.js";
import { compatibilityDate, databaseId, node, root, wranglerBin } from "../support/project.js";
import { host, startWorker, write } from "../support/worker.js";

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
const run = (command, args) => execFileSync(command, args, { cwd: root, env, encoding: "utf8", stdio: "pipe" });

/**
 * `wrangler d1 export --local` reads the project's own local state (it has no --persist-to):
 * a folder whose configuration names the same D1 and whose state is the test's database.
 */
function projectOver(database, folder) {
  const project = join(folder, "project");
  mkdirSync(join(project, ".wrangler"), { recursive: true });
  symlinkSync(database.dir, join(project, ".wrangler", "state"));
  writeFileSync(
    join(project, "wrangler.toml"),
    `name = "communs"\ncompatibility_date = "${compatibilityDate}"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "communs"\ndatabase_id = "${databaseId}"\n`,
  );
  return project;
}

/** Rows per table of a database file (the full-text indexes' own tables aside: they are rebuilt). */
function counts(file) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name`,
      )
      .all()
      .map((r) => r.name);
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) AS n FROM "${t}"`).get().n]));
  } finally {
    db.close();
  }
}

const GARDEN = {
  kind: "organization",
  name: "Jardin d'Héva",
  type: "NGO",
  short_description: "Un potager partagé",
  description: "Des semis le mercredi\net l'entraide « au jardin » le samedi.",
  tags: ["Jardin", "Potager"],
  address: { street: "3 chemin des Goyaviers", postal_code: "97460", commune_code: "97415" },
};

describe("moving between hosts", { skip: host === "server" && "the test starts both hosts itself: it runs once, with the Workers suite" }, () => {
  const folder = mkdtempSync(join(tmpdir(), "communs-move-"));
  let cloud;
  let back;
  after(() => {
    cloud?.remove();
    back?.remove();
    rmSync(folder, { recursive: true, force: true });
  });

  const state = {};

  test("an instance on Workers, with an element and a gift in its ledger", async () => {
    cloud = freshDatabase({ zones: ["974"], townHalls: true });
    // The test checkout pays as the provider's webhook would: it needs the webhook's secret.
    const worker = await startWorker({ database: cloud, vars: { STRIPE_WEBHOOK_SECRET: "whsec_move" } });
    try {
      const alice = await signIn(worker, "alice@exemple.fr");
      const created = await worker.fetch("/api/elements", write("POST", GARDEN, { cookie: alice.cookie }));
      assert.equal(created.status, 201, await created.clone().text());
      state.element = await created.json();
      const gift = await worker.fetch("/api/donations", write("POST", { amount_cents: 700, recurring: "none" }, { cookie: alice.cookie }));
      assert.equal(gift.status, 201, await gift.clone().text());
      const paid = await worker.fetch(`/api/dev/checkout/${(await gift.json()).id}/pay`, write("POST", undefined, { cookie: alice.cookie }));
      assert.equal(paid.status, 200);
      state.ledger = await (await worker.fetch("/api/ledger/verify")).json();
      assert.equal(state.ledger.ok, true);
      assert.equal(state.ledger.count, 1);
    } finally {
      await worker.stop();
    }
    state.counts = counts(sqliteFile(cloud.dir));
    assert.ok(state.counts.element > 10, "the town halls and the garden");
  });

  test("leaves Cloudflare: D1's export, loaded by the binary, is the same instance", async () => {
    const exported = join(folder, "export.sql");
    run("scripts/d1-export.sh", [exported, "--local", "--cwd", projectOver(cloud, folder)]);
    const moved = join(folder, "communs.db");
    const said = run(serverBin, ["load", exported, "--db", moved]);
    assert.match(said, new RegExp(`ledger of 1 entries whole \\(head ${state.ledger.head.slice(0, 16)}\\)`));
    assert.deepEqual(counts(moved), state.counts);

    const server = await startServer({ file: moved });
    try {
      assert.deepEqual(await (await server.fetch("/api/ledger/verify")).json(), state.ledger);
      const found = await (await server.fetch("/api/search?q=entraide&scope=commune:97415")).json();
      assert.deepEqual(found.items.map((e) => e.id), [state.element.id], "the full-text index rebuilt");
      const page = await server.fetch(state.element.page);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Jardin d(&#x27;|&#39;|')Héva/);
      const alice = await signIn(server, "alice@exemple.fr");
      const mine = await (await server.fetch("/api/donations", { headers: { cookie: alice.cookie } })).json();
      assert.equal(mine.items.length, 1, "her account and her gift came along");
    } finally {
      await server.stop();
    }
    state.moved = moved;
  });

  test("goes back: the binary's dump, run by wrangler on a new D1, is the same instance", async () => {
    const before = counts(state.moved);
    const dumped = join(folder, "dump.sql");
    run(serverBin, ["dump", dumped, "--db", state.moved]);
    back = freshDatabase();
    run(node, [wranglerBin, "d1", "execute", "DB", "--local", "--persist-to", back.dir, "--file", dumped]);
    assert.deepEqual(counts(sqliteFile(back.dir)), before);

    const worker = await startWorker({ database: back });
    try {
      assert.deepEqual(await (await worker.fetch("/api/ledger/verify")).json(), state.ledger);
      const found = await (await worker.fetch("/api/search?q=potager")).json();
      assert.deepEqual(found.items.map((e) => e.id), [state.element.id]);
      const read = await (await worker.fetch(`/api/elements/${state.element.id}`)).json();
      assert.equal(read.description, GARDEN.description, "line breaks and quotes as written");
      const town = await (await worker.fetch("/api/search?q=mairie&scope=commune:97415")).json();
      assert.ok(town.items.length >= 1, "the town hall found again");
    } finally {
      await worker.stop();
    }
  });
});
