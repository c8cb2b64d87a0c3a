// scripts/migrate.sh on a real local D1: a new database gets schema.sql, an existing one gets only
// the migrations above its version, and keeps its data.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { node, root, schemaVersion, wranglerBin } from "../support/project.js";

const dir = mkdtempSync(join(tmpdir(), "communs-migrate-"));
const migrations = mkdtempSync(join(tmpdir(), "communs-migrations-"));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(migrations, { recursive: true, force: true });
});

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", MIGRATIONS_DIR: migrations };
const migrate = () => execFileSync("scripts/migrate.sh", ["--local", "--persist-to", dir], { cwd: root, env, encoding: "utf8" });
const query = (sql) =>
  JSON.parse(
    execFileSync(node, [wranglerBin, "d1", "execute", "DB", "--local", "--persist-to", dir, "--json", "--command", sql], {
      cwd: root,
      env,
      encoding: "utf8",
    }),
  )[0].results;

test("a new database gets schema.sql and its version", () => {
  const out = migrate();
  assert.match(out, /new database: applying schema.sql/);
  assert.deepEqual(query("SELECT version FROM schema_meta"), [{ version: schemaVersion }]);
});

test("an existing database gets the pending migration only, and keeps its data", () => {
  const next = schemaVersion + 1;
  query("CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('déjà là')");
  writeFileSync(
    join(migrations, `${String(next).padStart(4, "0")}_add_greeting.sql`),
    `CREATE TABLE greeting (text TEXT NOT NULL);\nUPDATE schema_meta SET version = ${next} WHERE id = 1;\n`,
  );
  assert.match(migrate(), new RegExp(`schema version ${next} \\(1 migration\\(s\\) applied\\)`));
  assert.deepEqual(query("SELECT version FROM schema_meta"), [{ version: next }]);
  assert.deepEqual(query("SELECT note FROM kept"), [{ note: "déjà là" }]);
  assert.deepEqual(query("SELECT count(*) AS n FROM greeting"), [{ n: 0 }]);

  assert.match(migrate(), /\(0 migration\(s\) applied\)/, "a second run applies nothing");
});
