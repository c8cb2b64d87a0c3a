// Island: a map of search results, drawn with Leaflet (served from the site) over OpenStreetMap
// tiles, and on a zone's page the zone itself (`data-shape`: a commune's contour, or the
// zone's position). The list of results stays the reference: the map only adds to it, and
// without JavaScript (or when the map cannot load) the list is there alone.
import { api } from "./api.js";
import { addTiles, loadLeaflet } from "./leaflet.js";
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
  return query;
}

async function showMap() {
  const query = await search();
  query.set("limit", "100");
  const shape = box.dataset.shape ? api(box.dataset.shape).catch(() => null) : null;
  const [page, L, zone] = await Promise.all([api(`/api/search?${query}`), loadLeaflet(), shape]);
  const placed = page.items.filter((item) => item.lat != null && item.lon != null);
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  addTiles(L, map);
  const markers = placed.map((item) => {
    const link = Object.assign(document.createElement("a"), { href: `/e/${item.slug}/`, textContent: item.name });
    return L.circleMarker([item.lat, item.lon], { radius: 8, color: "#0b6b3a", weight: 2, fillOpacity: 0.6 })
      .bindPopup(link)
      .addTo(map);
  });
  const outline = zone?.geometry?.type?.endsWith("Polygon")
    ? L.geoJSON(zone, { style: { color: "#0b6b3a", weight: 2, fillOpacity: 0.05 }, interactive: false }).addTo(map)
    : null;
  if (outline) map.fitBounds(outline.getBounds(), { maxZoom: 15 });
  else if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 15 });
  else if (zone?.geometry?.type === "Point") map.setView([...zone.geometry.coordinates].reverse(), 10);
  else map.setView([46.6, 2.4], 5);
  box.dataset.state = "ok";
  if (outline) box.dataset.outline = "contour";
  box.dataset.markers = String(markers.length);
}

if (box) {
  showMap().catch((error) => {
    box.dataset.state = "down";
    const status = document.getElementById("map-status");
    if (status) status.textContent = error.message;
  });
}
