// Island: the map made for an iframe, configured by its address: `scope`, `kind` (repeated),
// `groupes` ("Nom : étiquette, étiquette ; Autre : …", labelled groups of tags offered as
// filters, in the spirit of Communecter's network maps: the map shows what carries a tag of a
// chosen group) and `titre`. Links open on Communs.
import { api } from "./api.js";
import { addTiles, loadLeaflet } from "./leaflet.js";

const box = document.querySelector('[data-island="map-embed"]');
const filters = document.getElementById("embed-filters");
const status = document.getElementById("embed-status");
const params = new URLSearchParams(location.search);

/** "Alimentation : épicerie, vrac ; Nature : jardin" → [{label, tags}]. */
export function groupsOf(text) {
  return (text ?? "")
    .split(/[;\n]/)
    .map((group) => group.split(":"))
    .filter((parts) => parts.length === 2)
    .map(([label, tags]) => ({ label: label.trim(), tags: tags.split(",").map((t) => t.trim()).filter(Boolean) }))
    .filter((g) => g.label && g.tags.length);
}

let map;
let layer;

async function draw(groups) {
  const query = new URLSearchParams();
  for (const key of ["scope", "q"]) if (params.get(key)) query.set(key, params.get(key));
  for (const kind of params.getAll("kind")) query.append("kind", kind);
  query.set("limit", "100");
  const chosen = groups.filter((g) => document.getElementById(`g-${groups.indexOf(g)}`)?.checked);
  if (groups.length && !chosen.length) {
    layer.clearLayers();
    box.dataset.markers = "0";
    status.textContent = "Aucun groupe choisi.";
    return;
  }
  if (groups.length) {
    // With groups, the map shows what carries a tag of a chosen group.
    query.set("tags", chosen.flatMap((g) => g.tags).join(","));
    query.set("tags_mode", "any");
  }
  const page = await api(`/api/search?${query}`);
  layer.clearLayers();
  const placed = page.items.filter((item) => item.lat != null && item.lon != null);
  for (const item of placed) {
    const link = Object.assign(document.createElement("a"), { href: `/e/${item.slug}/`, textContent: item.name, target: "_blank", rel: "noopener" });
    window.L.circleMarker([item.lat, item.lon], { radius: 8, color: "#0b6b3a", weight: 2, fillOpacity: 0.6 }).bindPopup(link).addTo(layer);
  }
  if (placed.length) map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 15 });
  box.dataset.markers = String(placed.length);
  status.textContent = `${placed.length} fiche(s) sur la carte.`;
}

async function start() {
  const groups = groupsOf(params.get("groupes"));
  groups.forEach((group, i) => {
    const row = document.createElement("div");
    const input = Object.assign(document.createElement("input"), { type: "checkbox", id: `g-${i}`, checked: true });
    const label = Object.assign(document.createElement("label"), { htmlFor: `g-${i}`, textContent: group.label });
    input.addEventListener("change", () => draw(groups).catch(() => (box.dataset.state = "down")));
    row.append(input, label);
    filters.append(row);
  });
  filters.hidden = groups.length === 0;
  const L = await loadLeaflet();
  map = L.map(box, { scrollWheelZoom: false }).setView([46.6, 2.4], 5);
  addTiles(L, map, "_blank");
  layer = window.L.featureGroup().addTo(map);
  await draw(groups);
  box.dataset.state = "ok";
}

if (box) start().catch(() => (box.dataset.state = "down"));
