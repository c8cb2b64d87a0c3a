// Island: builds an embeddable map's address from the form, shows it in a preview iframe and
// writes the code to paste. A typed place becomes its zone (GET /api/zones).
import { api } from "./api.js";

const form = document.getElementById("builder");
const code = document.getElementById("b-code");
const preview = document.getElementById("b-preview");
const open = document.getElementById("b-open");
const status = document.getElementById("builder-status");
const zones = new Map();

function address() {
  const query = new URLSearchParams();
  const title = form.elements.titre.value.trim();
  if (title) query.set("titre", title);
  const typed = form.elements.ou.value.trim();
  const scope = zones.get(typed);
  if (scope) query.set("scope", scope);
  for (const box of form.querySelectorAll('input[name="kind"]:checked')) query.append("kind", box.value);
  const groups = form.elements.groupes.value.split("\n").map((l) => l.trim()).filter(Boolean).join(" ; ");
  if (groups) query.set("groupes", groups);
  return `${location.origin}/carte/integree/?${query}`;
}

function update() {
  const url = address();
  const title = form.elements.titre.value.trim() || "Carte";
  code.value = `<iframe src="${url.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}" title="${title.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}" width="100%" height="480" style="border:0" loading="lazy"></iframe>`;
  open.href = url;
  if (preview.src !== url) preview.src = url;
}

async function suggest() {
  const typed = form.elements.ou.value.trim();
  if (typed.length < 2 || zones.has(typed)) return update();
  const found = await api(`/api/zones?q=${encodeURIComponent(typed)}&limit=8`).catch(() => ({ items: [] }));
  const list = document.getElementById("b-zones");
  list.replaceChildren(
    ...found.items.map((zone) => {
      const label = `${zone.name} — ${zone.id}`;
      zones.set(label, zone.id);
      return Object.assign(document.createElement("option"), { value: label });
    }),
  );
  // A place typed whole, or its only match, is taken as the territory.
  if (found.items.length === 1) zones.set(typed, found.items[0].id);
  status.textContent = zones.has(typed) ? "" : "Choisissez le territoire dans la liste.";
  update();
}

form.addEventListener("input", (event) => (event.target.name === "ou" ? suggest() : update()));
form.addEventListener("submit", (event) => event.preventDefault());
document.getElementById("b-copy").addEventListener("click", async () => {
  code.select();
  try {
    await navigator.clipboard.writeText(code.value);
    status.textContent = "Code copié.";
  } catch {
    status.textContent = "Sélectionnez le code et copiez-le (Ctrl+C).";
  }
});
update();
