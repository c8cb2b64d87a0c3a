// Open data through the pages (issue 7): an instance admin imports a CSV with one bad row from
// /importer/, sees the check's report name that row, imports the rest, and finds it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { personPage as signedInPage } from "../support/site-data.js";
import { closeSite, openSite } from "../support/server.js";

let site;
let browser;
before(async () => ({ site, browser } = await openSite()));
after(() => closeSite(site, browser));

const CSV = [
  "id,kind,type,name,commune_code,tags",
  "r1,organization,NGO,Les Amis de la Ravine,97415,ravine | nature",
  "r2,organization,NGO,,97415,",
  "r3,poi,sharedLibrary,Boîte à livres de la Ravine,97415,livres",
].join("\n");

test("a CSV with one bad row: the check names it, the import writes the rest", async () => {
  const { page, problems, context } = await signedInPage(browser, site, "admin@communs.test");
  await page.goto(`${site.url}/donnees/`);
  await page.click('a:has-text("importer un fichier")');
  await page.waitForURL(`${site.url}/importer/`);
  await page.waitForSelector("#import-form:not([hidden])");
  await page.setInputFiles("#import-file", { name: "ravine.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  assert.equal(await page.inputValue("#import-format"), "csv", "the format follows the file's extension");
  assert.equal(await page.isDisabled("#import-run"), true, "a file is checked before it is imported");
  await page.click("#import-check");
  await page.waitForSelector("#import-report:not([hidden])");
  assert.equal(await page.textContent('[data-field="accepted"]'), "2");
  const refused = await page.$$eval("#rejected tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.equal(refused.length, 1);
  assert.deepEqual(refused[0].slice(0, 2), ["3", "name"], "the bad row named by its line and field");
  assert.match(await page.textContent("#import-status"), /Rien n’a été écrit/);
  let found = await (await fetch(`${site.url}/api/search?q=ravine`)).json();
  assert.equal(found.items.length, 0, "a check writes nothing");

  await page.click("#import-run");
  await page.waitForFunction(() => /Import terminé/.test(document.getElementById("import-status").textContent));
  assert.match(await page.textContent("#import-status"), /2 fiche\(s\) créée\(s\)/);
  found = await (await fetch(`${site.url}/api/search?q=ravine`)).json();
  assert.deepEqual(found.items.map((i) => i.name).sort(), ["Boîte à livres de la Ravine", "Les Amis de la Ravine"]);
  assert.deepEqual(problems, []);
  await context.close();
});
