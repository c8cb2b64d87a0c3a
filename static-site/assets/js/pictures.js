// Island: an element's pictures for who may edit it. The picture is resized here before it is
// sent (the server never decodes a big image): at most 1 600 px (a logo 512 px), and a small
// variant of 320 px for lists and maps, both re-encoded by the browser, which also leaves any
// metadata behind; the server strips what might remain and checks the type by the bytes.
import { say } from "./api.js";

const box = document.querySelector('[data-island="element"]');
const slot = box?.querySelector("[data-picture-slot]");
const poster = slot?.dataset.kind === "event" ? "Affiche" : "Bannière";
// The form is written here, not in the page: it works only with this script (the resizing),
// and every element page is smaller without it.
if (slot) {
  slot.innerHTML = `<form class="picture-form" data-picture-form hidden aria-labelledby="images">
    <h3 id="images">Ajouter une image</h3>
    <p class="hint">JPEG, PNG ou WebP. L’image est réduite dans votre navigateur avant l’envoi ; sa position GPS et ses autres métadonnées ne sont jamais publiées.</p>
    <label for="picture-role">Type d’image</label>
    <select id="picture-role" name="role">
      <option value="photo">Photo</option>
      <option value="logo">Logo (remplace l’actuel)</option>
      <option value="banner">${poster} (remplace l’actuelle)</option>
    </select>
    <label for="picture-file">Fichier</label>
    <input id="picture-file" name="file" type="file" accept="image/jpeg,image/png,image/webp" required>
    <label for="picture-alt">Description de l’image <span class="hint">(obligatoire pour une photo : ce qu’elle montre, pour qui ne la voit pas)</span></label>
    <input id="picture-alt" name="alt" type="text" maxlength="250">
    <button type="submit">Envoyer l’image</button>
    <progress data-picture-progress hidden></progress>
  </form>`;
}
const form = box?.querySelector("[data-picture-form]");
const { id, slug } = box?.dataset ?? {};
const tell = (message, isError = false) => say(box.querySelector("[data-status]"), box.querySelector("[data-error]"), message, isError);

/** `file` drawn at most `max` pixels on its longer side, as a Blob of its type (PNG stays PNG). */
async function resized(file, max) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const type = file.type === "image/png" ? "image/png" : file.type === "image/webp" ? "image/webp" : "image/jpeg";
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Cette image ne se lit pas."))), type, 0.85));
}

async function send(event) {
  event.preventDefault();
  const file = form.querySelector("#picture-file").files[0];
  const role = form.querySelector("#picture-role").value;
  const alt = form.querySelector("#picture-alt").value.trim();
  if (!file) return tell("Choisissez un fichier.", true);
  if (role === "photo" && !alt) {
    form.querySelector("#picture-alt").focus();
    return tell("Décrivez la photo en quelques mots : c’est ce que liront les personnes qui ne la voient pas.", true);
  }
  const progress = form.querySelector("[data-picture-progress]");
  progress.hidden = false;
  tell("Préparation de l’image…");
  try {
    const data = new FormData();
    data.append("file", await resized(file, role === "logo" ? 512 : 1600), file.name);
    data.append("small", await resized(file, role === "logo" ? 128 : 320), file.name);
    data.append("role", role);
    if (alt) data.append("alt", alt);
    tell("Envoi de l’image…");
    const response = await fetch(`/api/elements/${encodeURIComponent(id)}/images`, { method: "POST", body: data, credentials: "same-origin" });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(body?.error?.message ?? `Erreur ${response.status}`);
    tell("Image ajoutée.");
    // The page as it is now, with its new picture.
    location.assign(`/e/${encodeURIComponent(slug)}/actuel/`);
  } catch (error) {
    tell(error.message === "Failed to fetch" ? "L’envoi a échoué : vérifiez votre connexion." : error.message, true);
  } finally {
    progress.hidden = true;
  }
}

/** A « Retirer » button beside each picture, for who may edit. */
function removable() {
  for (const shown of document.querySelectorAll("article.element [data-picture]")) {
    if (shown.parentElement.querySelector(`button[data-remove="${shown.dataset.picture}"]`)) continue;
    const button = Object.assign(document.createElement("button"), { type: "button", className: "link danger", textContent: "Retirer l’image" });
    button.dataset.remove = shown.dataset.picture;
    // Several such buttons on a page: each says which picture it removes.
    const img = shown.tagName === "IMG" ? shown : shown.querySelector("img");
    const what = img?.alt || (img?.classList.contains("logo") ? "le logo" : img?.classList.contains("banner") ? "la bannière" : "");
    if (what) button.setAttribute("aria-label", `Retirer l’image : ${what}`);
    button.addEventListener("click", async () => {
      const response = await fetch(`/api/images/${encodeURIComponent(shown.dataset.picture)}`, { method: "DELETE", credentials: "same-origin" });
      if (response.status === 204) location.assign(`/e/${encodeURIComponent(slug)}/actuel/`);
      else tell((await response.json().catch(() => null))?.error?.message ?? `Erreur ${response.status}`, true);
    });
    shown.after(button);
  }
}

if (form) {
  form.addEventListener("submit", send);
  box.addEventListener("relation", (event) => {
    form.hidden = !event.detail.can_edit;
    if (event.detail.can_edit) removable();
  });
}
