// Island: the sign-in page. Asks for a link, accepts the typed code, and exchanges the link's
// token (carried in the URL fragment, never sent to a server by the browser) for a session.
import { api, say } from "./api.js";

const status = document.getElementById("sign-in-status");
const error = document.getElementById("sign-in-error");
const askForm = document.getElementById("ask-link");
const codeForm = document.getElementById("enter-code");
const emailInput = document.getElementById("email");

async function verify(body) {
  say(status, error, "Connexion en cours…");
  try {
    await api("/api/auth/verify", { method: "POST", body });
    say(status, error, "Vous êtes connecté·e. Redirection vers votre profil…");
    location.assign("/profil/");
  } catch (e) {
    say(status, error, e.message, true);
  }
}

askForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = emailInput.value.trim();
  if (!email) {
    say(status, error, "Indiquez votre adresse électronique.", true);
    emailInput.focus();
    return;
  }
  try {
    await api("/api/auth/email", { method: "POST", body: { email } });
    say(status, error, `Un message vient d’être envoyé à ${email}. Ouvrez le lien qu’il contient, ou saisissez son code ci-dessous.`);
    codeForm.hidden = false;
    document.getElementById("code").focus();
  } catch (e) {
    say(status, error, e.message, true);
    if (e.field === "email") emailInput.focus();
  }
});

codeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  verify({ email: emailInput.value.trim(), code: document.getElementById("code").value });
});

function tokenFromLink() {
  const token = new URLSearchParams(location.hash.slice(1)).get("jeton");
  if (!token) return;
  history.replaceState(null, "", location.pathname); // the token leaves the address bar at once
  verify({ token });
}

// The mail's link opens this page with the token in its fragment (or changes the fragment of an
// already open one).
window.addEventListener("hashchange", tokenFromLink);
tokenFromLink();
