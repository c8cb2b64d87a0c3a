// Facts about the project that the tests share, read from the files of record (no copies).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const node = process.execPath;
export const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

const wranglerToml = readFileSync(join(root, "wrangler.toml"), "utf8");
const setting = (key) => wranglerToml.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m"))[1];
export const compatibilityDate = setting("compatibility_date");
export const databaseId = setting("database_id");

/** The schema version that schema.sql records. */
export const schemaVersion = Number(
  readFileSync(join(root, "schema.sql"), "utf8").match(/INSERT INTO schema_meta \(id, version\) VALUES \(1, (\d+)\)/)[1],
);
