// Island: the donate form. Creates a pending donation (POST /api/donations) and goes to the
// provider's checkout page; back with `?merci=<id>`, thanks the donor.
import { api, say, seemsSignedIn } from "./api.js";
import { centsOf, euros, showSummary } from "./money.js";

const form = document.getElementById("donate-form");
const tell = (message, isError = false) => say(document.getElementById("donate-status"), document.getElementById("donate-error"), message, isError);

function chosenCents() {
  const other = form.elements.amount;
  if (other.value.trim() !== "") return centsOf(other);
  return Number(form.querySelector('input[name="preset"]:checked')?.value ?? 0) * 100;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const amount_cents = chosenCents();
  const recurring = form.querySelector('input[name="recurring"]:checked').value;
  if (!Number.isInteger(amount_cents) || amount_cents < 100) {
    tell("Indiquez un montant d’au moins 1 €.", true);
    form.elements.amount.focus();
    return;
  }
  form.querySelector("button[type=submit]").disabled = true;
  tell("Préparation du paiement…");
  try {
    const donation = await api("/api/donations", { method: "POST", body: { amount_cents, recurring } });
    location.assign(donation.checkout_url);
  } catch (error) {
    tell(error.message, true);
    if (error.field === "amount_cents") form.elements.amount.focus();
    form.querySelector("button[type=submit]").disabled = false;
  }
});

// Typing an amount unselects the presets, so what is sent is what is seen.
form.elements.amount.addEventListener("input", () => {
  for (const preset of form.querySelectorAll('input[name="preset"]')) preset.checked = false;
});

async function thank(id) {
  try {
    const mine = await api("/api/donations");
    const gift = mine.items.find((d) => d.id === id);
    if (gift && gift.status !== "pending") {
      const how = gift.recurring === "monthly" ? `${euros(gift.amount_cents)} par mois` : euros(gift.amount_cents);
      tell(`Merci ! Votre don de ${how} est bien reçu.`);
    } else {
      tell("Merci ! Votre paiement est en cours de confirmation : il apparaîtra dans votre profil.");
    }
  } catch {
    tell("Merci pour votre don !");
  }
}

if (seemsSignedIn()) {
  document.querySelector('[data-when="signed-out"]').hidden = true;
  form.hidden = false;
}
const thanked = new URLSearchParams(location.search).get("merci");
if (thanked) thank(thanked);
showSummary();
