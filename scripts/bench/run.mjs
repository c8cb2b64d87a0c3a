// The load benchmark (issue 8): for each volume, loads it into the bench database, serves the
// built worker with wrangler dev (workerd) on loopback, and measures every query with wrk:
// latency with one connection (p50, p99), throughput with eight, what D1 read for it, and the
// CPU time workerd spent per request (its processes' user + system time over the one-connection
// run, from /proc), beside that of a no-op worker measured the same way (scripts/bench/noop.js).
// Then the second host on a copy of the same database: the single binary `communs serve`
// (target/release/communs), measured the same way, so that both hosts are compared in one run.
// Writes target/bench/load.json; scripts/bench/report.mjs turns it into BENCHMARKS.md.
// Usage: node scripts/bench/run.mjs --db FILE --state DIR [--volumes 10000,100000,1000000]
//        [--seconds 3] [--lighthouse]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    db: { type: "string" },
    state: { type: "string" },
    volumes: { type: "string", default: "10000,100000,1000000" },
    seconds: { type: "string", default: "3" },
    port: { type: "string", default: "8790" },
    lighthouse: { type: "boolean", default: false },
  },
});
if (!opts.db || !opts.state) throw new Error("usage: run.mjs --db FILE --state DIR [--volumes …]");
const base = `http://127.0.0.1:${opts.port}`;
// The second host: the release binary on its own port (the no-op worker takes port + 1).
const COMMUNS = "target/release/communs";
const communsPort = String(Number(opts.port) + 2);
const communsBase = `http://127.0.0.1:${communsPort}`;
// Checked now rather than after the Workers figures of the first volume, minutes later.
if (!existsSync(COMMUNS)) throw new Error(`${COMMUNS} missing: build it with \`make communs\``);
const seconds = Number(opts.seconds);
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

// Lyon, its département and région: the densest place of the generated volumes but Paris.
const QUERIES = [
  ["health", "/api/health", "the floor: routing, one D1 read, JSON"],
  ["commune", "/api/search?scope=commune:69123", "search in a commune (Lyon and its nine arrondissements), newest first"],
  ["arrondissement", "/api/search?scope=commune:69383", "search in an arrondissement (Lyon 3e), newest first"],
  ["postal", "/api/search?scope=postal:69100", "search in a postal code (69100: Villeurbanne's elements, and those whose address says 69100)"],
  ["postal_rural", "/api/search?scope=postal:51300", "search in the postal code serving the most communes (51300, Vitry-le-François: 46)"],
  ["departement", "/api/search?scope=departement:13", "search in a département (13)"],
  ["near", "/api/search?near=45.7640,4.8357,5", "within 5 km of Lyon's centre, nearest first"],
  ["near_text", "/api/search?near=45.7640,4.8357,5&q=jardin", "a word within 5 km of Lyon's centre, nearest first"],
  ["near_kind", "/api/search?near=45.7640,4.8357,5&kind=event", "events within 5 km of Lyon's centre, nearest first"],
  ["text", "/api/search?q=jardin&scope=departement:69", "words + scope, by relevance"],
  ["tags", "/api/search?tags=velo&scope=region:84", "a tag in a région"],
  ["agenda", `/api/agenda?scope=departement:69&from=${day(0)}&to=${day(30)}`, "events of the coming month in a département"],
  ["agenda_postal", `/api/agenda?scope=postal:69100&from=${day(0)}&to=${day(30)}`, "events of the coming month in a postal code"],
  ["zone_at", "/api/zones/at?lat=45.7797&lon=4.8800", "the commune of a point (Villeurbanne), its contour tested"],
];

const log = (...a) => console.error("   ", ...a);

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} exit ${r.status})`);
  return r.stdout;
}

/** wrangler dev serving `what` (configurations or a script) on `port`, once `probe` answers. */
async function serve(what = ["-c", "wrangler.toml", "-c", "wrangler.back.toml"], port = opts.port, probe = "/api/health", state = opts.state) {
  const wrangler = spawn(
    "node_modules/.bin/node",
    ["node_modules/wrangler/bin/wrangler.js", "dev", ...what, "--ip", "127.0.0.1", "--port", port,
      "--local", "--persist-to", state, "--show-interactive-dev-session=false"],
    { detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  return answering(wrangler, port, probe, "wrangler dev");
}

/** `child` once `probe` answers on `port`; stopped, and the end of its stderr thrown, if not. */
async function answering(child, port, probe, what) {
  live.add(child);
  let errors = "";
  // Only the end is kept: the log is read so that the pipe never fills and blocks the server.
  child.stderr.on("data", (d) => (errors = (errors + d).slice(-4000)));
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}${probe}`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) break;
    await sleep(500);
  }
  await stop(child);
  throw new Error(`${what} did not answer on port ${port}:\n${errors.slice(-2000)}`);
}

/** `communs serve` on `db`: the release build with production settings (no ENVIRONMENT). */
function serveCommuns(db) {
  const { ENVIRONMENT, ...env } = process.env;
  const child = spawn(COMMUNS, ["serve", "--db", db, "--site", "static-site/dist", "--listen", `127.0.0.1:${communsPort}`],
    { detached: true, stdio: ["ignore", "ignore", "pipe"], env });
  return answering(child, communsPort, "/api/health", "communs serve");
}

// CPU time of the workerd processes wrangler started (its process group), in milliseconds:
// user + system time from /proc/<pid>/stat, in clock ticks.
const TICK_MS = 1000 / Number(run("getconf", ["CLK_TCK"], "getconf").trim());
function workerd(server) {
  const table = run("ps", ["-e", "-o", "pid=,pgid=,comm="], "ps");
  return table.split("\n").map((l) => l.trim().split(/\s+/))
    .filter(([, pgid, comm]) => Number(pgid) === server.pid && /workerd/.test(comm ?? ""))
    .map(([pid]) => Number(pid));
}
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  }
  return ticks * TICK_MS;
}
/** The peak resident memory of `pids` (VmHWM, summed), in kB: read before they stop. */
function peakKb(pids) {
  return pids.reduce((sum, pid) => sum + Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+)/m)[1]), 0);
}
/** wrk with one connection on `url`, and the CPU the server spent per request meanwhile. */
function timed(url, pids) {
  const before = cpuMs(pids);
  const latency = wrk(url, 1);
  return { ...latency, cpu_ms: (cpuMs(pids) - before) / latency.requests };
}

// The servers started (each the leader of its process group), stopped at the end, on failure,
// and on Ctrl-C: none is left serving after the benchmark.
const live = new Set();
/** SIGTERM to `child`'s process group, then SIGKILL if any of it is left after ten seconds:
 * the database is not loaded nor copied while a server may still hold it. */
async function stop(child) {
  live.delete(child);
  const alive = () => {
    try {
      return process.kill(-child.pid, 0);
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-child.pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(); i++) await sleep(100);
  if (alive()) process.kill(-child.pid, "SIGKILL");
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await Promise.all([...live].map(stop));
    process.exit(130);
  });
}

// wrk's report: the latency percentiles (with --latency), requests a second, and errors.
function wrk(url, connections) {
  const out = run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", url], `wrk ${url}`);
  const ms = (label) => {
    const m = out.match(new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\b`, "m"));
    if (!m) throw new Error(`wrk gave no ${label}th percentile:\n${out}`);
    return Math.round(Number(m[1]) * { us: 1, ms: 1000, s: 1e6 }[m[2]]) / 1000; // whole µs: 0.285, not 0.28500000000000003
  };
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  if (bad) throw new Error(`${url}: ${bad[1]} answers were errors`);
  return { p50: ms(50), p99: ms(99), rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    requests: Number(out.match(/(\d+) requests in/)[1]) };
}

// What D1 read (its Server-Timing header) and how long its statements ran, the mean of ten.
async function cost(url) {
  let read = null;
  let sql = 0;
  for (let i = 0; i < 10; i++) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
    const timing = response.headers.get("server-timing") ?? "";
    const rows = timing.match(/rows_read=(\d+)/);
    if (!rows) return null;
    read = { rows_read: Number(rows[1]), rows_returned: Number(timing.match(/rows_returned=(\d+)/)[1]) };
    sql += Number(timing.match(/dur=([\d.]+)/)?.[1] ?? 0);
  }
  return { ...read, sql_ms: sql / 10 };
}

/** The queries of a volume: QUERIES, and an element whose page the static build did not
 * pre-render (the server renders it), the same for both hosts. */
async function queriesOf() {
  const first = await (await fetch(`${base}/api/search?scope=commune:69123&limit=1`)).json();
  return [...QUERIES, ["element_page", `/e/${first.items[0].slug}/`, "an element's page rendered by the edge"]];
}

/** Every query answers 200 on `host`; returns how many items each search and agenda query found. */
async function check(host, root, queries) {
  const found = {};
  for (const [name, path] of queries) {
    const response = await fetch(root + path, { redirect: "manual" });
    if (response.status !== 200) throw new Error(`${host}: ${path} answered ${response.status}, not 200`);
    if (/^\/api\/(search|agenda)\?/.test(path)) found[name] = (await response.json()).items.length;
    else await response.arrayBuffer();
  }
  return found;
}

/** Each query on `root`: latency, throughput, CPU of `pids` a request, and with `costs` what the
 * database read (Server-Timing). */
async function measure(label, root, pids, queries, costs) {
  const results = [];
  for (const [name, path, what] of queries) {
    const url = root + path;
    for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer(); // warm the isolate and caches
    const latency = timed(url, pids);
    const load = wrk(url, 8);
    const rows = costs ? await cost(url) : null;
    results.push({ name, path, what, p50: latency.p50, p99: latency.p99, rps: load.rps, cpu_ms: latency.cpu_ms, ...rows });
    log(`${label} ${name}: p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${load.rps} req/s, CPU ${latency.cpu_ms.toFixed(2)} ms`,
      rows ? `, rows read ${rows.rows_read} for ${rows.rows_returned}` : "");
  }
  return results;
}

/** The Workers host's figures for the volume loaded (its queries' figures, how many items each
 * search found, workerd's peak memory), and the queries it ran, for the second host. */
async function workersHost(volume) {
  const server = await serve();
  try {
    const pids = workerd(server);
    if (!pids.length) throw new Error("no workerd process found to measure CPU time");
    const queries = await queriesOf();
    const found = await check("workers", base, queries);
    const results = await measure(`${volume} workers`, base, pids, queries, true);
    const entry = { queries: results, found, peak_kb: peakKb(pids) };
    if (opts.lighthouse && volume === Math.max(...opts.volumes.split(",").map(Number))) {
      const scored = lighthouse();
      entry.lighthouse = scored.results;
      entry.installable = scored.installable;
    }
    return [entry, queries];
  } finally {
    await stop(server);
  }
}

/** The same queries on `communs serve` over a copy of the bench database (taken with wrangler
 * stopped, so the copy is the database it served). Fails if a search finds another number of
 * items than on Workers: the two would not be measuring the same thing. */
async function communsHost(volume, queries, workersFound) {
  const db = "target/bench/communs.db"; // one file, overwritten at each volume (1 M is large)
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.lock`]) rmSync(f, { force: true });
  run("sqlite3", [opts.db, `.backup ${db}`], "copying the bench database");
  const server = await serveCommuns(db);
  try {
    const found = await check("communs", communsBase, queries);
    for (const [name, count] of Object.entries(workersFound)) {
      if (found[name] !== count) throw new Error(`${name}: ${count} items on Workers, ${found[name]} on communs`);
    }
    log(`${volume}: both hosts answer 200 and find the same items (${Object.values(found).join(", ")})`);
    const results = await measure(`${volume} communs`, communsBase, [server.pid], queries, false);
    return { queries: results, peak_kb: peakKb([server.pid]) };
  } finally {
    await stop(server);
  }
}

// Lighthouse sometimes loses a trace (NO_NAVSTART, "run Lighthouse again"): three tries, then
// the failure is reported rather than the whole benchmark lost.
function lighthouse() {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = spawnSync("node_modules/.bin/node", ["scripts/lighthouse.mjs", base, "/", "/recherche?q=jardin"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split("\n").pop());
    log(`lighthouse, try ${attempt}: ${r.stderr.trim().split("\n").pop()}`);
  }
  return { results: [], installable: null };
}

/** The no-op worker's CPU per request, measured as ours are: the floor to subtract. */
async function baseline() {
  const port = String(Number(opts.port) + 1);
  const noop = await serve(["scripts/bench/noop.js", "--compatibility-date", "2026-11-01"], port, "/", `${opts.state}-noop`);
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer();
    const measured = timed(url, workerd(noop));
    log(`no-op worker: p50 ${measured.p50} ms, CPU ${measured.cpu_ms.toFixed(2)} ms a request`);
    return { p50: measured.p50, cpu_ms: measured.cpu_ms };
  } finally {
    await stop(noop);
  }
}

const report = { date: new Date().toISOString(), seconds, volumes: [], noop: await baseline() };
for (const volume of opts.volumes.split(",").map(Number)) {
  console.error(`==> Volume of ${volume} elements`);
  const started = Date.now();
  run("target/release/seed-volume", ["target/seed/volume", "--elements", String(volume), "--db", opts.db], "seed-volume");
  const loadSeconds = (Date.now() - started) / 1000;
  log(`loaded in ${loadSeconds.toFixed(1)} s`);
  const [workers, queries] = await workersHost(volume);
  const communs = await communsHost(volume, queries, workers.found);
  report.volumes.push({ elements: volume, load_seconds: loadSeconds, ...workers, communs });
}
mkdirSync("target/bench", { recursive: true });
writeFileSync("target/bench/load.json", JSON.stringify(report, null, 2));
console.error("    target/bench/load.json written");
