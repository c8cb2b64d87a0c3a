// Turns target/bench/load.json (scripts/bench/run.mjs) into the load part of BENCHMARKS.md:
// figures per volume, the issue's targets against them, and the cost model. Prints Markdown.
// Usage: node scripts/bench/report.mjs target/bench/load.json "the command that ran"
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";

const [file, command] = process.argv.slice(2);
const load = JSON.parse(readFileSync(file, "utf8"));
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const fixed = (n, d = 2) => (n == null ? "—" : Number(n).toFixed(d));
const out = [];
const say = (line = "") => out.push(line);

const volumes = load.volumes;
const smallest = volumes[0];
const largest = volumes[volumes.length - 1];
const by = (volume, name) => volume.queries.find((q) => q.name === name);
const searches = (volume) => volume.queries.filter((q) => q.rows_read != null);

say(`## Load (\`make bench\`)`);
say();
say(`Written by ${command} on ${load.date.slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, loopback.`);
say(`The built worker served by \`wrangler dev\` (workerd, local D1 = SQLite) over a database holding every`);
say(`French zone and the generated volume; wrk for ${load.seconds} s a query: latency with one connection`);
say(`(p50, p99), throughput with eight. \`rows read\` is what D1 reported for the statements of the`);
say(`request (\`Server-Timing\` header); \`returned\` the rows of the last statement (a page + 1).`);
const noop = load.noop;
say(`\`CPU ms\` is the CPU time workerd spent per request during the one-connection run (its processes'`);
say(`user + system time, from /proc, over the requests wrk made); \`− no-op\` subtracts what a worker that`);
say(`does nothing costs measured the same way (${fixed(noop?.cpu_ms)} ms a request, scripts/bench/noop.js): what`);
say(`our code costs, against the free plan's 10 ms of CPU a request. It is an upper bound: locally the`);
say(`D1 queries run inside workerd too, whereas Cloudflare runs them outside the Worker and does not`);
say(`count them as its CPU time; and the front's service-binding call to the back, where one is made,`);
say(`is two isolates' work. \`− D1\` also subtracts the time D1 said its statements ran (Server-Timing's`);
say(`\`dur\`, the mean of ten requests; searches only): the nearest local figure to the CPU time billed.`);
for (const volume of volumes) {
  say();
  say(`### ${volume.elements.toLocaleString("en")} elements (loaded in ${fixed(volume.load_seconds, 1)} s)`);
  say();
  say(`| query | p50 ms | p99 ms | req/s | CPU ms | − no-op | − D1 | rows read | returned | read ÷ returned |`);
  say(`|---|---|---|---|---|---|---|---|---|---|`);
  for (const q of volume.queries) {
    const ratio = q.rows_read != null && q.rows_returned ? fixed(q.rows_read / q.rows_returned, 1) : "—";
    const own = q.cpu_ms != null && noop ? fixed(q.cpu_ms - noop.cpu_ms) : "—";
    const worker = q.cpu_ms != null && noop && q.sql_ms != null ? fixed(q.cpu_ms - noop.cpu_ms - q.sql_ms) : "—";
    say(`| ${q.name}: ${q.what} | ${fixed(q.p50)} | ${fixed(q.p99)} | ${fixed(q.rps, 0)} | ${fixed(q.cpu_ms)} | ${own} | ${worker} | ${q.rows_read ?? "—"} | ${q.rows_returned ?? "—"} | ${ratio} |`);
  }
}

// Both hosts, side by side (issue 21): the same queries on the same database, one after the other.
const hosts = volumes.filter((v) => v.communs);
if (hosts.length) {
  const mb = (k) => (k == null ? "—" : `${(k / 1024).toFixed(0)} MB`);
  say();
  say(`### Both hosts, side by side`);
  say();
  say(`Workers is the production build above, served by \`wrangler dev\` (workerd running the front and back`);
  say(`isolates, with the local D1, SQLite inside workerd); communs is the single binary (\`communs serve\`,`);
  say(`release build, production settings) answering from a copy of the same SQLite file, in WAL mode with`);
  say(`one writer connection and four readers. Both ran one after the other on the same ${cpus().length} cores, on loopback,`);
  say(`measured by the same wrk runs (${load.seconds} s a query: p50 and p99 with one connection, req/s with eight),`);
  say(`after a check that every query answers 200 on both and that each search finds as many items on both.`);
  say(`\`CPU ms\` is the communs process's user + system time per request during the one-connection run (the`);
  say(`Workers figure is in the table above); the ratios are communs ÷ Workers (req/s: above 1, communs serves`);
  say(`more; p50: below 1, communs answers sooner). Peak memory is VmHWM from /proc, read at the end.`);
  for (const volume of hosts) {
    say();
    say(`#### ${volume.elements.toLocaleString("en")} elements`);
    say();
    say(`Peak resident memory: communs ${mb(volume.communs.peak_kb)}; workerd ${mb(volume.peak_kb)} (its processes, summed; not wrangler's own).`);
    say();
    say(`| query | Workers p50 ms | Workers p99 ms | Workers req/s | communs p50 ms | communs p99 ms | communs req/s | communs CPU ms | req/s ratio | p50 ratio |`);
    say(`|---|---|---|---|---|---|---|---|---|---|`);
    for (const c of volume.communs.queries) {
      const w = by(volume, c.name);
      say(`| ${c.name} | ${fixed(w.p50)} | ${fixed(w.p99)} | ${fixed(w.rps, 0)} | ${fixed(c.p50)} | ${fixed(c.p99)} | ${fixed(c.rps, 0)} | ${fixed(c.cpu_ms)} | ${fixed(c.rps / w.rps, 1)} × | ${fixed(c.p50 / w.p50)} × |`);
    }
  }
}

// The issue's targets, each with the figure it is judged on.
const front = gz("functions/edge/build/front/index_bg.wasm");
const back = gz("functions/edge/build/back/index_bg.wasm");
const home = gz("static-site/dist/index.html") + gz("static-site/dist/assets/site.css");
const health = by(largest, "health").p50;
const rows = [];
for (const q of searches(largest)) {
  rows.push([`${q.name}: p50 at ${largest.elements} ≤ 2 × health p50 (${fixed(health)} ms)`, `${fixed(q.p50 / health)} ×`, q.p50 <= 2 * health]);
  const small = by(smallest, q.name);
  // The whole stack's speed moves between runs (health itself): the same ratio against each
  // run's health p50 says what the volume costs the query.
  const relative = q.p50 / health / (small.p50 / by(smallest, "health").p50);
  rows.push([`${q.name}: p50 at ${largest.elements} ≤ 1.3 × p50 at ${smallest.elements}`,
    `${fixed(q.p50 / small.p50)} × (${fixed(relative)} × against each run's health)`, q.p50 <= 1.3 * small.p50]);
  rows.push([`${q.name}: rows read ≤ 3 × rows returned`, `${q.rows_read} for ${q.rows_returned}`, q.rows_read <= 3 * q.rows_returned]);
}
if (noop) {
  // Judged on the worker's own share: less the no-op's, and less D1's time where it is known.
  const own = (q) => q.cpu_ms - noop.cpu_ms - (q.sql_ms ?? 0);
  const worst = largest.queries.reduce((a, q) => (own(q) > own(a) ? q : a));
  rows.push([`CPU per request less the no-op's and D1's ≤ 10 ms (free plan), every query at ${largest.elements}`,
    `${fixed(own(worst))} ms at most (${worst.name}; ${fixed(worst.cpu_ms - noop.cpu_ms)} ms with D1's)`, own(worst) <= 10]);
}
rows.push(["front worker (every read a visitor makes) ≤ 300 KB gzip", kb(front), front <= 300 * 1024]);
rows.push(["back worker (writes and the rest, behind the front) ≤ 300 KB gzip", kb(back), back <= 300 * 1024]);
rows.push(["home page ≤ 30 KB gzip before the map (HTML + stylesheet)", kb(home), home <= 30 * 1024]);
if (!largest.lighthouse?.length) rows.push(["Lighthouse on / and /recherche", "not measured (see the run's log)", false]);
for (const page of largest.lighthouse ?? []) {
  rows.push([`Lighthouse performance, ${page.path}`, page.performance, page.performance === 100]);
  rows.push([`Lighthouse accessibility, ${page.path}`, page.accessibility, page.accessibility === 100]);
}
const install = largest.installable;
rows.push(["installable (Chromium's check, as Lighthouse's former PWA audit)", install ? (install.ok ? "no error" : install.errors.join(", ")) : "not measured", Boolean(install?.ok)]);
say();
say(`### Targets (issue 8)`);
say();
say(`| target | measured | met |`);
say(`|---|---|---|`);
for (const [target, value, met] of rows) say(`| ${target} | ${value} | ${met ? "yes" : "**no**"} |`);

// The cost model: an instance of the largest volume and 100,000 visits a day.
const visits = 100_000;
const perVisit = { search: 3, element_page: 1 };
const meanSearchRead = searches(largest).reduce((s, q) => s + q.rows_read, 0) / searches(largest).length;
// Measured on the bench database (a statement at a time, D1's meta): an element's page reads
// one row plus one a link (3 allows two); creating an element with three tags writes 23 rows
// (its row, index entries, both full-text entries, commune name) and 6 for the tags (schema 9,
// the mean of 40 inserts into the 1 M database; schema 8 wrote 22).
const elementRead = 3;
const requests = visits * (perVisit.search + perVisit.element_page);
const reads = visits * (perVisit.search * meanSearchRead + perVisit.element_page * elementRead);
const newElements = 1_000;
const rowsPerElement = 33;
const writes = newElements * rowsPerElement;
say();
say(`### Cost model`);
say();
say(`An instance with ${largest.elements.toLocaleString("en")} elements and ${visits.toLocaleString("en")} visits a day. A visit loads the`);
say(`static home page (static assets are free and not counted as Workers requests), makes`);
say(`${perVisit.search} searches and opens ${perVisit.element_page} element page rendered by the worker. Rows read per search: the mean`);
say(`measured above at ${largest.elements.toLocaleString("en")} (${fixed(meanSearchRead, 0)}); per element page: ${elementRead} (one row, one a link). Writes:`);
say(`${newElements.toLocaleString("en")} new or edited elements a day at ${rowsPerElement} rows written each (measured for an element with three tags:`);
say(`its row, index entries, full-text entries, commune name, cell and kind counts, then its tags).`);
say();
say(`| per day | this instance | free plan | Workers Paid ($5/month) |`);
say(`|---|---|---|---|`);
say(`| Workers requests | ${requests.toLocaleString("en")} | 100,000 | 10 M/month included (≈ 333,000/day), then $0.30/M |`);
say(`| D1 rows read | ${Math.round(reads).toLocaleString("en")} | 5 M | 25 billion/month included (≈ 833 M/day) |`);
say(`| D1 rows written | ${writes.toLocaleString("en")} | 100,000 | 50 M/month included (≈ 1.67 M/day) |`);
// Workers Paid: 10 M requests, 25 billion rows read and 50 M rows written a month included,
// then $0.30 a million requests, $0.001 a million rows read, $1.00 a million rows written.
const month = (perDay, included, dollarsPerMillion) => Math.max(0, perDay * 30 - included) / 1e6 * dollarsPerMillion;
const extra = {
  requests: month(requests, 10e6, 0.3),
  reads: month(reads, 25e9, 0.001),
  writes: month(writes, 50e6, 1),
};
const target = visits * (perVisit.search * 63 + elementRead);
const worst = searches(largest).reduce((a, q) => (q.rows_read > a.rows_read ? q : a));
say();
say(`On the free plan, ${requests <= 100_000 ? "the requests fit" : `the requests do not fit (${fixed(requests / 100_000, 1)} × the daily limit)`}` +
  ` and the rows read ${reads <= 5_000_000 ? "fit" : `do not (${fixed(reads / 5_000_000, 1)} × the limit)`}.` +
  ` On Workers Paid: $5 + $${fixed(extra.requests)} of requests + $${fixed(extra.reads)} of rows read + $${fixed(extra.writes)} of rows written` +
  ` = about $${fixed(5 + extra.requests + extra.reads + extra.writes)} a month. The mean search is dominated by its most costly kind` +
  ` (${worst.name}: ${worst.rows_read.toLocaleString("en")} rows read); were every search to read 3 × what it returns (63 rows), the rows read` +
  ` would be ${target.toLocaleString("en")} a day: ${target <= 5e6 ? "within" : `${fixed(target / 5e6, 1)} ×`} the free plan's 5 M, and` +
  ` ${fixed((target * 30) / 25e9 * 100, 1)} % of what Workers Paid includes.`);
say();
say(readFileSync(new URL("history.md", import.meta.url), "utf8").trimEnd());
console.log(out.join("\n"));
