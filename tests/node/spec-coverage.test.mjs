// The coverage figure in www/sandbox/README.md and www/sandbox/spec-paths.txt are current
// (scripts/spec-coverage.mjs regenerates both), and true: every implemented path answers, every
// other path of the spec answers 501 in Turnkey's error shape, and the kit's calls are all served.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { expected, README, SPEC_PATHS } from "../../scripts/spec-coverage.mjs";
import { loadSpec, specPaths, kitCalls } from "../../scripts/turnkey-spec.mjs";
import { startSandbox } from "./sandbox.mjs";

let sandbox;
let routes;
const paths = specPaths(loadSpec());

before(async () => {
  sandbox = await startSandbox();
  routes = await (await fetch(`${sandbox.baseUrl}/sandbox/v1/routes`)).json();
});

after(() => sandbox?.stop());

test("the README figure and spec-paths.txt are what scripts/spec-coverage.mjs generates", async () => {
  const want = await expected(routes.implemented);
  assert.equal(readFileSync(SPEC_PATHS, "utf8"), want.specPaths, "spec-paths.txt is stale: run node scripts/spec-coverage.mjs");
  assert.equal(readFileSync(README, "utf8"), want.readme, "the README's coverage is stale: run node scripts/spec-coverage.mjs");
  const figure = new RegExp(`Spec coverage: ${routes.implemented.length} of ${paths.length} paths implemented`);
  assert.match(readFileSync(README, "utf8"), figure);
  assert.equal(routes.specPaths, paths.length, "the sandbox was built from the current spec-paths.txt");
});

test("every path of the spec is either served or refused with 501, as the figure says", async () => {
  const answers = await Promise.all(
    paths.map(async (p) => {
      const r = await fetch(sandbox.baseUrl + p, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      return { p, status: r.status, body: await r.json() };
    }),
  );
  const served = answers.filter((a) => a.status !== 501).map((a) => a.p);
  assert.deepEqual(served, routes.implemented, "implemented paths answer (401: unstamped), the rest 501");
  for (const a of answers) {
    if (a.status === 501) {
      assert.equal(a.body.code, 12, a.p);
      assert.match(a.body.message, /not supported by the sandbox/, a.p);
      assert.deepEqual(a.body.details, [], a.p);
    } else {
      assert.equal(a.status, 401, `${a.p}: ${JSON.stringify(a.body)}`);
    }
  }
});

test("the sandbox serves every path the kit calls", () => {
  const unserved = kitCalls().map((c) => c.path).filter((p) => !routes.implemented.includes(p));
  assert.deepEqual(unserved, []);
});
