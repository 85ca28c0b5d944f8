// The Node half of `make bench`: the kit (pkg/) and Turnkey's packages in one process.
// Run by bench/run.mjs in a child process; prints its results as JSON on stdout (progress on stderr).
// Alone: `node bench/node.mjs [--scale 0.2] [--only stamp,fingerprint]`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, * as kit from "../pkg/quorum_kit.js";
import * as tk from "@turnkey/crypto";
import { ApiKeyStamper as TkApiKeyStamper } from "@turnkey/api-key-stamper";
import { bs58check, uint8ArrayToHexString as toHex, uint8ArrayFromHexString as fromHex } from "@turnkey/encoding";
import { createHash } from "sha256-uint8array";
import { p256 } from "@noble/curves/p256";
import { sha256 } from "@noble/hashes/sha256";
import { makeFixtures, makeCases, turnkeyChallengeFrom } from "./cases.mjs";
import { runAll, sinkValue } from "./harness.mjs";

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const scale = Number(arg("--scale") ?? 1);
const only = arg("--only")?.split(",");

await init({ module_or_path: readFileSync(fileURLToPath(new URL("../pkg/quorum_kit_bg.wasm", import.meta.url))) });
const d = { env: "node", kit, tk, TkApiKeyStamper, tkChallenge: turnkeyChallengeFrom(createHash), p256, sha256, bs58check, toHex, fromHex };
const log = (s) => process.stderr.write(`[node] ${s}\n`);
const t0 = performance.now();
const fx = makeFixtures(d);
log(`fixtures in ${(performance.now() - t0).toFixed(0)} ms`);
const cases = await runAll(makeCases(d, fx), { scale, only, log });
process.stdout.write(JSON.stringify({ cases, sink: sinkValue() }) + "\n");
