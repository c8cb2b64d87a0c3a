// Island: asks the API whether the instance is up and says so in the page.
// Every island is one small module like this one, loaded from a file (the CSP forbids inline code).
const target = document.querySelector('[data-island="health"]');

async function showHealth() {
  try {
    const response = await fetch("/api/health", { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const health = await response.json();
    target.textContent = `en service (version ${health.version}, schéma ${health.schema_version})`;
    target.dataset.state = "ok";
  } catch {
    target.textContent = "indisponible pour le moment";
    target.dataset.state = "down";
  }
}

if (target) showHealth();
