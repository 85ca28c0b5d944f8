// The kit's own Client calls only paths that exist in Turnkey's published spec, with an activity
// type the spec accepts at that path and a result key the spec defines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadSpec, kitCalls } from "../../scripts/turnkey-spec.mjs";

const spec = loadSpec();
const calls = kitCalls();

test("the kit's calls were found in its sources", () => {
  const paths = calls.map((c) => c.path);
  // A change in how the sources declare paths must fail here, not pass with nothing checked.
  assert.ok(calls.filter((c) => c.type).length >= 11, `intents: ${paths.join(", ")}`);
  for (const p of ["/public/v1/query/get_activity", "/public/v1/query/whoami", "/public/v1/submit/sign_transaction", "/public/v1/submit/approve_activity"]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
  }
});

test("every path the kit calls is in the spec", () => {
  const missing = calls.filter((c) => !spec.paths[c.path]?.post).map((c) => `${c.path}${c.file ? ` (${c.file})` : ""}`);
  assert.deepEqual(missing, []);
});

// Votes have no result in the spec (v1Result has no approve/reject key); the kit names one and
// treats it as an empty result (src/js/client.rs EMPTY_RESULT_KEYS). Exactly these are exempt.
const NO_SPEC_RESULT = ["approveActivityResult", "rejectActivityResult"];

test("every activity type the kit submits is the one the spec takes at that path, with that result key", () => {
  const bad = [];
  for (const key of NO_SPEC_RESULT) assert.ok(!spec.definitions.v1Result.properties[key], `${key} is in the spec now: drop the exemption`);
  for (const { path, type, resultKey } of calls.filter((c) => c.type)) {
    const ref = spec.paths[path]?.post?.parameters?.find((p) => p.in === "body")?.schema?.$ref ?? "";
    const request = spec.definitions[ref.replace("#/definitions/", "")];
    const types = request?.properties?.type?.enum ?? [];
    if (!types.includes(type)) bad.push(`${path}: ${type} not in [${types.join(", ")}]`);
    if (!NO_SPEC_RESULT.includes(resultKey) && !spec.definitions.v1Result.properties[resultKey]) bad.push(`${path}: no result key ${resultKey} in v1Result`);
  }
  assert.deepEqual(bad, []);
});
