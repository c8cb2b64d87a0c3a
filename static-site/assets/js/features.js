// Island: propose a feature (POST /api/features); the server decides who may (donors and
// admins) and checks every field; its field errors land on the field.
import { api, say, seemsSignedIn } from "./api.js";

const form = document.getElementById("propose-form");
const tell = (message, isError = false) => say(document.getElementById("propose-status"), document.getElementById("propose-error"), message, isError);
const FIELDS = { title: "title", description: "description", goal_cents: "goal", deadline: "deadline" };

if (form && seemsSignedIn()) {
  document.querySelector('[data-when="signed-out"]').hidden = true;
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of form.elements) input.removeAttribute?.("aria-invalid");
    const body = {
      title: form.elements.title.value,
      description: form.elements.description.value,
      goal_cents: Math.round(Number(form.elements.goal.value) * 100),
      deadline: form.elements.deadline.value,
    };
    tell("Envoi…");
    try {
      const feature = await api("/api/features", { method: "POST", body });
      location.assign(feature.url);
    } catch (error) {
      const message = error.status === 403 ? "Proposer est réservé aux donateur·ices (un don dans l’année ou un don mensuel) et aux administrateur·ices." : error.message;
      tell(message, true);
      const input = form.elements[FIELDS[error.field]];
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    }
  });
}
