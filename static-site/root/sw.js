// The service worker: the site's shell kept for use offline, and the pages and agendas a person
// visited last; without network, a page not kept is the French offline page. Nothing private is
// kept: no answer marked `no-store` (every signed-in answer of the API, /api/me…), nothing of the
// account's pages, no write. The generator stamps VERSION from the assets, so a new release
// replaces the shell.
const VERSION = "__VERSION__";
const SHELL = `communs-shell-${VERSION}`;
const PAGES = "communs-pages";
const KEPT = 40;
const SHELL_FILES = [
  "/", "/hors-ligne/", "/manifest.webmanifest", "/assets/site.css", "/assets/favicon.svg",
  "/assets/icons/icon-192.png", "/assets/js/api.js", "/assets/js/session.js", "/assets/js/territory.js",
  "/assets/js/place.js", "/assets/js/home.js", "/assets/js/money.js", "/assets/js/funding-summary.js",
  "/assets/js/health.js", "/assets/js/stats.js",
];
const PRIVATE = [/^\/api\/(me|auth|dev|pledges|donations|posts)\b/, /^\/profil\//, /^\/connexion\//, /^\/don\/paiement-test\//, /^\/sw\.js$/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("communs-shell-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** Whether an answer may be kept on this device. */
function keepable(response) {
  return response.ok && response.type === "basic" && !/no-store/.test(response.headers.get("Cache-Control") ?? "");
}

/** Keeps a page or a public read, the latest KEPT. */
async function keep(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - KEPT)).map((key) => cache.delete(key)));
}

/** The network first; kept copies when it fails; for a page, the offline page last. */
async function networkFirst(event) {
  try {
    const response = await fetch(event.request);
    if (keepable(response)) event.waitUntil(keep(event.request, response.clone()));
    return response;
  } catch (error) {
    const kept = await caches.match(event.request);
    if (kept) return kept;
    if (event.request.mode === "navigate") return (await caches.match("/hors-ligne/")) ?? Response.error();
    throw error;
  }
}

/** The shell's files from the cache at once, refreshed in the background. */
async function shellFirst(event) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then((response) => {
    if (keepable(response)) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  });
  return kept ?? fresh;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (PRIVATE.some((pattern) => pattern.test(url.pathname))) {
    // Never kept; a private page asked offline gets the offline page all the same.
    if (event.request.mode === "navigate") {
      event.respondWith(fetch(event.request).catch(async () => (await caches.match("/hors-ligne/")) ?? Response.error()));
    }
    return;
  }
  if (url.pathname.startsWith("/assets/") || url.pathname === "/manifest.webmanifest") event.respondWith(shellFirst(event));
  else event.respondWith(networkFirst(event));
});
