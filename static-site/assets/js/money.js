// Shared by the funding islands: amounts the French way, and the public counters.
import { api } from "./api.js";

const euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const count = new Intl.NumberFormat("fr-FR");

/** "1 234,50 €" from cents. */
export const euros = (cents) => euro.format(cents / 100);

/** Whole euros typed in a field, as cents; NaN when not a whole number. */
export function centsOf(input) {
  const text = input.value.trim().replace(",", ".");
  const value = Number(text);
  return text !== "" && Number.isFinite(value) ? Math.round(value * 100) : NaN;
}

/** Fills every `[data-island="funding"]` list from /api/funding/summary. */
export async function showSummary() {
  const lists = document.querySelectorAll('[data-island="funding"]');
  if (!lists.length) return;
  try {
    const summary = await api("/api/funding/summary");
    for (const list of lists) {
      for (const cell of list.querySelectorAll("[data-field]")) {
        if (cell.dataset.field === "donors-word") {
          cell.textContent = summary.donors > 1 ? "donateur·ices" : "donateur·ice";
          continue;
        }
        const value = summary[cell.dataset.field] ?? 0;
        cell.textContent = cell.dataset.field.endsWith("_cents") ? euros(value) : count.format(value);
      }
      list.dataset.state = "ok";
    }
  } catch {
    for (const list of lists) list.dataset.state = "down";
  }
}
