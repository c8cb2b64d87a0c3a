// Island: « Mes notifications » on /profil/ — the bell's list (newest first), mark all read, and
// the mail cadence of each kind (PATCH /api/me {"notifications": …}).
import { api, say, seemsSignedIn } from "./api.js";

const section = document.getElementById("notifications");
const list = section?.querySelector('[data-list="notifications"]');
const status = document.getElementById("notifications-status");
const readAll = document.getElementById("notifications-read");
const form = document.getElementById("cadence-form");
const error = document.getElementById("profile-error");
let newest = null;

async function show() {
  const page = await api("/api/me/notifications?limit=30");
  list.replaceChildren();
  for (const n of page.items) {
    const line = Object.assign(document.createElement("li"), { className: n.read ? "" : "unread" });
    const link = Object.assign(document.createElement("a"), { href: n.url, textContent: n.text });
    const when = new Date(n.created_at).toLocaleString("fr-FR", { dateStyle: "long", timeStyle: "short" });
    line.append(link, Object.assign(document.createElement("span"), { className: "hint", textContent: ` · ${when}${n.read ? "" : " · non lue"}` }));
    list.append(line);
  }
  if (!page.items.length) list.append(Object.assign(document.createElement("li"), { textContent: "Rien pour l’instant." }));
  newest = page.items[0]?.id ?? null;
  readAll.hidden = page.unread === 0;
  say(status, error, page.unread ? `${page.unread} non lue${page.unread > 1 ? "s" : ""}.` : "");
}

async function load() {
  if (!seemsSignedIn()) return;
  try {
    const me = await api("/api/me");
    for (const [kind, cadence] of Object.entries(me.notifications ?? {})) {
      const select = form.querySelector(`select[name="${kind}"]`);
      if (select) select.value = cadence;
    }
    await show();
  } catch (e) {
    if (e.status !== 401) say(status, error, e.message, true);
  }
}

if (section) {
  readAll.addEventListener("click", async () => {
    try {
      if (newest) await api("/api/me/notifications/read", { method: "POST", body: { up_to: newest } });
      await show();
      say(status, error, "Tout est lu.");
      document.querySelector(".bell")?.remove();
    } catch (e) {
      say(status, error, e.message, true);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const notifications = Object.fromEntries([...form.querySelectorAll("select")].map((s) => [s.name, s.value]));
    try {
      await api("/api/me", { method: "PATCH", body: { notifications } });
      say(status, error, "Vos choix de courriels sont enregistrés.");
    } catch (e) {
      say(status, error, e.message, true);
    }
  });
  load();
}
