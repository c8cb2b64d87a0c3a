// Island: pledge on a feature. One Idempotency-Key per intended pledge, kept across retries
// (a double click or a lost answer makes one pledge); a pending pledge goes to the page where
// the backer saves a card.
import { api, say, seemsSignedIn } from "./api.js";
import { centsOf, euros } from "./money.js";

const form = document.getElementById("pledge-form");
const tell = (message, isError = false) => say(document.getElementById("pledge-status"), document.getElementById("pledge-error"), message, isError);
let key = crypto.randomUUID();

async function pledge(event) {
  event.preventDefault();
  const amount_cents = centsOf(form.elements.amount);
  if (!Number.isInteger(amount_cents) || amount_cents < 100) {
    tell("Indiquez un montant d’au moins 1 €.", true);
    form.elements.amount.focus();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  tell("Enregistrement de votre engagement…");
  try {
    const response = await fetch(`/api/features/${form.dataset.feature}/pledges`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "idempotency-key": key },
      body: JSON.stringify({ amount_cents }),
    });
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `Erreur ${response.status}`), { field: body?.error?.field });
    key = crypto.randomUUID();
    if (body.status === "pending" && body.setup_url) {
      tell("Redirection vers l’enregistrement de votre carte…");
      location.assign(body.setup_url);
      return;
    }
    const funded = body.feature?.status === "funded";
    tell(`Merci ! Votre engagement de ${euros(amount_cents)} compte.${funded ? " L’objectif est atteint : la fonctionnalité est financée." : ""}`);
    if (body.feature) {
      document.getElementById("pledged").textContent = euros(body.feature.pledged_cents);
    }
    form.reset();
  } catch (error) {
    tell(error.message, true);
    if (error.field === "amount_cents") form.elements.amount.focus();
  } finally {
    button.disabled = false;
  }
}

if (form && seemsSignedIn()) {
  document.querySelector('[data-when="signed-out"]').hidden = true;
  form.hidden = false;
  form.addEventListener("submit", pledge);
}
if (new URLSearchParams(location.search).get("engagement")) {
  tell("Votre carte est enregistrée : votre engagement compte. Rien ne sera prélevé avant que l’objectif soit atteint.");
}
