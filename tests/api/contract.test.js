// The checker every API test's answers go through (tests/support/contract.js) catches what it
// must: a body that breaks its schema, an undocumented status, an undocumented operation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAnswer } from "../support/contract.js";

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

test("a documented answer passes; a wrong body, status or operation does not", async () => {
  await checkAnswer("GET", "/api/health", json({ status: "ok", version: "0.1.0", schema_version: 6 }));
  await assert.rejects(checkAnswer("GET", "/api/health", json({ status: "ok", version: "0.1.0" })), /does not match its schema.*schema_version/);
  await assert.rejects(checkAnswer("GET", "/api/health", json({ status: "ok", version: 1, schema_version: 6 })), /does not match/);
  await assert.rejects(checkAnswer("GET", "/api/health", json({}, 418)), /status 418 is not documented/);
  await assert.rejects(checkAnswer("POST", "/api/health", json({}, 200)), /undocumented operation/);
  const error = json({ error: { code: "not_found", message: "Introuvable." } }, 404);
  await checkAnswer("GET", "/api/elements/e_inconnu", error);
  await assert.rejects(checkAnswer("GET", "/api/elements/e_inconnu", json({ error: "not found" }, 404)), /does not match/);
});

test("every example in the document matches its own schema", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { root } = await import("../support/project.js");
  const Ajv2020 = (await import("ajv/dist/2020.js")).default;
  const addFormats = (await import("ajv-formats")).default;
  const document = JSON.parse(readFileSync(join(root, "functions", "domain", "openapi.json"), "utf8"));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "openapi");
  const escape = (s) => s.replaceAll("~", "~0").replaceAll("/", "~1");
  const wrong = [];
  let checked = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [verb, operation] of Object.entries(item)) {
      const places = [["requestBody", operation.requestBody?.content]];
      for (const [status, response] of Object.entries(operation.responses)) places.push([`responses/${status}`, response.content]);
      for (const [where, content] of places) {
        for (const [media, entry] of Object.entries(content ?? {})) {
          if (!entry.schema) continue;
          const examples = "example" in entry ? [entry.example] : Object.values(entry.examples ?? {}).map((e) => e.value);
          const validate = ajv.compile({ $ref: `openapi#/paths/${escape(path)}/${verb}/${where}/content/${escape(media)}/schema` });
          for (const example of examples) {
            checked += 1;
            if (!validate(example)) wrong.push(`${verb} ${path} ${where} ${media}: ${ajv.errorsText(validate.errors)}`);
          }
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} examples`);
  assert.deepEqual(wrong, []);
});
