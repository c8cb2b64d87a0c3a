// A fresh local D1 for one test run: schema.sql applied by wrangler itself, as `make dev` does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { node, root, wranglerBin } from "./project.js";

export function freshDatabase({ schema = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "communs-d1-"));
  if (schema) {
    execFileSync(node, [wranglerBin, "d1", "execute", "DB", "--local", "--persist-to", dir, "--file", "schema.sql"], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdio: "pipe",
    });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
