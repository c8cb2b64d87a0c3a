// Island: « Mon espace » — the votes open to me now (saying whether I may vote before I try),
// and the elements I look after, belong to, follow or asked to join.
import { api, seemsSignedIn } from "./api.js";

const when = (rfc3339) => new Date(rfc3339).toLocaleString("fr-FR", { dateStyle: "long", timeStyle: "short" });
const PHASES = { amendable: "amendements ouverts", voting: "au vote" };

function line(href, title, detail) {
  const li = document.createElement("li");
  const heading = document.createElement("h3");
  heading.append(Object.assign(document.createElement("a"), { href, textContent: title }));
  li.append(heading, Object.assign(document.createElement("p"), { className: "kicker", textContent: detail }));
  return li;
}

function fill(list, lines, empty) {
  list.replaceChildren(...lines);
  if (!lines.length) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: empty }));
}

function roles(link) {
  return [link.admin && "administrateur·ice", link.member && !link.admin && "membre", link.pending && "demande d’adhésion en attente", link.follows && "abonné·e"]
    .filter(Boolean)
    .join(", ");
}

async function show() {
  const [links, votes] = await Promise.all([api("/api/me/links"), api("/api/me/proposals")]);
  fill(
    document.querySelector('[data-list="votes"]'),
    votes.items.map((p) => line(p.url, p.title, `${PHASES[p.phase] ?? p.phase} jusqu’au ${when(p.vote_until)} · ${p.may_vote ? "vous pouvez voter" : "réservé aux donateur·ices : vous ne pouvez pas voter"}`)),
    "Aucun vote ouvert dans vos communautés pour l’instant.",
  );
  fill(
    document.querySelector('[data-list="links"]'),
    links.items.map((l) => line(l.page, l.name, `${roles(l)} · ${l.commune.name}`)),
    "Vous ne suivez encore aucune fiche : suivez ou rejoignez celles qui vous intéressent depuis leur page.",
  );
}

if (seemsSignedIn()) show().catch(() => {});
