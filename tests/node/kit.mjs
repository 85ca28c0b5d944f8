// Loads the built npm package (pkg/) in Node 20 the way its README says:
// `await init({ module_or_path: <bytes> })`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, * as kit from "../../pkg/quorum_kit.js";

const wasm = readFileSync(fileURLToPath(new URL("../../pkg/quorum_kit_bg.wasm", import.meta.url)));
await init({ module_or_path: wasm });

export default kit;
