// The built worker (functions/edge/build) on workerd through Miniflare, bound to a fresh D1.
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import { checkAnswer } from "./contract.js";
import { freshDatabase } from "./d1.js";
import { compatibilityDate, databaseId, root } from "./project.js";

const build = join(root, "functions", "edge", "build");
export const ORIGIN = "http://127.0.0.1:8787";

/**
 * Starts the worker. `vars` are its environment (development by default, as `make dev`);
 * `outbound` answers the worker's own fetches (a stand-in for outside APIs).
 */
export async function startWorker({ schema = true, zones = [], vars = {}, outbound } = {}) {
  const database = freshDatabase({ schema, zones });
  const options = convertV4MiniflareOptions({
    // The two files worker-build writes: the glue, which imports the .wasm module beside it.
    modulesRoot: build,
    modules: [
      { type: "ESModule", path: join(build, "index.js") },
      { type: "CompiledWasm", path: join(build, "index_bg.wasm") },
    ],
    compatibilityDate,
    d1Databases: { DB: databaseId },
    bindings: { ENVIRONMENT: "development", ADMIN_EMAILS: "admin@communs.test", ...vars },
    ...(outbound ? { outboundService: outbound } : {}),
  });
  // Where `wrangler d1 execute --persist-to` left the database (Miniflare 5 names it this way).
  options.resourcePersistencePath = join(database.dir, "v3");
  const mf = new Miniflare(options);
  await mf.ready;
  const db = await mf.getD1Database("DB");
  return {
    // Every answer is held to the OpenAPI document (tests/support/contract.js).
    async fetch(path, init) {
      const answer = await mf.dispatchFetch(new URL(path, ORIGIN), init);
      await checkAnswer(init?.method ?? "GET", String(path), answer);
      return answer;
    },
    db,
    /** Runs the worker's scheduled handler, as the cron trigger would. */
    scheduled: async () => (await mf.getWorker()).scheduled({ cron: "23 * * * *" }),
    async stop() {
      await mf.dispose();
      database.remove();
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
