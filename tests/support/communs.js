// Host 2 for the API suite: the single binary `communs serve` (its development build, as the
// Workers suite runs their development build) on a fresh SQLite file, behind the same interface
// as startWorker (tests/support/worker.js), so that one suite runs on both hosts.
import { spawn } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { checkAnswer } from "./contract.js";
import { freshDatabase } from "./d1.js";
import { root } from "./project.js";

/** Built by `make communs-dev` (cargo feature `dev`: the /api/dev/ routes the tests sign in through). */
export const serverBin = join(root, "target", "communs-dev", "communs");

/** The SQLite file wrangler wrote for the fresh database (the same one the Workers suite uses). */
export function sqliteFile(dir) {
  const objects = join(dir, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(objects).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  files.sort((a, b) => statSync(join(objects, b)).mtimeMs - statSync(join(objects, a)).mtimeMs);
  return join(objects, files[0]);
}

/** D1's binding API (prepare, bind, first, all, run, batch) over node:sqlite, on the server's file. */
function d1(file) {
  const db = new DatabaseSync(file);
  db.exec("PRAGMA busy_timeout = 5000");
  const statement = (sql, args = []) => ({
    bind: (...values) => statement(sql, values),
    async first(column) {
      const row = db.prepare(sql).get(...args);
      if (!row) return null;
      return column ? row[column] : { ...row };
    },
    async all() {
      return { success: true, results: db.prepare(sql).all(...args).map((r) => ({ ...r })), meta: {} };
    },
    async run() {
      const { changes } = db.prepare(sql).run(...args);
      return { success: true, results: [], meta: { changes: Number(changes) } };
    },
    run_now: () => db.prepare(sql).run(...args),
  });
  return {
    prepare: (sql) => statement(sql),
    async batch(statements) {
      db.exec("BEGIN");
      try {
        const out = statements.map((s) => s.run_now());
        db.exec("COMMIT");
        return out.map(() => ({ success: true, results: [] }));
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    async exec(sql) {
      db.exec(sql);
    },
    close: () => db.close(),
  };
}

/**
 * The services the binary reaches (Stripe, a mail API) answered by `outbound`, as Miniflare's
 * outboundService does for the workers: the development build sends them to this local server,
 * naming the address it meant in `Communs-Outbound-Url`.
 */
async function outboundStandIn(outbound) {
  const stand = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== "communs-outbound-url" && name !== "host" && typeof value === "string") headers.set(name, value);
    }
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(req.headers["communs-outbound-url"], { method: req.method, headers, body });
    const answer = await outbound(request);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((ready) => stand.listen(0, "127.0.0.1", ready));
  return { url: `http://127.0.0.1:${stand.address().port}`, close: () => stand.close() };
}

/** Where the suite's requests are addressed (as the Workers suite's): the site at this origin. */
const ORIGIN = "http://127.0.0.1:8787";

/**
 * `init` sent to the server at `url`, addressed to `target` as the suite wrote it: its `Host`
 * kept (http://evil.example/…, http://127.0.0.1:8787/…), as Miniflare's dispatchFetch keeps
 * it. (Node's `fetch` would replace the Host header; `node:http` sends it as given.)
 */
async function addressed(url, target, init) {
  const request = new Request(target, { ...init, redirect: "manual" });
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers = Object.fromEntries(request.headers);
  headers.host = target.host;
  if (body) headers["content-length"] = String(body.length);
  const server = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: server.hostname, port: server.port, method: request.method, path: target.pathname + target.search, headers },
      async (res) => {
        const chunks = [];
        for await (const chunk of res) chunks.push(chunk);
        const answer = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) answer.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const empty = [101, 204, 205, 304].includes(res.statusCode) || request.method === "HEAD";
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status: res.statusCode, headers: answer }));
      },
    );
    sent.on("error", reject);
    sent.end(body);
  });
}

/** Starts `communs serve` on a free loopback port; resolves once it listens. */
function serve(file, env) {
  const child = spawn(serverBin, ["serve", "--db", file, "--site", join(root, "static-site", "dist"), "--listen", "127.0.0.1:0"], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const listening = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (listening) resolve({ child, url: listening[1] });
    });
    child.on("exit", (code) => reject(new Error(`communs serve exited (${code}):\n${log}`)));
  });
}

/** Same options as startWorker; `onBack` and `build: "production"` are the Workers' own. */
export async function startServer({ schema = true, zones = [], townHalls = false, vars = {}, outbound, file: given } = {}) {
  // `file`: a database file made beforehand, left in place when the server stops.
  const database = given ? undefined : freshDatabase({ schema, zones, townHalls });
  const file = given ?? sqliteFile(database.dir);
  const stand = outbound ? await outboundStandIn(outbound) : undefined;
  const env = {
    PATH: process.env.PATH,
    ENVIRONMENT: "development",
    ADMIN_EMAILS: "admin@communs.test",
    ...(stand ? { COMMUNS_DEV_OUTBOUND: stand.url } : {}),
    ...vars,
  };
  const { child, url } = await serve(file, env);
  const db = d1(file);
  return {
    url,
    async fetch(path, init = {}) {
      const answer = await addressed(url, new URL(path, ORIGIN), init);
      await checkAnswer(init.method ?? "GET", String(path), answer);
      return answer;
    },
    db,
    /** The hourly run, now (the development route the binary's dev build has). */
    scheduled: async () => {
      const answer = await addressed(url, new URL("/api/dev/scheduled", ORIGIN), { method: "POST", headers: { origin: ORIGIN } });
      if (answer.status !== 204) throw new Error(`scheduled run: ${answer.status}`);
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((done) => child.once("exit", done));
      stand?.close();
      db.close();
      database?.remove();
    },
  };
}
