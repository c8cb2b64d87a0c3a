// Island: the header's account link — "Se connecter", or the signed-in person's profile.
import { api, seemsSignedIn } from "./api.js";

const slot = document.querySelector('[data-island="session"]');

async function showSession() {
  if (!seemsSignedIn()) return; // anonymous visitors cost no request
  try {
    const me = await api("/api/me");
    const link = slot.querySelector("a");
    link.href = "/profil/";
    link.textContent = `Mon profil (${me.display_name ?? me.email})`;
    link.toggleAttribute("aria-current", location.pathname === "/profil/");
    if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
    slot.dataset.state = "signed-in";
  } catch {
    slot.dataset.state = "signed-out";
  }
}

if (slot) showSession();
