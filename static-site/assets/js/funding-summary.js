// Island: the home page's funding counters, latest ledger entries and head hash.
import { api } from "./api.js";
import { euros, showSummary } from "./money.js";

const KINDS = { gift: "Don", charge: "Engagement prélevé", refund: "Remboursement", release: "Engagement libéré", expense: "Dépense", allocation: "Attribution" };

async function showLatest() {
  const list = document.querySelector('[data-island="ledger-latest"]');
  if (!list) return;
  try {
    const latest = await api("/api/ledger/latest?limit=3");
    list.replaceChildren(...latest.items.map((e) => {
      const item = document.createElement("li");
      item.textContent = `${new Date(e.at).toLocaleDateString("fr-FR")} · ${KINDS[e.kind] ?? e.kind} · ${euros(e.amount_cents)}`;
      return item;
    }));
    if (!latest.items.length) list.innerHTML = "<li>Aucune écriture pour l’instant.</li>";
    document.getElementById("ledger-head").textContent = latest.head;
  } catch {
    list.dataset.state = "down";
  }
}

showSummary();
showLatest();
