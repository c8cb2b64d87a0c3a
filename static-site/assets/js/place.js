// Island: suggestions for the "Où ?" field, from /api/zones as people type. A picked suggestion
// reads "Saint-Paul — 97415", which the page looks up by its code.
import { api } from "./api.js";

const input = document.getElementById("ou");
const list = document.getElementById("ou-suggestions");
let timer;

async function suggest() {
  const typed = input.value.trim();
  if (typed.length < 2 || typed.includes(" — ")) return;
  try {
    const { items } = await api(`/api/zones?q=${encodeURIComponent(typed)}&limit=8`);
    list.replaceChildren(
      ...items.map((zone) => {
        const where = zone.departement ? ` (${zone.departement.name})` : "";
        return Object.assign(document.createElement("option"), { value: `${zone.name} — ${zone.code}`, label: `${zone.name}${where}` });
      }),
    );
  } catch {
    list.replaceChildren();
  }
}

if (input && list) {
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
}
