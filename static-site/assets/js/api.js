// Shared by the islands: calls to our own API, with the API's French error messages.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `Erreur ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.field = body?.error?.field;
  }
}

/** Calls `/api/…`; JSON in and out. Resolves to the parsed body (or null for 204). */
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, headers: { accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Whether the companion cookie says someone is signed in (the session itself is HttpOnly). */
export function seemsSignedIn() {
  return document.cookie.split(";").some((c) => c.trim() === "signed_in=1");
}

/** Writes a message into a live region, clearing the other one. */
export function say(status, error, message, isError = false) {
  status.textContent = isError ? "" : message;
  error.textContent = isError ? message : "";
}
