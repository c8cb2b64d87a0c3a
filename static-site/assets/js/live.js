// Island: on a Live page, signed-in people can post a short message to the territory.
import { api, say, seemsSignedIn } from "./api.js";

const form = document.getElementById("post-form");

if (form && seemsSignedIn()) {
  const status = document.getElementById("post-status");
  const error = document.getElementById("post-error");
  const text = document.getElementById("post-text");
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("/api/posts", { method: "POST", body: { scope: form.dataset.scope, text: text.value } });
      say(status, error, "Message publié.");
      location.reload();
    } catch (e) {
      say(status, error, e.message, true);
      text.focus();
    }
  });
}
