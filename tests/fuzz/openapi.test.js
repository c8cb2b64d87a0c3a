// The whole OpenAPI document fuzzed against the built development worker by Schemathesis (PyPI,
// pinned in scripts/schemathesis.txt, installed by scripts/setup.sh), with every check on: no
// 5xx, no answer outside the document (status, content type, headers, body), valid input
// accepted, invalid input refused, 405 with `Allow` for methods a path does not take. Twice:
// signed out, then signed in as an instance admin (who may reach every operation). What no
// schema can say is in tests/fuzz/schemathesis.toml, each entry with its reason.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { signIn } from "../support/accounts.js";
import { root } from "../support/project.js";
import { startWorker, write } from "../support/worker.js";

const TOOLS = process.env.COMMUNS_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME, ".cache"), "communs", "tools");
const version = (await import("node:fs")).readFileSync(join(root, "scripts", "schemathesis.txt"), "utf8").match(/^schemathesis==(\S+)/m)[1];
const st = join(TOOLS, `schemathesis-${version}`, "bin", "st");
const SEED = process.env.FUZZ_SEED ?? "1";

/** Runs Schemathesis on the document against `url` with `headers`; its output. */
function fuzz(url, headers, exclude = []) {
  const args = ["--config-file", join(root, "tests", "fuzz", "schemathesis.toml"), "run", join(root, "functions", "domain", "openapi.json"),
    "--url", url, "--checks", "all", "--workers", "1", "--seed", SEED, "--no-color", "--max-failures", "50"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  for (const name of exclude) args.push("--exclude-name", name);
  const run = spawnSync(st, args, { encoding: "utf8", cwd: root, timeout: 600_000, env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** The run's summary; on failure, every failure (long lines cut) and the summary. */
function judged({ status, output }) {
  const summary = output.slice(output.lastIndexOf("SUMMARY"));
  assert.match(summary, /Tested: \d+/, `Schemathesis did not run:\n${output.slice(-3000)}`);
  const failures = output.slice(output.indexOf("FAILURES"), output.indexOf("WARNINGS"));
  const cut = (text) => text.split("\n").map((l) => (l.length > 600 ? `${l.slice(0, 600)}…` : l)).join("\n");
  assert.equal(status, 0, `Schemathesis found failures:\n${cut(failures)}\n${summary}`);
  return summary;
}

test("the document and the server agree, signed out and signed in", { timeout: 1_200_000 }, async () => {
  const worker = await startWorker({ zones: ["974"], listen: true, vars: { STRIPE_WEBHOOK_SECRET: "whsec_fuzz_only" } });
  try {
    // Something to find: an organization in a commune of the zones loaded.
    const admin = await signIn(worker, "admin@communs.test");
    const made = await worker.fetch("/api/elements", write("POST", {
      kind: "organization", name: "Association du Lagon", type: "NGO", address: { postal_code: "97460", commune_code: "97415" },
    }, { cookie: admin.cookie }));
    assert.equal(made.status, 201);

    const anonymous = judged(fuzz(worker.url, {}));
    // Signed in for the whole run: signing out or erasing the account would end it midway, so
    // those two are fuzzed signed out only.
    const signedIn = judged(fuzz(worker.url, { Cookie: admin.cookie, Origin: worker.url }, ["POST /api/auth/logout", "DELETE /api/me"]));
    for (const summary of [anonymous, signedIn]) {
      const tested = Number(summary.match(/Tested: (\d+)/)[1]);
      assert.ok(tested >= 70, `only ${tested} operations tested`);
    }
  } finally {
    await worker.stop();
  }
});
