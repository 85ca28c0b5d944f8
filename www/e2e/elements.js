// Loads the kit and registers its custom elements (an external module: the page's CSP forbids inline scripts).
import init, * as qk from "/pkg/quorum_kit.js";

window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
await init();
qk.defineQuorumElements();
window.qk = qk;
window.qkReady = true;
