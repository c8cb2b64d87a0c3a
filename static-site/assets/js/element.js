// Island: what a signed-in person can do on an element's page — follow, join, edit, delete,
// and, for its admins, manage members. The server decides; the page only offers what
// `/api/elements/{id}/relation` says it would allow. Anonymous visitors cost no request.
// A page published before the element's last change is replaced by its current version; the
// follow and member counts are read afresh for everyone (a published page may predate them).
import { api, say, seemsSignedIn } from "./api.js";

const box = document.querySelector('[data-island="element"]');
const { id, slug } = box?.dataset ?? {};
const part = (name) => box.querySelector(`[data-${name}]`);
const button = (action) => box.querySelector(`[data-action="${action}"]`);
const tell = (message, isError = false) => say(part("status"), part("error"), message, isError);

/** Fetches the element's current page and puts its article in place of this one. */
async function refreshArticle() {
  const response = await fetch(`/e/${encodeURIComponent(slug)}/actuel/`, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const article = fresh.querySelector("article.element");
  if (article) document.querySelector("article.element").replaceWith(article);
}

function showRelation(relation) {
  const follow = button("follow");
  follow.setAttribute("aria-pressed", String(relation.follows));
  follow.textContent = relation.follows ? "Ne plus suivre" : "Suivre";
  const join = button("join");
  if (join) {
    const linked = relation.member || relation.pending;
    join.setAttribute("aria-pressed", String(linked));
    join.textContent = relation.pending ? "Annuler ma demande" : relation.member ? "Quitter" : join.dataset.label;
  }
  button("edit").hidden = !relation.can_edit;
  button("delete").hidden = !relation.can_delete;
  // The pictures' island (pictures.js) offers its form and buttons to who may edit.
  box.dispatchEvent(new CustomEvent("relation", { detail: relation }));
}

/** « 1 abonné·e, 3 membres », as the page writes it. */
function showCounts(links) {
  const plural = (n, one, many) => `${n} ${n > 1 ? many : one}`;
  const cell = document.querySelector("[data-links]");
  if (cell) cell.textContent = `${plural(links.followers, "abonné·e", "abonné·es")}, ${plural(links.members, "membre", "membres")}`;
}

async function freshCounts() {
  try {
    showCounts((await api(`/api/elements/${id}`)).links);
  } catch (error) {
    if (error.status === 404) gone();
  }
}

async function act(method, path, done) {
  try {
    const relation = await api(`/api/elements/${id}${path}`, { method });
    current = { ...current, ...relation };
    showRelation(current);
    tell(done(relation));
    await freshCounts();
  } catch (error) {
    tell(error.message, true);
  }
}

function memberLine(member) {
  const line = document.createElement("li");
  const name = member.display_name ?? "Personne sans nom";
  const state = member.pending ? "demande en attente" : member.is_admin ? "administrateur·rice" : "membre";
  line.append(Object.assign(document.createElement("span"), { textContent: `${name} — ${state}` }));
  const change = async (body, done) => {
    try {
      await api(`/api/elements/${id}/members`, { method: "PATCH", body: { person_id: member.person_id, ...body } });
      tell(done);
      await showMembers();
    } catch (error) {
      tell(error.message, true);
    }
  };
  const add = (label, onClick) => {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: label });
    b.addEventListener("click", onClick);
    line.append(b);
  };
  if (member.pending) add(`Accepter ${name}`, () => change({ pending: false }, `${name} est accepté·e.`));
  else if (member.is_admin) add(`Retirer l’administration à ${name}`, () => change({ is_admin: false }, `${name} n’administre plus la fiche.`));
  else add(`Nommer ${name} administrateur·rice`, () => change({ is_admin: true }, `${name} administre la fiche.`));
  const roles = Object.assign(document.createElement("input"), { value: member.roles.join(", "), placeholder: "trésorière, bénévole" });
  roles.setAttribute("aria-label", `Rôles de ${name} (séparés par des virgules)`);
  line.append(roles);
  add(`Enregistrer les rôles de ${name}`, () =>
    change({ roles: roles.value.split(",").map((r) => r.trim()).filter(Boolean) }, `Rôles de ${name} enregistrés.`),
  );
  return line;
}

async function showMembers() {
  const { items } = await api(`/api/elements/${id}/members`);
  part("member-list").replaceChildren(...items.map(memberLine));
  part("members").hidden = false;
}

let current;

/** The element no longer exists: say so where it was. */
function gone() {
  const notice = Object.assign(document.createElement("p"), { className: "notice", textContent: "Cette fiche a été supprimée." });
  notice.setAttribute("role", "status");
  document.querySelector("article.element").replaceChildren(notice);
  box.hidden = true;
}

async function start() {
  try {
    current = await api(`/api/elements/${id}/relation`);
  } catch (error) {
    if (error.status === 404) gone();
    return; // 401, signed out after all: the page keeps its invitation to sign in
  }
  if (current.version !== box.dataset.version) await refreshArticle();
  box.querySelector('[data-when="signed-out"]').hidden = true;
  box.querySelector('[data-when="signed-in"]').hidden = false;
  showRelation(current);
  button("follow").addEventListener("click", () =>
    current.follows
      ? act("DELETE", "/follow", () => "Vous ne suivez plus cette fiche.")
      : act("POST", "/follow", () => "Vous suivez cette fiche."),
  );
  button("join")?.addEventListener("click", () =>
    current.member || current.pending
      ? act("DELETE", "/join", () => "Vous n’êtes plus lié·e à cette fiche.")
      : act("POST", "/join", (r) => (r.pending ? "Demande envoyée : un·e administrateur·rice doit l’accepter." : "C’est fait : vous en faites partie.")),
  );
  button("delete").addEventListener("click", async () => {
    if (!confirm("Supprimer définitivement cette fiche ?")) return;
    try {
      await api(`/api/elements/${id}`, { method: "DELETE" });
      gone();
    } catch (error) {
      tell(error.message, true);
    }
  });
  if (current.can_manage_members) await showMembers();
}

if (box && seemsSignedIn()) start();
else if (box) freshCounts();
