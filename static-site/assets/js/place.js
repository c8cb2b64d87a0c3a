// Island: suggestions for every place field (`data-suggest`), from /api/zones as people type.
// A suggestion reads as the zone's label, « Saint-Paul (974) », which finds it again alone; a
// commune field (`data-suggest="commune"`, an element's form) offers communes as « Name — code ».
import { api } from "./api.js";

const KINDS = { commune: "commune", postal: "code postal", departement: "département", region: "région" };

function describe(zone) {
  const where = zone.departement?.name ?? zone.region?.name;
  return [KINDS[zone.kind], where].filter(Boolean).join(", ");
}

function attach(input) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  let timer;
  async function suggest() {
    const typed = input.value.trim();
    if (typed.length < 2 || [...list.options].some((o) => o.value === typed)) return;
    try {
      const communes = input.dataset.suggest === "commune";
      const { items } = await api(`/api/zones?q=${encodeURIComponent(typed)}&limit=8${communes ? "&kind=commune" : ""}`);
      // A home (`data-suggest="home"`) is a commune or a postal code.
      const offered = input.dataset.suggest === "home" ? items.filter((z) => z.kind === "commune" || z.kind === "postal") : items;
      list.replaceChildren(...offered.map((zone) => Object.assign(document.createElement("option"), { value: communes ? `${zone.name} — ${zone.code}` : zone.label, label: describe(zone) })));
    } catch {
      list.replaceChildren();
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
}

document.querySelectorAll("input[data-suggest][list]").forEach(attach);
