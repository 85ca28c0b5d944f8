// The Chromium half of `make bench`: bundled by esbuild (with Turnkey's packages, for the browser)
// into bench/out/browser-bench.js; index.html passes in the kit, loaded from /pkg/ as an app would.
import * as tk from "@turnkey/crypto";
import { ApiKeyStamper as TkApiKeyStamper } from "@turnkey/api-key-stamper";
import { bs58check, uint8ArrayToHexString as toHex, uint8ArrayFromHexString as fromHex } from "@turnkey/encoding";
import { createHash } from "sha256-uint8array";
import { p256 } from "@noble/curves/p256";
import { sha256 } from "@noble/hashes/sha256";
import { makeFixtures, makeCases, turnkeyChallengeFrom } from "../cases.mjs";
import { runAll, sinkValue } from "../harness.mjs";

export async function run(kit, { scale = 1, only } = {}) {
  const d = { env: "browser", kit, tk, TkApiKeyStamper, tkChallenge: turnkeyChallengeFrom(createHash), p256, sha256, bs58check, toHex, fromHex };
  const log = (s) => console.log(`[chromium] ${s}`);
  const fx = makeFixtures(d);
  const cases = await runAll(makeCases(d, fx), { scale, only, log });
  return { cases, sink: sinkValue(), crossOriginIsolated: globalThis.crossOriginIsolated === true };
}
