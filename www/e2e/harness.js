// The harness page's script (external: the sandbox serves pages under a CSP without inline scripts).
import init, * as qk from "/pkg/quorum_kit.js";

await init();
window.qk = qk;
document.getElementById("state").textContent = "ready";
window.qkReady = true;
