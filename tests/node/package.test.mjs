// The npm package as a consumer sees it: package.json, files, types, and a strict TypeScript check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}pkg/package.json`, "utf8"));

test("package.json is an ESM package whose exports and files exist", () => {
  assert.equal(pkg.name, "quorum-kit");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.exports["."].types, "./quorum_kit.d.ts");
  assert.equal(pkg.exports["./crypto"].types, "./crypto/quorum_kit_crypto.d.ts");
  assert.equal(pkg.exports["./headless"].types, "./headless/quorum_kit_headless.d.ts");
  for (const f of pkg.files) assert.ok(existsSync(`${root}pkg/${f}`), `${f} is built`);
  for (const entry of Object.values(pkg.exports)) {
    for (const f of typeof entry === "string" ? [entry] : Object.values(entry)) assert.ok(existsSync(`${root}pkg/${f}`), `${f} is built`);
  }
});

test("the public TypeScript API of each entry has no `any`", () => {
  for (const file of ["quorum_kit.d.ts", "headless/quorum_kit_headless.d.ts", "crypto/quorum_kit_crypto.d.ts"]) {
    const dts = readFileSync(`${root}pkg/${file}`, "utf8");
    // Everything before wasm-bindgen's init section is the public API; InitOutput lists raw wasm exports.
    const publicApi = dts.split("export type InitInput")[0];
    const offenders = publicApi.split("\n").filter((l) => /\bany\b/.test(l) && !/^\s*(\*|\/\/)/.test(l));
    assert.deepEqual(offenders, [], file);
  }
});

test("a strict TypeScript consumer type-checks against the generated .d.ts", () => {
  const tsc = `${root}node_modules/.bin/tsc`;
  const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom,esnext.disposable", `${root}tests/types/consumer.ts`, `${root}tests/types/crypto-consumer.ts`, `${root}tests/types/headless-consumer.ts`];
  try {
    execFileSync(tsc, args, { cwd: root, stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
