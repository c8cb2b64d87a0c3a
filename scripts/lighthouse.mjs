// Lighthouse scores (performance and accessibility) of pages served by a running server.
// Usage: node scripts/lighthouse.mjs BASE_URL PATH...
//   e.g. node_modules/.bin/node scripts/lighthouse.mjs http://127.0.0.1:8790 / '/recherche?q=jardin'
// Prints one JSON line: {"results":[{"path","performance","accessibility","failed":[{id,title,score}]}],
//   "installable":{"ok","errors"}} — the last from Chromium's own installability check
//   (Page.getInstallabilityErrors), which Lighthouse's PWA audit ran until Lighthouse 12 dropped it.
// CHROME_PATH overrides the browser (Debian's /usr/bin/chromium by default).
import { access, constants, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { chromium } from "playwright-core";

const CATEGORIES = ["performance", "accessibility"];
const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";

function fail(message) {
  console.error(`lighthouse.mjs: ${message}`);
  process.exit(1);
}

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) fail("usage: node scripts/lighthouse.mjs BASE_URL PATH...");
let origin;
try {
  origin = new URL(base);
} catch {
  fail(`not a URL: ${base}`);
}

try {
  await access(chromePath, constants.X_OK);
} catch {
  fail(`no Chromium at ${chromePath} (apt-get install chromium, or set CHROME_PATH)`);
}
// Fail before launching a browser, with the reason, rather than scoring an error page.
try {
  await fetch(new URL("/", origin), { signal: AbortSignal.timeout(10_000) });
} catch (e) {
  fail(`no server answers at ${origin.origin} (${e.cause?.code || e.message}): start it first`);
}

const flags = [
  "--headless=new",
  "--no-sandbox", // we run as root in a container, where Chromium's sandbox cannot start
  "--disable-gpu",
  // Nothing but the server under test may be reached: no updates, sync or field trials in the
  // background, and every host name except the server's resolves to nothing.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${origin.hostname}`,
];

async function measure(path) {
  // A fresh profile per page: no cache, cookies or service worker carried from a previous page.
  const userDataDir = await mkdtemp(join(tmpdir(), "lighthouse-"));
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: flags, userDataDir });
  try {
    const run = await lighthouse(new URL(path, origin).href, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
      enableErrorReporting: false,
      // Default mobile emulation (screen, user agent), but the server is on loopback: simulating
      // a slow 4G link and CPU would score a network this measurement does not have, so the
      // timings are taken as observed ("provided").
      throttlingMethod: "provided",
    });
    const lhr = run?.lhr;
    if (!lhr) throw new Error("Lighthouse returned no result");
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const result = { path };
    const failed = new Map();
    for (const id of CATEGORIES) {
      const category = lhr.categories[id];
      result[id] = category.score === null ? null : Math.round(category.score * 100);
      // Only audits with a weight move the score; diagnostics (weight 0) are left out.
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.set(ref.id, { id: ref.id, title: audit.title, score: audit.score });
        }
      }
    }
    result.failed = [...failed.values()];
    return result;
  } finally {
    await chrome.kill();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/** Chromium's installability check of the home page, in a profile on disk (not incognito),
 * once its service worker is ready. */
async function installable() {
  const userDataDir = await mkdtemp(join(tmpdir(), "installable-"));
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: flags, userDataDir });
  try {
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const context = browser.contexts()[0];
    const page = await context.newPage();
    await page.goto(new URL("/", origin).href);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    await browser.close();
    return { ok: installabilityErrors.length === 0, errors: installabilityErrors.map((e) => e.errorId) };
  } finally {
    await chrome.kill();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

const results = [];
for (const path of paths) {
  try {
    results.push(await measure(path));
  } catch (e) {
    fail(`${path}: ${e.message}`);
  }
}
let install;
try {
  install = await installable();
} catch (e) {
  install = { ok: false, errors: [e.message] };
}
console.log(JSON.stringify({ results, installable: install }));
