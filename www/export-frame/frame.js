// The isolated export frame, served from its own origin: it holds the export target key, decrypts
// the bundle and reveals the phrase; the embedding <quorum-export-wallet export-frame-url> only
// relays the passkey approval and the encrypted bundle. config.json names the parents it serves.
import init, { mountExportFrame } from "/pkg/quorum_kit.js";

const config = await (await fetch("./config.json")).json();
await init();
window.quorumExportFrame = mountExportFrame(document.getElementById("root"), config.allowedParentOrigins);
