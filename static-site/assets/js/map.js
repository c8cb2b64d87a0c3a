// Island: a map of search results, drawn with Leaflet (served from the site) over OpenStreetMap
// tiles. The list of results stays the reference: the map only adds to it, and without
// JavaScript (or when the map cannot load) the list is there alone.
import { api } from "./api.js";
import { addTiles, loadLeaflet } from "./leaflet.js";

const box = document.querySelector('[data-island="map"]');

async function showMap() {
  const query = new URLSearchParams(box.dataset.search ?? location.search);
  query.delete("cursor");
  const typed = query.get("ou");
  if (typed) {
    // A typed place becomes its best zone: the one the page already resolved, or the API's.
    query.delete("ou");
    const lookup = typed.includes(" — ") ? typed.split(" — ").pop() : typed;
    const scope = box.dataset.scope ?? (await api(`/api/zones?q=${encodeURIComponent(lookup)}&limit=1`)).items[0]?.id;
    if (scope) query.set("scope", scope);
  }
  query.set("limit", "100");
  const [page, L] = await Promise.all([api(`/api/search?${query}`), loadLeaflet()]);
  const placed = page.items.filter((item) => item.lat != null && item.lon != null);
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  addTiles(L, map);
  const markers = placed.map((item) => {
    const link = Object.assign(document.createElement("a"), { href: `/e/${item.slug}/`, textContent: item.name });
    return window.L.circleMarker([item.lat, item.lon], { radius: 8, color: "#0b6b3a", weight: 2, fillOpacity: 0.6 })
      .bindPopup(link)
      .addTo(map);
  });
  if (markers.length) map.fitBounds(window.L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 15 });
  else map.setView([46.6, 2.4], 5);
  box.dataset.state = "ok";
  box.dataset.markers = String(markers.length);
}

if (box) showMap().catch(() => (box.dataset.state = "down"));
