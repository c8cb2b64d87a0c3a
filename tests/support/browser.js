// Debian's Chromium driven by playwright-core (no browser download: the network is closed).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { root } from "./project.js";

const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
};

/** A browser with a profile on disk, as a person's is (an incognito one cannot install apps). */
export async function launchProfile() {
  const dir = mkdtempSync(join(tmpdir(), "communs-profile-"));
  const context = await chromium.launchPersistentContext(dir, LAUNCH);
  return { context, close: async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function launchBrowser() {
  const browser = await chromium.launch(LAUNCH);
  // The site's service worker answers requests before Playwright's routes can (tiles, stale
  // copies of pages): pages run without it unless a test asks (`serviceWorkers: "allow"`).
  const [newContext, newPage] = [browser.newContext.bind(browser), browser.newPage.bind(browser)];
  browser.newContext = (options = {}) => newContext({ serviceWorkers: "block", ...options });
  browser.newPage = (options = {}) => newPage({ serviceWorkers: "block", ...options });
  return browser;
}

// A 1×1 transparent PNG, answered for every map tile: tests never reach OpenStreetMap.
const TILE = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/** A new page (of a browser or a context) that records console errors and failed requests. */
export async function watchedPage(browser) {
  const page = await browser.newPage();
  await page.route("https://tile.openstreetmap.org/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: TILE }));
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A request cut short because the page navigated away (ERR_ABORTED) is not a failure.
  page.on("requestfailed", (r) => r.failure()?.errorText !== "net::ERR_ABORTED" && problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return { page, problems };
}

/** What axe-core (the accessibility checker) finds on the page, serious and critical only
 * (`all`: every impact): `["rule: target", …]`. */
export async function accessibilityProblems(page, { all = false } = {}) {
  // Evaluated, not added as a script tag: the site's Content-Security-Policy refuses those.
  await page.evaluate(readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8"));
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return found
    .filter((v) => all || v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}
