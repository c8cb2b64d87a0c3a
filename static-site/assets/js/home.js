// Island: the home page of « ma commune » — its next events, newest actors and live feed, or
// France's until a commune is chosen; one click widens to the département, the région, France
// (`/?scope=…`, `/?ou=` for France), without changing the commune remembered.
import { api } from "./api.js";
import { territory } from "./territory.js";

const island = document.querySelector('[data-island="territory"]');
const list = (name) => island.querySelector(`[data-list="${name}"]`);
const item = (...nodes) => {
  const li = document.createElement("li");
  li.append(...nodes);
  return li;
};
const link = (href, text) => Object.assign(document.createElement("a"), { href, textContent: text });
const when = (rfc3339) => new Date(rfc3339).toLocaleString("fr-FR", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Paris" });

function fill(name, items, line, empty) {
  const ol = list(name);
  ol.replaceChildren(...items.map((entry) => item(...line(entry))));
  if (!items.length) ol.replaceChildren(item(empty));
}

function kicker(text) {
  return Object.assign(document.createElement("span"), { className: "kicker", textContent: ` · ${text}` });
}

async function show() {
  const params = new URLSearchParams(location.search);
  const mine = territory();
  const wanted = params.has("ou") ? null : params.get("scope") ?? mine;
  const zone = wanted ? await api(`/api/zones/${wanted}`).catch(() => null) : null;
  const scope = zone ? `scope=${encodeURIComponent(zone.id)}` : "";
  island.querySelector('[data-field="place"]').textContent = zone ? zone.label : "toute la France";
  if (mine && zone?.id === mine) document.getElementById("territoire").value = zone.label;
  else if (mine) api(`/api/zones/${mine}`).then((z) => (document.getElementById("territoire").value = z.label)).catch(() => {});
  const wider = [zone?.departement && zone.kind !== "departement" && [`departement:${zone.departement.code}`, `${zone.departement.name} (${zone.departement.code})`],
    zone?.region && zone.kind !== "region" && [`region:${zone.region.code}`, zone.region.name]].filter(Boolean);
  if (zone) {
    list("wider").replaceChildren(...wider.map(([id, name]) => item(link(`/?scope=${encodeURIComponent(id)}`, name))), item(link("/?ou=", "Toute la France")));
    island.querySelector(".widen").hidden = false;
  }
  const where = zone ? `?${scope}` : "?ou=";
  for (const [name, path] of [["agenda", "/agenda/"], ["search", "/recherche"], ["live", "/live/"]]) {
    island.querySelector(`[data-link="${name}"]`).href = `${path}${where}`;
  }
  const [events, actors, live] = await Promise.all([
    api(`/api/agenda?${scope}&limit=5`),
    api(`/api/search?${scope}&kind=organization&kind=project&kind=poi&sort=recent&limit=5`),
    api(`/api/live?${scope}&limit=5`),
  ]);
  fill("events", events.items, (e) => [link(`/e/${e.slug}/`, e.name), kicker(`${when(e.start)}${e.commune?.name ? `, ${e.commune.name}` : ""}`)], "Aucun événement à venir ici.");
  fill("actors", actors.items, (e) => [link(`/e/${e.slug}/`, e.name), kicker(e.commune?.name ?? "")], "Personne n’est encore référencé ici : soyez le premier.");
  fill("live", live.items, (i) => (i.slug ? [link(`/e/${i.slug}/`, i.name), kicker("nouveau")] : [document.createTextNode(i.text), kicker(i.author ?? "")]), "Rien de neuf ici pour l’instant.");
  island.dataset.state = "ok";
}

if (island) show().catch(() => (island.dataset.state = "down"));
