// Shared by the islands: « ma commune », the zone id the `territoire` cookie remembers (set by
// /territoire, or from the profile of a signed-in person).

const COOKIE = "territoire";

/** The visitor's territory (a zone id), or null. */
export function territory() {
  const pair = document.cookie.split(";").map((c) => c.trim().split("=")).find(([name]) => name === COOKIE);
  const id = pair?.[1] ? decodeURIComponent(pair[1]) : "";
  return /^(commune|postal|departement|region):[0-9AB]{2,5}$/.test(id) ? id : null;
}

/** Remembers a territory for a year (null forgets it), as /territoire does. */
export function remember(id) {
  const age = id ? 365 * 24 * 3600 : 0;
  document.cookie = `${COOKIE}=${id ?? ""}; Path=/; Max-Age=${age}; Secure; SameSite=Lax`;
}
