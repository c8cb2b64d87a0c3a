// Island: import a file (POST /api/imports). A check first (dry run), whose report names each
// refused row; then the import, with the upload's progress. The server decides who may import.
import { seemsSignedIn, say } from "./api.js";

const form = document.getElementById("import-form");
const run = document.getElementById("import-run");
const working = document.getElementById("import-working");
const progress = document.getElementById("import-progress");
const step = document.getElementById("import-step");
const tell = (message, isError = false) => say(document.getElementById("import-status"), document.getElementById("import-error"), message, isError);
const FORMATS = { csv: "csv", geojson: "geojson", json: "communecter" };
const TYPES = { csv: "text/csv", geojson: "application/geo+json", communecter: "application/json" };

/** Sends the file; resolves to [status, body]. XHR, for the upload's progress. */
function send(dryRun) {
  const file = form.elements.file.files[0];
  const format = form.elements.format.value;
  const query = new URLSearchParams({ format });
  if (dryRun) query.set("dry_run", "true");
  if (form.elements.source.value.trim()) query.set("source", form.elements.source.value.trim());
  if (form.elements.into.value.trim()) query.set("into", form.elements.into.value.trim());
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/imports?${query}`);
    request.setRequestHeader("content-type", TYPES[format]);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.upload.addEventListener("load", () => {
      progress.removeAttribute("value"); // the server reads and checks: no measure, still working
      step.textContent = dryRun ? "Vérification des lignes…" : "Import des lignes…";
    });
    request.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {}
      resolve([request.status, body]);
    });
    request.addEventListener("error", () => reject(new Error("Le serveur ne répond pas.")));
    request.send(file);
  });
}

function show(report) {
  const section = document.getElementById("import-report");
  const set = (name, value) => (section.querySelector(`[data-field="${name}"]`).textContent = value);
  for (const key of ["rows", "accepted", "created", "updated"]) set(key, report[key]);
  set("kept", report.kept.length);
  set("created-label", report.dry_run ? "à créer" : "créées");
  set("updated-label", report.dry_run ? "à mettre à jour" : "mises à jour");
  const fill = (id, rows, cells) => {
    const body = document.getElementById(id);
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement("tr");
        for (const value of cells(row)) {
          const td = document.createElement("td");
          td.textContent = value ?? "—";
          tr.append(td);
        }
        return tr;
      }),
    );
    document.getElementById(`${id}-wrap`).hidden = rows.length === 0;
  };
  fill("rejected", report.rejected, (r) => [r.row, r.field, r.reason]);
  fill("duplicates", report.duplicates, (d) => [d.row, d.same_as_row, d.source_id]);
  section.hidden = false;
  document.getElementById("rapport").focus();
}

async function go(dryRun) {
  if (!form.reportValidity()) return;
  working.hidden = false;
  progress.value = 0;
  step.textContent = "Envoi du fichier…";
  tell("");
  run.disabled = true;
  try {
    const [status, body] = await send(dryRun);
    if (status !== 200) {
      const message = status === 403
        ? "Importer est réservé aux administrateur·ices de l’instance, ou de la fiche pour son réseau."
        : body?.error?.message ?? `Erreur ${status}`;
      const where = body?.error?.field && body.error.field !== "file" ? ` (${body.error.field})` : "";
      tell(message + where, true);
      return;
    }
    show(body);
    if (dryRun) {
      run.disabled = body.accepted === 0;
      tell(`Vérification faite : ${body.accepted} ligne(s) prête(s), ${body.rejected.length} refusée(s). Rien n’a été écrit.`);
    } else {
      tell(`Import terminé : ${body.created} fiche(s) créée(s), ${body.updated} mise(s) à jour.`);
    }
  } catch (error) {
    tell(error.message, true);
  } finally {
    working.hidden = true;
  }
}

if (form && seemsSignedIn()) {
  document.querySelector('[data-when="signed-out"]').hidden = true;
  form.hidden = false;
  const into = new URLSearchParams(location.search).get("dans");
  if (into) form.elements.into.value = into;
  form.elements.file.addEventListener("change", () => {
    const name = form.elements.file.files[0]?.name ?? "";
    const format = FORMATS[name.split(".").pop().toLowerCase()];
    if (format) form.elements.format.value = format;
    run.disabled = true; // a new file is checked first
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(true);
  });
  run.addEventListener("click", () => go(false));
}
