// Island: "Mes dons et engagements" on the profile. Stops a monthly gift, withdraws a pledge
// while its feature is not funded, moves a released pledge to a feature still funding.
import { api, say, seemsSignedIn } from "./api.js";
import { euros } from "./money.js";

const $ = (id) => document.getElementById(id);
const tell = (message, isError = false) => say($("funding-status"), $("funding-error"), message, isError);
const PLEDGE = {
  pending: "en attente d’une carte", committed: "engagé (rien n’est prélevé avant l’objectif)", charging: "prélèvement en cours",
  charged: "prélevé", charge_failed: "prélèvement refusé", refunded: "remboursé", withdrawn: "retiré", released: "libéré (échéance passée)",
};
const GIFT = { pending: "en attente de paiement", confirmed: "reçu", active: "en cours", canceled: "arrêté" };

function button(label, onClick, className) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener("click", onClick);
  return b;
}

async function act(promise, done) {
  try {
    await promise;
    tell(done);
    await show();
  } catch (error) {
    tell(error.message, true);
  }
}

async function show() {
  const [gifts, pledges, open] = await Promise.all([api("/api/donations"), api("/api/pledges"), api("/api/features?status=funding")]);
  $("my-gifts").replaceChildren(...gifts.items.map((d) => {
    const li = document.createElement("li");
    li.append(`${new Date(d.created_at).toLocaleDateString("fr-FR")} · ${euros(d.amount_cents)}${d.recurring === "monthly" ? " par mois" : ""} · ${GIFT[d.status] ?? d.status}`);
    if (d.status === "active") li.append(button("Arrêter ce don mensuel", () => act(api(`/api/donations/${d.id}`, { method: "DELETE" }), "Votre don mensuel est arrêté."), "danger"));
    return li;
  }));
  if (!gifts.items.length) $("my-gifts").innerHTML = '<li>Aucun don pour l’instant. <a href="/don/">Faire un don</a></li>';
  $("my-pledges").replaceChildren(...pledges.items.map((p) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/financer/${p.feature_id}/`;
    link.textContent = p.feature_title ?? p.feature_id;
    li.append(link, ` · ${euros(p.amount_cents)} · ${PLEDGE[p.status] ?? p.status}`);
    if (p.charge_error) li.append(` (${p.charge_error}${p.next_attempt_at ? `, nouvel essai le ${new Date(p.next_attempt_at).toLocaleString("fr-FR")}` : ""})`);
    if (p.status === "pending" || p.status === "committed") {
      li.append(button("Retirer", () => act(api(`/api/pledges/${p.id}`, { method: "DELETE" }), "Engagement retiré."), "danger"));
    }
    const targets = open.items.filter((f) => f.id !== p.feature_id);
    if (p.status === "released" && targets.length) {
      const select = document.createElement("select");
      select.id = `move-${p.id}`;
      select.append(...targets.map((f) => new Option(f.title, f.id)));
      const label = document.createElement("label");
      label.htmlFor = select.id;
      label.textContent = "Reporter sur";
      li.append(label, select, button("Reporter", () => act(api(`/api/pledges/${p.id}/move`, { method: "POST", body: { feature_id: select.value } }), "Engagement reporté.")));
    }
    return li;
  }));
  if (!pledges.items.length) $("my-pledges").innerHTML = '<li>Aucun engagement. <a href="/financer/">Voir les fonctionnalités à financer</a></li>';
  $("my-funding").hidden = false;
}

if (seemsSignedIn()) show().catch((error) => tell(error.message, true));
