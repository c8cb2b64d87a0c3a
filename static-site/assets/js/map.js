// Island: a map of search results, drawn with Leaflet (served from the site) over OpenStreetMap
// tiles, and on a zone's page the zone itself (`data-shape`: a commune's contour, or the
// zone's position). The list of results stays the reference: the map only adds to it, and
// without JavaScript (or when the map cannot load) the list is there alone.
import { api } from "./api.js";
import { addTiles, loadClusters } from "./leaflet.js";
import { territory } from "./territory.js";

const box = document.querySelector('[data-island="map"]');

/** The search the map shows: the page's own (`data-query`, `data-search`), or on /carte/ the
 * address's, its form filled in — a typed place becomes its zone; none, « ma commune ». */
async function search() {
  if (box.dataset.query !== undefined) return new URLSearchParams(box.dataset.query);
  const query = new URLSearchParams(box.dataset.search ?? location.search);
  query.delete("cursor");
  for (const name of ["q", "ou"]) {
    const input = document.getElementById(name);
    if (input && query.has(name)) input.value = query.get(name);
  }
  const typed = query.get("ou");
  const wanted = query.has("ou") ? null : territory();
  query.delete("ou");
  if (typed) {
    const zone = (await api(`/api/zones?q=${encodeURIComponent(typed)}&limit=1`)).items[0];
    if (!zone) throw new Error(`Lieu introuvable : « ${typed} ».`);
    query.set("scope", zone.id);
  } else if (wanted && !query.has("scope")) {
    const zone = await api(`/api/zones/${wanted}`).catch(() => null);
    if (zone) {
      query.set("scope", zone.id);
      const input = document.getElementById("ou");
      if (input) input.value = zone.label;
    }
  }
  showMine();
  return query;
}

/** How many results a map shows at most: twenty reads of a hundred on /carte/, three beside a
 * page's own list (a search's or a zone's), which then links to the whole map. */
const FULL_MAP = !(box && (box.dataset.query !== undefined || box.dataset.search !== undefined));
const MAX_MARKERS = FULL_MAP ? 2000 : 300;
const status = document.getElementById("map-status");
const say = (text) => status && (status.textContent = text);

/** Every result of `query`, read a hundred at a time, up to MAX_MARKERS. */
async function results(query) {
  const items = [];
  let cursor = null;
  do {
    const page = new URLSearchParams(query);
    page.set("limit", "100");
    if (cursor) page.set("cursor", cursor);
    const answer = await api(`/api/search?${page}`);
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (cursor) say(`Chargement de la carte… ${items.length} résultats`);
  } while (cursor && items.length < MAX_MARKERS);
  return { items, more: Boolean(cursor) };
}

/** A keyboard-reachable marker (Tab, then Entrée opens its link), named for screen readers. */
function marker(L, item) {
  let link = Object.assign(document.createElement("a"), { href: `/e/${item.slug}/`, textContent: item.name });
  if (item.logo) {
    // Its logo, small, above its name.
    const card = document.createElement("div");
    card.append(Object.assign(document.createElement("img"), { src: item.logo, alt: "", className: "logo", width: 48, height: 48 }), link);
    link = card;
  }
  const pin = L.marker([item.lat, item.lon], { title: item.name, keyboard: true, icon: L.divIcon({ className: "pin", iconSize: [18, 18] }) });
  pin.on("add", () => pin.getElement()?.setAttribute("aria-label", item.name));
  return pin.bindPopup(link);
}

/** The map's results as a list too, where the page has no other (/carte/). */
function listed(items, more) {
  const list = document.getElementById("map-list");
  if (!list) return;
  const ol = list.querySelector("ol");
  ol.replaceChildren(...items.map((item) => {
    const li = document.createElement("li");
    li.append(Object.assign(document.createElement("a"), { href: `/e/${item.slug}/`, textContent: item.name }), ` · ${item.commune?.name ?? ""}`);
    return li;
  }));
  list.querySelector("summary").textContent = `Les ${items.length}${more ? " premiers" : ""} résultats, en liste`;
  list.hidden = !items.length;
}

/** « Ma commune » on /carte/, with the link to change it. */
async function showMine() {
  const slot = document.querySelector('[data-island="mine"]');
  const mine = territory();
  if (!slot || !mine) return;
  const zone = await api(`/api/zones/${mine}`).catch(() => null);
  if (!zone) return;
  const change = Object.assign(document.createElement("a"), { href: "/territoire?retour=%2Fcarte%2F", textContent: "changer" });
  slot.replaceChildren("Ma commune : ", Object.assign(document.createElement("strong"), { textContent: zone.label }), " · ", change);
}

async function showMap() {
  const query = await search();
  const shape = box.dataset.shape ? api(box.dataset.shape).catch(() => null) : null;
  const [found, L, zone] = await Promise.all([results(query), loadClusters(), shape]);
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  addTiles(L, map);
  // Added in chunks that yield to the page: thousands of markers never block it (TBT).
  const group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true }).addTo(map);
  const draw = ({ items, more }) => {
    const placed = items.filter((item) => item.lat != null && item.lon != null);
    group.clearLayers();
    group.addLayers(placed.map((item) => marker(L, item)));
    box.dataset.markers = String(placed.length);
    listed(placed, more);
    say(more
      ? `Les ${placed.length} premiers résultats sont sur la carte : précisez la recherche ou rapprochez-vous pour voir les autres.`
      : `${placed.length} résultat${placed.length > 1 ? "s" : ""} sur la carte.`);
    if (more && !FULL_MAP && status) {
      status.append(" ", Object.assign(document.createElement("a"), { href: `/carte/?${query}`, textContent: "Ouvrir la carte complète" }));
    }
    return placed;
  };
  const placed = draw(found);
  const outline = zone?.geometry?.type?.endsWith("Polygon")
    ? L.geoJSON(zone, { style: { color: "#0b6b3a", weight: 2, fillOpacity: 0.05 }, interactive: false }).addTo(map)
    : null;
  const still = { animate: false, maxZoom: 15 };
  if (outline) map.fitBounds(outline.getBounds(), still);
  else if (placed.length) map.fitBounds(L.latLngBounds(placed.map((i) => [i.lat, i.lon])).pad(0.2), still);
  else if (zone?.geometry?.type === "Point") map.setView([...zone.geometry.coordinates].reverse(), 10, { animate: false });
  else map.setView([46.6, 2.4], 5, { animate: false });
  // Moved by hand: the same search can be asked within what the map shows.
  const here = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Rechercher dans cette zone", hidden: true });
  here.dataset.action = "search-here";
  box.after(here);
  map.on("dragend zoomend", () => (here.hidden = false));
  here.addEventListener("click", async () => {
    const b = map.getBounds();
    const within = new URLSearchParams(query);
    for (const key of ["scope", "near", "bbox", "cursor"]) within.delete(key);
    const [west, east] = [Math.max(b.getWest(), -180), Math.min(b.getEast(), 180)];
    const [south, north] = [Math.max(b.getSouth(), -90), Math.min(b.getNorth(), 90)];
    within.set("bbox", [west, south, east, north].map((n) => n.toFixed(5)).join(","));
    here.hidden = true;
    draw(await results(within));
    box.dataset.within = within.get("bbox");
  });
  box.dataset.state = "ok";
  if (outline) box.dataset.outline = "contour";
}

if (box) {
  showMap().catch((error) => {
    box.dataset.state = "down";
    say(error.message);
  });
}
