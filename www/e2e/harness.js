// The harness page's script (external: the sandbox serves pages under a CSP without inline scripts).
// `?entry=headless` loads `quorum-kit/headless` (the browser layer without the UI) instead.
const headless = new URLSearchParams(location.search).get("entry") === "headless";
const { default: init, ...qk } = await import(headless ? "/pkg/headless/quorum_kit_headless.js" : "/pkg/quorum_kit.js");

await init();
window.qk = qk;
/** A client for a signed-up user (`{subOrganizationId}`), stamped by their passkey. */
window.passkeyClient = (user, poll) =>
  new qk.Client({ baseUrl: location.origin, organizationId: user.subOrganizationId, stamper: new qk.WebauthnStamper({ rpId: "localhost" }), poll });
document.getElementById("state").textContent = "ready";
window.qkReady = true;
