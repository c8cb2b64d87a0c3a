// Signing in, editing one's profile, exporting and signing out, as a person does in Chromium.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { watchedPage } from "../support/browser.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

async function mailTo(email) {
  const outbox = await (await fetch(`${site.url}/api/dev/outbox`)).json();
  return outbox.items.find((m) => m.to === email);
}

test("sign in by link, set a name and a home commune, export, sign out", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await watchedPage(context);
  const email = "camille@exemple.fr";

  await page.goto(`${site.url}/connexion/`);
  assert.equal(await page.textContent('[data-island="session"] a'), "Se connecter");
  await page.fill("#email", email);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#enter-code:not([hidden])");
  assert.match(await page.textContent("#sign-in-status"), /Un message vient d’être envoyé à camille@exemple\.fr/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "code", "focus moves to the code");

  const mail = await mailTo(email);
  await page.goto(`${site.url}/connexion/#jeton=${mail.token}`);
  await page.waitForURL(`${site.url}/profil/`);
  await page.waitForSelector("#profile:not([hidden])");
  assert.equal(await page.textContent("#profile-email"), email);
  await page.waitForSelector('[data-island="session"][data-state="signed-in"]');
  assert.equal(await page.textContent('[data-island="session"] a'), "Mon espace", "no e-mail address in the header");

  await page.fill("#display_name", "Camille Martin");
  await page.fill("#home_place", "Saint-Paul (974)");
  await page.check("#public-display_name");
  await page.click('#profile-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById("profile-status").textContent === "Profil enregistré.");
  await page.reload();
  await page.waitForSelector("#profile:not([hidden])");
  assert.equal(await page.inputValue("#display_name"), "Camille Martin");
  assert.equal(await page.inputValue("#home_place"), "Saint-Paul (974)", "the commune by its name, not a code");
  const cookies = await page.context().cookies();
  assert.equal(cookies.find((c) => c.name === "territoire")?.value, "commune:97415", "the profile's commune is this browser's too");
  assert.equal(await page.isChecked("#public-display_name"), true);
  assert.equal(await page.isChecked("#public-home_scope"), false);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(exported.person.email, email);
  assert.equal(exported.person.home_scope, "commune:97415");

  await page.click("#logout");
  await page.waitForURL(`${site.url}/`);
  assert.equal(await page.textContent('[data-island="session"] a'), "Se connecter");
  await page.goto(`${site.url}/profil/`);
  await page.waitForSelector("#signed-out:not([hidden])");
  assert.deepEqual(problems, []);
  await context.close();
});

test("sign in with the typed code; a wrong code shows a French error", async () => {
  const { page, problems } = await watchedPage(browser);
  const email = "code@exemple.fr";
  await page.goto(`${site.url}/connexion/`);
  await page.fill("#email", email);
  await page.click('#ask-link button[type="submit"]');
  await page.waitForSelector("#enter-code:not([hidden])");

  await page.fill("#code", "ZZZZZZZZ");
  await page.click('#enter-code button[type="submit"]');
  await page.waitForFunction(() => document.getElementById("sign-in-error").textContent.length > 0);
  assert.match(await page.textContent("#sign-in-error"), /invalide, expiré ou déjà utilisé/);

  const { code } = await mailTo(email);
  await page.fill("#code", code.toLowerCase());
  await page.click('#enter-code button[type="submit"]');
  await page.waitForURL(`${site.url}/profil/`);
  await page.waitForSelector("#profile:not([hidden])");
  assert.equal(await page.textContent("#profile-email"), email);
  const expected = [`HTTP 401: ${site.url}/api/auth/verify`];
  assert.deepEqual(problems.filter((p) => !p.startsWith("console: Failed to load resource")), expected);
});

test("an invalid address is refused with a message next to the field", async () => {
  const { page } = await watchedPage(browser);
  await page.goto(`${site.url}/connexion/`);
  await page.fill("#email", "pas-une-adresse");
  await page.click('#ask-link button[type="submit"]');
  await page.waitForFunction(() => document.getElementById("sign-in-error").textContent.length > 0);
  assert.equal(await page.textContent("#sign-in-error"), "Cette adresse électronique n’est pas valide.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");
  assert.equal(await page.isHidden("#enter-code"), true);
});
