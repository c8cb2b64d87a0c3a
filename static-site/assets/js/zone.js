// Island: a zone's page published before someone was referenced here shows its list as it is
// now: one read of the newest element, and only when it differs, the list from the search page
// (the same template, rendered by the worker).
import { api } from "./api.js";

const section = document.querySelector('[data-island="zone-list"]');

async function refresh() {
  const { scope, newest } = section.dataset;
  const { items } = await api(`/api/search?scope=${scope}&limit=1`);
  if ((items[0]?.id ?? "") === newest) return;
  const response = await fetch(`/recherche?scope=${scope}&limit=50`, { credentials: "omit" });
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("ol.results");
  if (!fresh) return;
  section.querySelector("ol.results").replaceWith(fresh);
  section.querySelector("[data-empty]")?.remove();
  section.dataset.newest = items[0]?.id ?? "";
  section.dataset.state = "refreshed";
}

if (section) refresh().catch(() => {});
