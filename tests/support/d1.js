// A fresh local D1 for one test run: schema.sql applied by wrangler itself, as `make dev` does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { node, root, wranglerBin } from "./project.js";

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

/** `zones`: départements whose real zones to load (through scripts/seed.sh), e.g. ["974"];
 * `townHalls`: their town halls too. */
export function freshDatabase({ schema = true, zones = [], townHalls = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "communs-d1-"));
  if (schema) {
    execFileSync(node, [wranglerBin, "d1", "execute", "DB", "--local", "--persist-to", dir, "--file", "schema.sql"], {
      cwd: root,
      env,
      stdio: "pipe",
    });
  }
  if (zones.length) {
    const halls = townHalls ? ["--town-halls"] : [];
    execFileSync("scripts/seed.sh", ["--local", "--persist-to", dir, "--departements", zones.join(","), ...halls], { cwd: root, env, stdio: "pipe" });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
