// Turnkey's published API spec (Swagger 2.0, from tkhq/sdk
// packages/http/src/__generated__/services/coordinator/public/v1/public_api.swagger.json,
// release v2026.8.4), and a JSON Schema validator for the responses it describes.
//
// The spec is read from $TURNKEY_SPEC, else the copy vendored in the repository
// (tests/fixtures/turnkey/public_api.swagger.json), so a clean clone tests on its own.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Where the spec is read from. */
export function specFile() {
  const candidates = [process.env.TURNKEY_SPEC, join(root, "tests", "fixtures", "turnkey", "public_api.swagger.json")];
  const found = candidates.filter(Boolean).map((p) => resolve(p)).find((p) => existsSync(p));
  if (!found) {
    throw new Error(`Turnkey's API spec not found (tried ${candidates.filter(Boolean).join(", ")}); set TURNKEY_SPEC`);
  }
  return found;
}

/** The parsed spec. */
export function loadSpec() {
  return JSON.parse(readFileSync(specFile(), "utf8"));
}

/** The spec's paths, sorted. */
export function specPaths(spec = loadSpec()) {
  return Object.keys(spec.paths).sort();
}

/**
 * A validator of response bodies: `validate(path, status, body)` returns
 * `{schema, errors}` where `schema` names the definition used (the 200 response for 200,
 * else the response for that status or `default`) and `errors` is empty when the body is valid.
 * `required`, `type` and `enum` are enforced; additional properties are allowed (as the spec allows).
 * A path outside the spec has no schema: `{schema: null, errors: ["… is not in the spec"]}`.
 */
export function responseValidator(spec = loadSpec()) {
  // Swagger 2.0 definitions are JSON Schema (draft 4 subset) with `#/definitions/…` refs:
  // registered as one schema document, they resolve against it unchanged.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "turnkey", definitions: spec.definitions });
  const cache = new Map();
  const compiled = (ref) => {
    if (!cache.has(ref)) {
      const name = ref.replace(/^#\/definitions\//, "");
      cache.set(ref, { name, fn: ajv.getSchema(`turnkey#/definitions/${name}`) });
    }
    return cache.get(ref);
  };
  return (path, status, body) => {
    const op = spec.paths[path]?.post;
    if (!op) return { schema: null, errors: [`${path} is not in the spec`] };
    const response = op.responses[String(status)] ?? op.responses.default;
    const ref = response?.schema?.$ref;
    if (!ref) return { schema: null, errors: [`${path} has no schema for status ${status}`] };
    const { name, fn } = compiled(ref);
    if (!fn) return { schema: name, errors: [`definition ${name} is missing`] };
    const ok = fn(body);
    const errors = ok ? [] : fn.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.slice(0, 5).join(", ")}…)` : ""}`);
    return { schema: name, errors };
  };
}

/**
 * The Turnkey calls the kit's own `Client` makes, read from its sources: `{path, type?, resultKey?}`
 * for every `intent!(…)` in src/activity/intents.rs (submissions) and every
 * `"/public/v1/…/<name>"` literal elsewhere under src/ (queries such as `get_activity`, `whoami`).
 */
export function kitCalls() {
  const read = (rel) => readFileSync(join(root, rel), "utf8");
  const calls = [];
  const intents = read("src/activity/intents.rs");
  for (const m of intents.matchAll(/intent!\(\s*\w+,\s*"(ACTIVITY_TYPE_\w+)",\s*"(\w+)",\s*"(\w+)"/g)) {
    calls.push({ path: `/public/v1/submit/${m[2]}`, type: m[1], resultKey: m[3] });
  }
  const files = readdirSync(join(root, "src"), { recursive: true }).filter((f) => f.endsWith(".rs"));
  for (const f of files) {
    for (const m of read(join("src", f)).matchAll(/"(\/public\/v1\/(?:submit|query)\/\w+)"/g)) {
      if (!calls.some((c) => c.path === m[1])) calls.push({ path: m[1], file: `src/${f}` });
    }
  }
  return calls;
}
