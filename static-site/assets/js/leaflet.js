// Leaflet, served from the site itself, loaded only by the islands that draw a map, with the
// OpenStreetMap tiles they share.

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const node = Object.assign(document.createElement(tag), attributes);
    node.onload = resolve;
    node.onerror = reject;
    document.head.append(node);
  });
}

/** Resolves to `window.L` once Leaflet's script and stylesheet are in. */
export async function loadLeaflet() {
  await Promise.all([
    load("link", { rel: "stylesheet", href: "/assets/leaflet/leaflet.css" }),
    load("script", { src: "/assets/leaflet/leaflet.js" }),
  ]);
  return window.L;
}

/** Leaflet with its marker clusters (Leaflet.markercluster), for maps of many results. */
export async function loadClusters() {
  const L = await loadLeaflet();
  await Promise.all([
    load("link", { rel: "stylesheet", href: "/assets/leaflet/MarkerCluster.css" }),
    load("link", { rel: "stylesheet", href: "/assets/leaflet/MarkerCluster.Default.css" }),
    load("script", { src: "/assets/leaflet/leaflet.markercluster.js" }),
  ]);
  return L;
}

/** OpenStreetMap's tiles on `map`, credited; `target` for links out of an embedded map. */
export function addTiles(L, map, target) {
  const rel = target ? ` target="${target}" rel="noopener"` : "";
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: `&copy; <a href="https://www.openstreetmap.org/copyright"${rel}>contributeurs d’OpenStreetMap</a>`,
  }).addTo(map);
}
