// Island: the development stand-in for the provider's hosted pages. `?don=<id>` pays a gift,
// `?engagement=<id>` saves a test card for a pledge; both send the webhook the provider's
// signed events (through /api/dev/…), then come back as the provider would.
import { api, say } from "./api.js";
import { euros } from "./money.js";

const $ = (id) => document.getElementById(id);
const tell = (message, isError = false) => say($("checkout-status"), $("checkout-error"), message, isError);
const query = new URLSearchParams(location.search);

async function open() {
  const gift = query.get("don");
  const pledge = query.get("engagement");
  try {
    if (gift) {
      const d = await api(`/api/dev/checkout/${encodeURIComponent(gift)}`);
      $("checkout-what").textContent = `Don de ${euros(d.amount_cents)}${d.recurring === "monthly" ? " par mois" : ""}.`;
      $("checkout-pay").textContent = "Payer (test)";
      $("checkout-pay").onclick = () => act(`/api/dev/checkout/${encodeURIComponent(gift)}/pay`, () => `/don/?merci=${encodeURIComponent(gift)}`);
    } else if (pledge) {
      const p = await api(`/api/dev/setup/${encodeURIComponent(pledge)}`);
      $("checkout-what").textContent = `Enregistrer une carte pour votre engagement de ${euros(p.amount_cents)} sur « ${p.feature_title} ». Rien n’est prélevé maintenant.`;
      $("checkout-pay").textContent = "Enregistrer la carte de test";
      $("checkout-pay").onclick = () => act(`/api/dev/setup/${encodeURIComponent(pledge)}/save`, (saved) => `/financer/${encodeURIComponent(saved.feature_id)}/?engagement=${encodeURIComponent(pledge)}`);
    } else {
      tell("Rien à payer : cette page s’ouvre depuis un don ou un engagement.", true);
      return;
    }
    tell("");
    $("checkout").hidden = false;
  } catch (error) {
    tell(error.status === 404 ? "Cette page n’existe qu’en développement local, pour un paiement en attente." : error.message, true);
  }
}

async function act(path, next) {
  $("checkout-pay").disabled = true;
  tell("Paiement de test en cours…");
  try {
    const result = await api(path, { method: "POST" });
    location.assign(next(result));
  } catch (error) {
    tell(error.message, true);
    $("checkout-pay").disabled = false;
  }
}

open();
