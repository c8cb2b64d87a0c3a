// Island: the home page's counters, from /api/stats (kept by triggers in D1, cached 5 minutes).
import { api } from "./api.js";

const list = document.querySelector('[data-island="stats"]');
const format = new Intl.NumberFormat("fr-FR");

async function showStats() {
  try {
    const stats = await api("/api/stats");
    for (const cell of list.querySelectorAll("[data-counter]")) {
      cell.textContent = format.format(stats[cell.dataset.counter] ?? 0);
    }
    list.dataset.state = "ok";
  } catch {
    list.dataset.state = "down";
  }
}

if (list) showStats();
