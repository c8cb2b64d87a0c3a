// Island: where an element stands, on a small map (Leaflet over OpenStreetMap tiles). The
// address and the « Voir sur OpenStreetMap » link beside it say the same without JavaScript.
import { addTiles, loadLeaflet } from "./leaflet.js";

const box = document.querySelector('[data-island="spot"]');

async function show() {
  const [lat, lon] = [Number(box.dataset.lat), Number(box.dataset.lon)];
  const L = await loadLeaflet();
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false }).setView([lat, lon], 16);
  addTiles(L, map);
  L.circleMarker([lat, lon], { radius: 9, color: "#0b6b3a", weight: 3, fillOpacity: 0.7 })
    .bindTooltip(box.dataset.name)
    .addTo(map);
  box.dataset.state = "ok";
}

if (box) show().catch(() => (box.dataset.state = "down"));
