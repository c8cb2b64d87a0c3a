// Island: recompute the whole chain on the server and say whether it holds.
import { api, say } from "./api.js";

const tell = (message, isError = false) => say(document.getElementById("verify-status"), document.getElementById("verify-error"), message, isError);

document.getElementById("verify").addEventListener("click", async () => {
  tell("Vérification…");
  try {
    const result = await api("/api/ledger/verify");
    if (result.ok) tell(`La chaîne est intacte : ${result.count} écritures, empreinte de tête ${result.head}.`);
    else tell(`La chaîne est rompue à l’écriture n° ${result.seq}.`, true);
  } catch (error) {
    tell(error.message, true);
  }
});
