// `wrangler dev` serving the static site and the built worker on loopback, as `make dev` does,
// on a free port and a fresh D1. Tests stop it (and its workerd) when they finish.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { launchBrowser } from "./browser.js";
import { freshDatabase } from "./d1.js";
import { node, root, wranglerBin } from "./project.js";

/** What `.dev.vars` would hold (a clean clone has none): development, its admin, its secret. */
const VARS = { ENVIRONMENT: "development", ADMIN_EMAILS: "admin@communs.test", STRIPE_WEBHOOK_SECRET: "whsec_browser_tests_only" };

/**
 * The two workers' configurations, copied into `dir` with their paths made absolute and their
 * scripts the development builds (as scripts/dev-config.sh writes them for `make dev`), beside a
 * `.dev.vars` of the tests' own. Each worker reads the `.dev.vars` beside its configuration
 * (`--var` reaches only the first worker), and a developer's own stays out of the tests.
 */
function configure(dir, port) {
  mkdirSync(dir, { recursive: true });
  for (const file of ["wrangler.toml", "wrangler.back.toml"]) {
    const text = readFileSync(join(root, file), "utf8")
      .replace(/^(main|directory|migrations_dir)(\s*=\s*)"([^"]+)"/gm, (_, key, eq, path) => `${key}${eq}"${join(root, path)}"`)
      .replace(/^(main\s*=\s*"[^"]*\/functions\/edge\/build)\//m, "$1/dev/");
    writeFileSync(join(dir, file), text);
  }
  // SITE_URL: where links in mail and the provider's return addresses lead, as deployed.
  const vars = { ...VARS, SITE_URL: `http://127.0.0.1:${port}` };
  writeFileSync(join(dir, ".dev.vars"), Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""));
  return ["-c", join(dir, "wrangler.toml"), "-c", join(dir, "wrangler.back.toml")];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/**
 * The site on a free port. The port is free when probed, but wrangler and workerd take other
 * ports of their own meanwhile (another test file's, too): when one took ours, try another.
 */
export async function startSite({ zones = ["974"], townHalls = false } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), zones, townHalls);
    } catch (error) {
      if (attempt === 3 || !/Address already in use/.test(error.message)) throw error;
    }
  }
}

async function startOn(port, zones, townHalls) {
  const database = freshDatabase({ zones, townHalls });
  const configs = configure(join(database.dir, "config"), port);
  const child = spawn(
    node,
    [wranglerBin, "dev", ...configs, "--ip", "127.0.0.1", "--port", String(port), "--local", "--persist-to", database.dir,
      "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: join(database.dir, "config"), env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM"); // the whole group: wrangler and its workerd
    } catch {}
    database.remove();
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`wrangler dev did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop };
}

/** The site on a fresh D1 (with the real zones of `zones`, départements) and a headless
 * Chromium, for one test file. */
export async function openSite(options) {
  const site = await startSite(options);
  try {
    return { site, browser: await launchBrowser() };
  } catch (error) {
    site.stop();
    throw error;
  }
}

/** Stops what `openSite` started (either may be missing when `before` failed). */
export async function closeSite(site, browser) {
  await browser?.close();
  site?.stop();
}
