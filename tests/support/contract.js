// The OpenAPI document as a contract on every answer the API tests receive: the operation must
// be documented, its status listed, and a JSON body valid against the documented schema
// (JSON Schema 2020-12, as OpenAPI 3.1 uses, checked by Ajv). Undocumented statuses and
// schema mismatches are failures of the document or of the code, never of the test.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { root } from "./project.js";

const document = JSON.parse(readFileSync(join(root, "functions", "domain", "openapi.json"), "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, "openapi");

const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
/** Path templates, literal ones first, as routers match them. */
const templates = Object.keys(document.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`), literal: !template.includes("{") }))
  .sort((a, b) => Number(b.literal) - Number(a.literal));

const compiled = new Map();
function validator(pointer) {
  if (!compiled.has(pointer)) compiled.set(pointer, ajv.compile({ $ref: `openapi#${pointer}` }));
  return compiled.get(pointer);
}

/** The documented response object for an answer, following a `$ref` to components. */
function responseOf(operation, status) {
  let response = operation.responses[String(status)];
  if (response?.$ref) response = response.$ref.split("/").slice(1).reduce((node, key) => node[key], document);
  return response;
}

/** Throws when the answer breaks the document. `path` may carry a query string. */
export async function checkAnswer(method, path, answer) {
  const { pathname } = new URL(path, "http://x");
  if (!pathname.startsWith("/api/")) return;
  // HEAD is GET without a body.
  const head = method.toUpperCase() === "HEAD";
  const verb = head ? "get" : method.toLowerCase();
  const match = templates.find((t) => t.pattern.test(pathname) && document.paths[t.template][verb]);
  if (!match) {
    if (answer.status === 404 || answer.status === 405) return; // no such route: nothing to document
    throw new Error(`${method} ${pathname}: undocumented operation (answered ${answer.status})`);
  }
  const operation = document.paths[match.template][verb];
  const response = responseOf(operation, answer.status);
  if (!response) throw new Error(`${method} ${match.template}: status ${answer.status} is not documented`);
  const type = (answer.headers.get("content-type") ?? "").split(";")[0].trim();
  if (head || !type.endsWith("json") || answer.status === 204) return;
  const entry = response.content?.[type];
  if (!entry?.schema) throw new Error(`${method} ${match.template} ${answer.status}: no schema for ${type}`);
  const body = await answer.clone().json();
  const pointer = operation.responses[String(answer.status)].$ref
    ? `${operation.responses[String(answer.status)].$ref.slice(1)}/content/${escape(type)}/schema`
    : `/paths/${escape(match.template)}/${verb}/responses/${answer.status}/content/${escape(type)}/schema`;
  const validate = validator(pointer);
  if (!validate(body)) {
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new Error(`${method} ${match.template} ${answer.status}: body does not match its schema: ${errors}`);
  }
  if (process.env.RECORD_EXAMPLES) record(`${verb} ${match.template} ${answer.status} ${type}`, body);
}

/** `RECORD_EXAMPLES=file`: keeps the first valid body of each documented answer, from which
 * scripts/openapi-examples.py fills the examples the document lacks. */
function record(key, body) {
  const file = process.env.RECORD_EXAMPLES;
  let seen = {};
  try {
    seen = JSON.parse(readFileSync(file, "utf8"));
  } catch {}
  if (key in seen) return;
  seen[key] = Array.isArray(body) ? body.slice(0, 2) : body;
  writeFileSync(file, JSON.stringify(seen));
}
