// Island: pledge on a feature. One Idempotency-Key per intended pledge, kept across retries
// (a double click or a lost answer makes one pledge); a pending pledge goes to the page where
// the backer saves a card.
import { api, say, seemsSignedIn } from "./api.js";
import { centsOf, euros } from "./money.js";

const form = document.getElementById("pledge-form");
const tell = (message, isError = false) => say(document.getElementById("pledge-status"), document.getElementById("pledge-error"), message, isError);
let key = crypto.randomUUID();

/** What the backer is told once their pledge counts, as it stands now. */
function placed(status, cents) {
  switch (status) {
    case "charged": return `Merci ! L’objectif est atteint : la fonctionnalité est financée, et ${euros(cents)} vous ont été prélevés.`;
    case "charging": return `Merci ! L’objectif est atteint : la fonctionnalité est financée ; le prélèvement de ${euros(cents)} est en cours.`;
    case "charge_failed": return `L’objectif est atteint, mais le prélèvement de ${euros(cents)} a été refusé par votre banque : voyez votre profil.`;
    default: return `Merci ! Votre engagement de ${euros(cents)} compte. Rien n’est prélevé avant que l’objectif soit atteint.`;
  }
}

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
    tell(placed(body.status, amount_cents));
    if (body.feature) {
      document.getElementById("pledged").textContent = euros(body.feature.pledged_cents);
      const left = body.feature.goal_cents - body.feature.pledged_cents;
      if (left > 0) form.elements.amount.max = String(Math.ceil(left / 100));
      else {
        // Funded: no more pledges, and no more « nothing is charged » beside what was.
        form.closest("section").hidden = true;
        const badge = document.querySelector(".badge");
        badge.textContent = "Financée";
        badge.dataset.status = "funded";
      }
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
const saved = new URLSearchParams(location.search).get("engagement");
if (saved) {
  // Back from saving a card: the pledge as it stands (its card may be charged already, when it
  // reached the goal).
  api("/api/pledges")
    .then(({ items }) => {
      const mine = items.find((p) => p.id === saved);
      tell(mine ? `Votre carte est enregistrée. ${placed(mine.status, mine.amount_cents)}` : "Votre carte est enregistrée : votre engagement compte.");
    })
    .catch(() => tell("Votre carte est enregistrée : votre engagement compte."));
}
