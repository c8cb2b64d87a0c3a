// Island: the header's account link — "Se connecter", or the signed-in person's space and a
// sign-out button. A signed-in person's commune (profile) becomes this browser's territory when
// none is chosen here.
import { api, seemsSignedIn } from "./api.js";
import { remember, territory } from "./territory.js";

const slot = document.querySelector('[data-island="session"]');

async function showSession() {
  if (!seemsSignedIn()) return; // anonymous visitors cost no request
  try {
    const me = await api("/api/me");
    const link = slot.querySelector("a");
    link.href = "/profil/";
    link.textContent = me.display_name ? `Mon espace (${me.display_name})` : "Mon espace";
    if (location.pathname === "/profil/") link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
    const out = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "Se déconnecter" });
    out.addEventListener("click", async () => {
      await api("/api/auth/logout", { method: "POST" }).catch(() => {});
      location.assign("/");
    });
    slot.after(Object.assign(document.createElement("li"), { className: "sign-out" }));
    slot.nextElementSibling.append(out);
    slot.dataset.state = "signed-in";
    bell().catch(() => {}); // the bell is a nicety: the account link stands without it
    if (me.home_scope && !territory()) {
      remember(me.home_scope);
      // A page drawn from the territory (the home, a list, the map) is drawn again from it.
      const query = new URLSearchParams(location.search);
      const placed = query.has("ou") || query.has("scope");
      if (!placed && document.querySelector('.place-bar, [data-island="territory"], #map-list')) location.reload();
    }
  } catch {
    slot.dataset.state = "signed-out";
  }
}

/** The bell: unread notifications, beside the account link, leading to them. */
async function bell() {
  const { unread } = await api("/api/me/notifications?limit=1");
  const item = Object.assign(document.createElement("li"), { className: "bell-slot" });
  const link = Object.assign(document.createElement("a"), { href: "/profil/#notifications", className: unread ? "bell" : "" });
  // A drawn bell (no emoji font needed), and the count in words for those who hear the page.
  link.innerHTML = '<svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/></svg>';
  if (unread) link.append(` ${unread}`);
  link.setAttribute("aria-label", unread ? `Notifications : ${unread} non lue${unread > 1 ? "s" : ""}` : "Notifications : aucune non lue");
  item.append(link);
  slot.before(item);
}

if (slot) showSession();

// The app installed and the pages last visited readable offline (/sw.js).
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
