// Island: the profile page — show and change one's profile, export one's data, sign out, erase.
import { api, say, seemsSignedIn } from "./api.js";

const status = document.getElementById("profile-status");
const error = document.getElementById("profile-error");
const form = document.getElementById("profile-form");
const $ = (id) => document.getElementById(id);

function fill(me) {
  $("profile-email").textContent = me.email;
  $("display_name").value = me.display_name ?? "";
  const [kind, code] = (me.home_scope ?? "commune:").split(":");
  $(kind === "postal" ? "scope-postal" : "scope-commune").checked = true;
  $("scope_code").value = code;
  for (const box of form.querySelectorAll('input[name="public_fields"]')) box.checked = me.public_fields.includes(box.value);
}

function showSignedOut() {
  $("signed-out").hidden = false;
  say(status, error, "");
}

async function load() {
  if (!seemsSignedIn()) return showSignedOut();
  try {
    fill(await api("/api/me"));
    $("profile").hidden = false;
    say(status, error, "");
  } catch (e) {
    if (e.status === 401) showSignedOut();
    else say(status, error, e.message, true);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = $("scope_code").value.trim().toUpperCase();
  const kind = form.querySelector('input[name="scope_kind"]:checked').value;
  const body = {
    display_name: $("display_name").value.trim() || null,
    home_scope: code ? `${kind}:${code}` : null,
    public_fields: [...form.querySelectorAll('input[name="public_fields"]:checked')].map((b) => b.value),
  };
  try {
    fill(await api("/api/me", { method: "PATCH", body }));
    say(status, error, "Profil enregistré.");
  } catch (e) {
    const field = { home_scope: "scope_code", display_name: "display_name" }[e.field];
    const message = e.field === "home_scope" ? "Ce code de commune ou ce code postal n’est pas valide." : e.message;
    say(status, error, message, true);
    if (field) $(field).focus();
  }
});

$("export").addEventListener("click", async () => {
  try {
    const data = await api("/api/me/export");
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "communs-mes-donnees.json" });
    link.click();
    URL.revokeObjectURL(link.href);
    say(status, error, "Vos données ont été téléchargées.");
  } catch (e) {
    say(status, error, e.message, true);
  }
});

$("logout").addEventListener("click", async () => {
  await api("/api/auth/logout", { method: "POST" }).catch(() => {});
  location.assign("/");
});

$("confirm-delete").addEventListener("change", (event) => ($("delete").disabled = !event.target.checked));
$("delete").addEventListener("click", async () => {
  try {
    await api("/api/me", { method: "DELETE" });
    location.assign("/");
  } catch (e) {
    say(status, error, e.message, true);
  }
});

load();
