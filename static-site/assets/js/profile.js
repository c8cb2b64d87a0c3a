// Island: the profile page — show and change one's profile, export one's data, sign out, erase.
import { api, ApiError, say, seemsSignedIn } from "./api.js";
import { remember } from "./territory.js";

const status = document.getElementById("profile-status");
const error = document.getElementById("profile-error");
const form = document.getElementById("profile-form");
const $ = (id) => document.getElementById(id);

async function fill(me) {
  $("profile-email").textContent = me.email;
  $("display_name").value = me.display_name ?? "";
  const home = me.home_scope ? await api(`/api/zones/${me.home_scope}`).catch(() => null) : null;
  $("home_place").value = home?.label ?? "";
  for (const box of form.querySelectorAll('input[name="public_fields"]')) box.checked = me.public_fields.includes(box.value);
}

function showSignedOut() {
  $("signed-out").hidden = false;
  say(status, error, "");
}

async function load() {
  if (!seemsSignedIn()) return showSignedOut();
  try {
    await fill(await api("/api/me"));
    $("profile").hidden = false;
    say(status, error, "");
  } catch (e) {
    if (e.status === 401) showSignedOut();
    else say(status, error, e.message, true);
  }
}

/** The zone id of the commune or postal code typed: the one whose label (a suggestion picked)
 * or name it is, or the only one found; never a guess among namesakes. */
async function homeScope() {
  const typed = $("home_place").value.trim();
  if (!typed) return null;
  const refuse = (message) => {
    throw new ApiError(400, { error: { message, field: "home_scope" } });
  };
  const { items } = await api(`/api/zones?q=${encodeURIComponent(typed)}&limit=20`);
  const homes = items.filter((z) => z.kind === "commune" || z.kind === "postal");
  const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[-’']/g, " ").toLowerCase();
  const named = homes.filter((z) => z.label === typed || z.code === typed.toUpperCase() || fold(z.name) === fold(typed));
  const found = named.length ? named : homes;
  if (found.length === 1) return found[0].id;
  if (!found.length) refuse(`Aucune commune ni code postal ne s’appelle « ${typed} ».`);
  refuse(`Plusieurs lieux correspondent à « ${typed} » : choisissez dans la liste, par exemple « ${found[0].label} » ou « ${found[1].label} ».`);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const body = {
      display_name: $("display_name").value.trim() || null,
      home_scope: await homeScope(),
      public_fields: [...form.querySelectorAll('input[name="public_fields"]:checked')].map((b) => b.value),
    };
    const me = await api("/api/me", { method: "PATCH", body });
    remember(me.home_scope ?? null);
    await fill(me);
    say(status, error, "Profil enregistré.");
  } catch (e) {
    const field = { home_scope: "home_place", display_name: "display_name" }[e.field];
    const message = e.message;
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
