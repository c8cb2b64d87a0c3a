// Island: places an element on a map in the "Référencer" form. A click on the map, or the
// marker dragged, sets the position and fills the commune and postal code from the commune
// whose contour holds the point (/api/zones/at); a commune chosen in the box moves the marker
// to it; coordinates typed move it too. The fields stay the reference, for keyboards and
// screen readers: the map only adds a way to fill them.
import { api } from "./api.js";
import { addTiles, loadLeaflet } from "./leaflet.js";

const box = document.querySelector('[data-island="picker"]');
const form = document.getElementById("element-form");
const field = (id) => document.getElementById(id);
const status = field("picker-status");
let L;
let map;
let marker;
let asked = 0; // the latest lookup; an earlier answer arriving late is dropped

const round = (value) => Math.round(value * 1e5) / 1e5;
const coordinate = (id) => {
  const value = Number(field(id).value.trim().replace(",", "."));
  return field(id).value.trim() && Number.isFinite(value) ? value : null;
};

function put(lat, lon, zoom) {
  if (!marker) {
    marker = L.marker([lat, lon], { draggable: true, title: "Position de l’élément", alt: "Position de l’élément" }).addTo(map);
    marker.on("dragend", () => {
      const at = marker.getLatLng();
      locate(at.lat, at.lng, { fill: true });
    });
  } else {
    marker.setLatLng([lat, lon]);
  }
  map.setView([lat, lon], zoom ?? Math.max(map.getZoom(), 15));
}

/** The point's commune into the form; with `fill`, the point into the coordinates too. */
async function locate(lat, lon, { fill }) {
  const ticket = ++asked;
  put(lat, lon);
  if (fill) {
    field("lat").value = String(round(lat));
    field("lon").value = String(round(lon));
  }
  status.textContent = "Recherche de la commune…";
  try {
    const zone = await api(`/api/zones/at?lat=${lat}&lon=${lon}`);
    if (ticket !== asked) return;
    field("ou").value = `${zone.name} — ${zone.code}`;
    const codes = zone.postal_codes ?? [];
    if (!codes.includes(field("postal_code").value.trim())) field("postal_code").value = codes[0] ?? "";
    status.textContent = `Point placé : ${zone.name}${codes.length ? ` (${codes.join(", ")})` : ""}.`;
    box.dataset.commune = zone.code;
  } catch (error) {
    if (ticket === asked) status.textContent = error.message;
  }
}

/** A commune picked in the box: the marker goes to it, and the element will stand there unless
 * a point is chosen (the coordinates of another commune would contradict it). */
async function communeChosen() {
  const typed = field("ou").value.trim();
  const code = typed.includes(" — ") ? typed.split(" — ").pop() : /^\d[\dAB]\d{3}$/.test(typed) ? typed : null;
  if (!code || code === box.dataset.commune) return;
  try {
    const zone = await api(`/api/zones/commune:${encodeURIComponent(code)}`);
    box.dataset.commune = zone.code;
    field("lat").value = "";
    field("lon").value = "";
    if (zone.lat != null) put(zone.lat, zone.lon, 13);
    status.textContent = `Repère placé à ${zone.name} : cliquez sur la carte pour préciser.`;
  } catch {
    // An unknown commune is the form's to report when it is sent.
  }
}

/** The form filled (a new element, or one being edited): the marker where it stands. */
function sync() {
  const [lat, lon] = [coordinate("lat"), coordinate("lon")];
  if (lat !== null && lon !== null) {
    const typed = field("ou").value.trim();
    box.dataset.commune = typed.includes(" — ") ? typed.split(" — ").pop() : "";
    put(lat, lon, 15);
  }
}

async function start() {
  L = await loadLeaflet();
  box.hidden = false;
  map = L.map(box, { scrollWheelZoom: false }).setView([46.6, 2.4], 5);
  addTiles(L, map);
  map.on("click", (event) => locate(event.latlng.lat, event.latlng.lng, { fill: true }));
  field("ou").addEventListener("change", communeChosen);
  for (const id of ["lat", "lon"]) {
    field(id).addEventListener("change", () => {
      const [lat, lon] = [coordinate("lat"), coordinate("lon")];
      if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) locate(lat, lon, { fill: false });
    });
  }
  sync();
  box.dataset.state = "ok";
}

if (box && form) {
  // The form appears once the visitor is known to be signed in (and an edited element filled).
  const shown = () => !form.hidden && !map && start().catch(() => (box.dataset.state = "down"));
  new MutationObserver(shown).observe(form, { attributes: true, attributeFilter: ["hidden"] });
  shown();
}
