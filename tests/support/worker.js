// The two built workers (front and back, functions/edge/build) on workerd through Miniflare, bound to
// a fresh D1.
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import { checkAnswer } from "./contract.js";
import { freshDatabase } from "./d1.js";
import { compatibilityDate, databaseId, root } from "./project.js";

export const ORIGIN = "http://127.0.0.1:8787";

/** The host the API suite runs against: the Workers (Miniflare, the default) or, with
 * `COMMUNS_HOST=server`, the single binary `communs serve` (tests/support/communs.js). */
export const host = process.env.COMMUNS_HOST === "server" ? "server" : "workers";

/** A test of what only the Workers host has (its two workers, its production wasm): skipped,
 * saying so, on the other host. */
export const workersOnly = host === "server" && "a matter of the Workers host alone";

/**
 * One of the two workers worker-build wrote: the development build (functions/edge/build/dev/front
 * and …/back, with the /api/dev/ routes the tests sign in through) or the production one.
 */
function built(name, build) {
  const dir = join(root, "functions", "edge", "build", ...(build === "dev" ? ["dev"] : []), name);
  return {
    // The two files worker-build writes: the glue, which imports the .wasm module beside it.
    modulesRoot: dir,
    modules: [
      { type: "ESModule", path: join(dir, "index.js") },
      { type: "CompiledWasm", path: join(dir, "index_bg.wasm") },
    ],
  };
}

/**
 * Starts the two workers as wrangler.toml and wrangler.back.toml bind them: requests reach the
 * front, which passes what it does not serve to the back. `vars` are their environment
 * (development by default, as `make dev`); `outbound` answers their own fetches (a stand-in
 * for outside APIs). `onBack` sees each request the front passes to the back. `build` is "dev"
 * (the default) or "production" (no development route compiled in).
 */
export async function startWorker(options = {}) {
  if (host === "server") return (await import("./communs.js")).startServer(options);
  return startWorkers(options);
}

async function startWorkers({ schema = true, zones = [], townHalls = false, vars = {}, outbound, onBack, build = "dev", listen = false, database: given } = {}) {
  // `database`: a local D1 made beforehand (freshDatabase), left in place when the workers stop.
  const database = given ?? freshDatabase({ schema, zones, townHalls });
  const shared = {
    compatibilityDate,
    d1Databases: { DB: databaseId },
    bindings: { ENVIRONMENT: "development", ADMIN_EMAILS: "admin@communs.test", ...vars },
    ...(outbound ? { outboundService: outbound } : {}),
  };
  let mf;
  const watched = async (request) => {
    onBack(request);
    // As the binding does: a redirect the back answers goes back to the front unfollowed.
    return (await mf.getWorker("communs-back")).fetch(request, { redirect: "manual" });
  };
  const options = convertV4MiniflareOptions({
    workers: [
      { name: "communs", ...built("front", build), ...shared, serviceBindings: { BACK: onBack ? watched : "communs-back" } },
      { name: "communs-back", ...built("back", build), ...shared, r2Buckets: { MEDIA: "communs-media" } },
    ],
  });
  // Where `wrangler d1 execute --persist-to` left the database (Miniflare 5 names it this way).
  options.resourcePersistencePath = join(database.dir, "v3");
  // `listen`: also served over HTTP on a free loopback port (for outside clients: the fuzzer).
  if (listen) Object.assign(options, { host: "127.0.0.1", port: 0 });
  mf = new Miniflare(options);
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  return {
    /** Where it listens, with `listen` (http://127.0.0.1:PORT). */
    url: listen ? url.origin : undefined,
    // Every answer is held to the OpenAPI document (tests/support/contract.js).
    async fetch(path, init) {
      const answer = await mf.dispatchFetch(new URL(path, ORIGIN), init);
      await checkAnswer(init?.method ?? "GET", String(path), answer);
      return answer;
    },
    db,
    /** Runs the back worker's scheduled handler, as its cron trigger would. */
    scheduled: async () => (await mf.getWorker("communs-back")).scheduled({ cron: "23 * * * *" }),
    /** Sends the front worker a scheduled event, as `wrangler dev`'s /cdn-cgi/local/scheduled does. */
    scheduledAtFront: async () => (await mf.getWorker("communs")).scheduled({ cron: "23 * * * *" }),
    async stop() {
      await mf.dispose();
      if (!given) database.remove();
    },
  };
}

/** A same-origin JSON write, as the site's own pages send it. */
export function write(method, body, { cookie, origin = ORIGIN, headers = {} } = {}) {
  return {
    method,
    headers: {
      "content-type": "application/json",
      ...(origin ? { origin } : {}),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  };
}
