// Loads the built npm package (pkg/) in Node 20 the way its README says:
// `await init({ module_or_path: <bytes> })`; every entry: `quorum-kit`, `quorum-kit/headless` and
// `quorum-kit/crypto`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, * as kit from "../../pkg/quorum_kit.js";
import initHeadless, * as headlessEntry from "../../pkg/headless/quorum_kit_headless.js";
import initCrypto, * as cryptoEntry from "../../pkg/crypto/quorum_kit_crypto.js";

const bytes = (path) => readFileSync(fileURLToPath(new URL(path, import.meta.url)));
await init({ module_or_path: bytes("../../pkg/quorum_kit_bg.wasm") });
await initHeadless({ module_or_path: bytes("../../pkg/headless/quorum_kit_headless_bg.wasm") });
await initCrypto({ module_or_path: bytes("../../pkg/crypto/quorum_kit_crypto_bg.wasm") });

export default kit;
/** `quorum-kit/headless`: the browser layer's API without the UI. */
export const headless = headlessEntry;
/** `quorum-kit/crypto`: the crypto-only entry (bundles, stamps, keys). */
export const crypto = cryptoEntry;
