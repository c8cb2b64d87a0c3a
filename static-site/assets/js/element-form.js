// Island: the "Référencer" form. Creates an element (POST /api/elements) or, with
// `?fiche=<id>`, edits one (PATCH). The server checks everything; its field errors are shown
// next to the field they name, and nothing typed is lost on an error.
import { api, say, seemsSignedIn } from "./api.js";

const form = document.getElementById("element-form");
const field = (name) => document.getElementById(name);
const tell = (message, isError = false) => say(field("form-status"), field("form-error"), message, isError);
const editing = new URLSearchParams(location.search).get("fiche");
let original; // the element being edited

/** Shows the type choices and the blocks of the chosen kind only. */
function showKind() {
  const kind = field("kind").value;
  const type = field("type");
  let first;
  for (const option of type.options) {
    option.hidden = option.disabled = option.dataset.kind !== kind;
    if (!option.hidden) first ??= option;
  }
  type.disabled = !first;
  if (type.selectedOptions[0]?.hidden) type.value = first?.value ?? "";
  for (const block of form.querySelectorAll("[data-kinds]")) block.hidden = !block.dataset.kinds.split(" ").includes(kind);
}

const text = (name) => field(name).value.trim() || null;
/** `datetime-local` is the visitor's local time; the API takes RFC 3339. */
const instant = (name) => (field(name).value ? new Date(field(name).value).toISOString() : null);
const local = (rfc3339) => {
  if (!rfc3339) return "";
  const d = new Date(rfc3339);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
function number(name) {
  const value = text(name);
  return value === null ? null : Number(value.replace(",", "."));
}

/** The commune's INSEE code: a picked suggestion ends with it; else the best match. */
async function communeCode() {
  const typed = field("ou").value.trim();
  if (/^\d[\dAB]\d{3}$/.test(typed)) return typed;
  if (typed.includes(" — ")) return typed.split(" — ").pop();
  if (!typed) return "";
  const { items } = await api(`/api/zones?q=${encodeURIComponent(typed)}&kind=commune&limit=1`);
  return items[0]?.code ?? typed;
}

async function body() {
  const kind = field("kind").value;
  const data = {
    name: field("name").value.trim(),
    type: field("type").disabled ? null : field("type").value,
    short_description: text("short_description"),
    description: text("description"),
    tags: field("tags").value.split(",").map((t) => t.trim()).filter(Boolean),
    address: { commune_code: await communeCode(), street: text("street"), postal_code: text("postal_code") },
    lat: number("lat"),
    lon: number("lon"),
    url: text("url"),
    email: text("email"),
    phone: text("phone"),
  };
  if (kind === "event") Object.assign(data, { start: instant("start"), end: instant("end") });
  if (kind === "project") data.stage = text("stage");
  if (kind === "classified") {
    const price = number("price");
    Object.assign(data, { section: text("section"), price_cents: price === null ? null : Math.round(price * 100), contact: text("contact") });
  }
  if (!form.querySelector("[data-admin]").hidden) {
    Object.assign(data, { open_edition: field("open_edition").checked, requires_approval: field("requires_approval").checked });
  }
  if (!editing) data.kind = kind;
  else if (data.lat === original.lat && data.lon === original.lon) {
    delete data.lat; // unchanged: let a change of commune move the element with it
    delete data.lon;
  }
  return data;
}

/** The form control an API error names (`address.commune_code` → the commune box). */
function controlFor(name) {
  const ids = { commune_code: "ou", "address.commune_code": "ou", price_cents: "price", "address.street": "street", "address.postal_code": "postal_code" };
  return field(ids[name] ?? name);
}

async function submit(event) {
  event.preventDefault();
  form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  tell("Enregistrement…");
  try {
    const saved = editing
      ? await api(`/api/elements/${encodeURIComponent(editing)}`, { method: "PATCH", body: await body() })
      : await api("/api/elements", { method: "POST", body: await body() });
    tell("Fiche enregistrée. Ouverture de sa page…");
    location.assign(saved.page);
  } catch (error) {
    const control = error.field && controlFor(error.field);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    }
    const label = control && form.querySelector(`label[for="${control.id}"]`)?.textContent;
    tell(label ? `${error.message} (${label})` : error.message, true);
  } finally {
    button.disabled = false;
  }
}

function fill(element) {
  field("kind").value = element.kind;
  field("kind").disabled = true; // a kind is chosen once
  showKind();
  if (element.type) field("type").value = element.type;
  for (const name of ["name", "short_description", "description", "url", "email", "phone", "stage", "section", "contact"]) {
    field(name).value = element[name] ?? "";
  }
  field("tags").value = element.tags.join(", ");
  field("ou").value = `${element.address.locality ?? ""} — ${element.address.commune_code}`;
  field("street").value = element.address.street ?? "";
  field("postal_code").value = element.address.postal_code ?? "";
  field("lat").value = element.lat ?? "";
  field("lon").value = element.lon ?? "";
  field("start").value = local(element.start);
  field("end").value = local(element.end);
  field("price").value = element.price_cents == null ? "" : String(element.price_cents / 100).replace(".", ",");
  field("open_edition").checked = element.open_edition;
  field("requires_approval").checked = element.requires_approval;
  field("titre").textContent = `Modifier « ${element.name} »`;
  document.title = `Modifier « ${element.name} » · Communs`;
}

async function start() {
  if (!seemsSignedIn()) return;
  document.querySelector('[data-when="signed-out"]').hidden = true;
  field("kind").addEventListener("change", showKind);
  form.addEventListener("submit", submit);
  showKind();
  if (editing) {
    try {
      const [element, relation] = await Promise.all([
        api(`/api/elements/${encodeURIComponent(editing)}`),
        api(`/api/elements/${encodeURIComponent(editing)}/relation`),
      ]);
      if (!relation.can_edit) {
        tell("Seuls les administrateurs de cette fiche peuvent la modifier.", true);
        return;
      }
      original = element;
      fill(element);
      // Who may edit and join is for the element's admins to decide.
      form.querySelector("[data-admin]").hidden = !relation.can_manage_members;
    } catch (error) {
      tell(error.message, true);
      return;
    }
  }
  form.hidden = false;
}

if (form) start();
