// A living network through the pages (issue 22), as a new user tries it: a logo and a phone's
// photo added from an organization's page (resized in the browser, its GPS position never
// published) and seen on the page, in search results and on the map; an event commented and
// answered without JavaScript; the bell and the daily digest; a comment reported three times
// and hidden by the moderation vote.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { accessibilityProblems } from "../support/browser.js";
import { root } from "../support/project.js";
import { personPage as signedInPage, signInTo } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

const personPage = (email) => signedInPage(browser, site, email);
const fixture = (name) => join(root, "tests", "fixtures", "pictures", name);

test("a logo and a phone's photo, resized in the browser, show on the page, in search and on the map, without EXIF", async () => {
  const alice = await signInTo(site, "alice@exemple.fr");
  const org = await alice.create({ kind: "organization", type: "NGO", name: "Ressourcerie du Port", address: { commune_code: "97407" } });
  const { page, context, problems } = await personPage("alice@exemple.fr");
  await page.goto(`${site.url}/e/${org.slug}/`);
  await page.waitForSelector("[data-picture-form]:not([hidden])");
  await page.selectOption("#picture-role", "photo");
  await page.setInputFiles("#picture-file", fixture("photo-gps.jpg"));
  // A photo needs its description: said, and the field focused, before anything is sent.
  await page.click('[data-picture-form] button[type="submit"]');
  assert.match(await page.textContent("[data-error]"), /Décrivez la photo/);
  await page.fill("#picture-alt", "L’atelier de réparation");
  await Promise.all([page.waitForURL(`${site.url}/e/${org.slug}/actuel/`), page.click('[data-picture-form] button[type="submit"]')]);
  const photo = page.locator('.photos img[alt="L’atelier de réparation"]');
  assert.equal(await photo.count(), 1);
  const src = await photo.getAttribute("src");
  assert.match(src, /^\/media\/pic_[\w-]+-small\.jpg$/);
  const served = Buffer.from(await (await fetch(`${site.url}${src}`)).arrayBuffer());
  assert.ok(!served.includes(Buffer.from("Exif")), "the served photo carries no EXIF");
  const full = await (await fetch(`${site.url}${await page.locator(".photos a").getAttribute("href")}`)).arrayBuffer();
  assert.ok(!Buffer.from(full).includes(Buffer.from("Exif")));

  await page.waitForSelector("[data-picture-form]:not([hidden])");
  await page.selectOption("#picture-role", "logo");
  await page.setInputFiles("#picture-file", fixture("logo.png"));
  // Already on /actuel/: the new copy is told by its logo.
  await page.click('[data-picture-form] button[type="submit"]');
  await page.waitForSelector(".element .title img.logo");
  assert.match(await page.locator('meta[property="og:image"]').getAttribute("content"), /\/media\/pic_/);
  assert.deepEqual(await accessibilityProblems(page, { all: true }), [], "axe-core on the element's page with pictures");
  assert.deepEqual(problems, []);

  await page.goto(`${site.url}/recherche?q=Ressourcerie`);
  assert.equal(await page.locator(".results li.with-logo img.logo").count(), 1, "its logo in the results");
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  const items = await (await fetch(`${site.url}/api/search?q=Ressourcerie`)).json();
  assert.match(items.items[0].logo, /^\/media\/pic_/, "what the map's popup shows");
  await context.close();
});

test("an event is commented without JavaScript, answered, told by the bell and the digest; three reports hide a comment", async () => {
  const alice = await signInTo(site, "alice@exemple.fr");
  const event = await alice.create({ kind: "event", type: "market", name: "Troc de graines", start: "2031-04-01T08:00:00Z", address: { commune_code: "97407" } });
  // Bob comments with JavaScript off: the page and its form are enough.
  const bob = await signInTo(site, "bob@exemple.fr");
  const plain = await browser.newContext({ javaScriptEnabled: false });
  await plain.addCookies([{ name: "session", value: bob.cookie.split("=")[1], url: site.url }]);
  const bobPage = await plain.newPage();
  await bobPage.goto(`${site.url}/e/${event.slug}/`);
  await Promise.all([bobPage.waitForURL(/\/discussion\//), bobPage.click('a:has-text("Discussion")')]);
  await bobPage.fill("#texte", "J’apporte des graines de tomates <script>alert(1)</script>");
  await Promise.all([bobPage.waitForURL(/fait=commente/), bobPage.click('button:has-text("Publier")')]);
  assert.match(await bobPage.textContent("main"), /Votre commentaire est publié/);
  assert.match(await bobPage.textContent(".comment .text"), /<script>alert\(1\)<\/script>/, "shown as text, not run");
  await plain.close();

  const { page, context } = await personPage("alice@exemple.fr");
  await page.goto(`${site.url}/discussion/?sujet=element:${event.id}`);
  await page.click('summary:has-text("Répondre")');
  await page.fill('textarea[id^="reponse-"]', "Merci Bob, à dimanche !");
  await Promise.all([page.waitForURL(/fait=commente/), page.click('button:has-text("Répondre")')]);
  assert.equal(await page.locator(".replies .comment").count(), 1);
  assert.deepEqual(await accessibilityProblems(page, { all: true }), [], "axe-core on the discussion");
  await context.close();

  const bobs = await personPage("bob@exemple.fr");
  await bobs.page.goto(`${site.url}/`);
  const bell = bobs.page.locator(".bell");
  await bell.waitFor();
  assert.match(await bell.getAttribute("aria-label"), /1 non lue/);
  await Promise.all([bobs.page.waitForURL(/\/profil\//), bell.click()]);
  await bobs.page.waitForSelector(".notifications li.unread");
  assert.match(await bobs.page.textContent(".notifications"), /Nouvelle réponse à votre commentaire sur Troc de graines/);
  await bobs.page.click("#notifications-read");
  await bobs.page.waitForSelector(".notifications li.unread", { state: "detached" });
  await bobs.page.selectOption("#cadence-comment", "weekly");
  await bobs.page.click('#cadence-form button[type="submit"]');
  await bobs.page.waitForSelector('#notifications-status:has-text("enregistrés")');
  const me = await (await fetch(`${site.url}/api/me`, { headers: { cookie: bob.cookie } })).json();
  assert.equal(me.notifications.comment, "weekly");
  await bobs.context.close();
  // The reply went to Bob at once, with its one-click unsubscribe.
  const outbox = await (await fetch(`${site.url}/api/dev/outbox`)).json();
  const mail = outbox.items.find((m) => m.to === "bob@exemple.fr" && !m.token);
  assert.match(mail.subject, /Nouvelle réponse/);
  assert.equal(mail.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");

  // Three people report Bob's comment from the page; the moderation vote hides it.
  const comment = await (await fetch(`${site.url}/api/comments?target=element:${event.id}`)).json();
  const bobsComment = comment.items.find((c) => c.text.startsWith("J’apporte"));
  let motion;
  for (const email of ["carol@exemple.fr", "dan@exemple.fr", "eve@exemple.fr"]) {
    const who = await personPage(email);
    await who.page.goto(`${site.url}/discussion/?sujet=element:${event.id}`);
    await Promise.all([who.page.waitForURL(/fait=signale/), who.page.locator(`#${bobsComment.id} button:has-text("Signaler")`).click()]);
    await who.context.close();
  }
  const admin = await signInTo(site, "admin@communs.test");
  const again = await (await fetch(`${site.url}/api/comments/${bobsComment.id}/reports`, { method: "POST", headers: { origin: site.url, cookie: admin.cookie } })).json();
  assert.equal(again.reports, 4);
  motion = again.motion;
  for (const email of ["carol@exemple.fr", "dan@exemple.fr", "eve@exemple.fr"]) {
    const { cookie } = await signInTo(site, email);
    const voted = await fetch(`${site.url}/api/proposals/${motion}/ballots`, { method: "POST", headers: { origin: site.url, cookie, "content-type": "application/json" }, body: JSON.stringify({ choice: "for" }) });
    assert.equal(voted.status, 200);
  }
  const closed = await fetch(`${site.url}/api/dev/proposals/${motion}/next-phase`, { method: "POST", headers: { origin: site.url, cookie: admin.cookie } });
  assert.equal(closed.status, 200);
  const shown = await (await fetch(`${site.url}/discussion/?sujet=element:${event.id}`)).text();
  assert.ok(!shown.includes("J’apporte des graines"), "hidden by the vote");
  assert.match(shown, /Merci Bob/, "its reply stays");
});
