// The built worker (functions/edge/build) on workerd through Miniflare, bound to a fresh D1.
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import { freshDatabase } from "./d1.js";
import { compatibilityDate, databaseId, root } from "./project.js";

const build = join(root, "functions", "edge", "build");

export async function startWorker({ schema = true, vars = {} } = {}) {
  const database = freshDatabase({ schema });
  const options = convertV4MiniflareOptions({
      // The two files worker-build writes: the glue, which imports the .wasm module beside it.
      modulesRoot: build,
      modules: [
        { type: "ESModule", path: join(build, "index.js") },
        { type: "CompiledWasm", path: join(build, "index_bg.wasm") },
      ],
      compatibilityDate,
      d1Databases: { DB: databaseId },
      bindings: { ENVIRONMENT: "test", ...vars },
  });
  // Where `wrangler d1 execute --persist-to` left the database (Miniflare 5 names it this way).
  options.resourcePersistencePath = join(database.dir, "v3");
  const mf = new Miniflare(options);
  await mf.ready;
  return {
    fetch: (path, init) => mf.dispatchFetch(new URL(path, "http://127.0.0.1:8787"), init),
    async stop() {
      await mf.dispose();
      database.remove();
    },
  };
}
