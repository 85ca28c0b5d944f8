// Export isolated from the host page: <quorum-export-wallet export-frame-url> shows a frame served
// from another site (http://127.0.0.1:<port>, the sandbox's second listener), which holds the
// non-extractable target key, decrypts the bundle and reveals the phrase. The host page only runs
// the passkey and relays the encrypted bundle. Proved from the host's side: its DOM (with shadow
// roots), its JS heap (a CDP heap snapshot of the host's renderer) and every postMessage payload
// in or out never hold the phrase, while the frame shows it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, launchBrowser, ROOT } from "./helpers.mjs";

const SHOTS = join(ROOT, "target", "screenshots", "elements");
let sandbox, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [sandbox, browser] = await Promise.all([startSandbox({ env: { QUORUM_SANDBOX_FRAME_PORT: "0" } }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function heapSnapshot(cdp) {
  let chunks = "";
  const onChunk = (e) => { chunks += e.chunk; };
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  return chunks;
}

test("the host page never holds the phrase: DOM, JS heap and every message checked", async () => {
  assert.match(sandbox.info.exportFrameUrl, /^http:\/\/127\.0\.0\.1:\d+\/export-frame\/$/);
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    // Every payload crossing the host's windows and ports, both ways.
    window.__messages = [];
    const log = (dir, data) => { try { window.__messages.push(dir + " " + JSON.stringify(data)); } catch { window.__messages.push(dir + " <unserializable>"); } };
    const wpm = Window.prototype.postMessage;
    Window.prototype.postMessage = function (data, ...rest) { log("window-out", data); return wpm.call(this, data, ...rest); };
    const ppm = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (data, ...rest) { log("port-out", data); return ppm.call(this, data, ...rest); };
    const desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage");
    Object.defineProperty(MessagePort.prototype, "onmessage", {
      configurable: true,
      get() { return desc.get.call(this); },
      set(f) { desc.set.call(this, f && ((e) => { log("port-in", e.data); return f(e); })); },
    });
    window.addEventListener("message", (e) => log("window-in", e.data), true);
    window.__events = [];
    for (const t of ["quorum-state", "quorum-exported", "quorum-error", "quorum-signed-up"]) {
      document.addEventListener(t, (e) => window.__events.push({ t, detail: e.detail }));
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  try {
    await page.goto(`${sandbox.baseUrl}/e2e/elements.html`);
    await page.waitForFunction(() => window.qkReady === true);
    // Sign up with the element, then export through the frame.
    const user = await page.evaluate(async () => {
      const el = document.createElement("quorum-sign-up");
      el.setAttribute("rp-id", "localhost");
      el.setAttribute("signup-url", "/platform/signup");
      document.getElementById("app").append(el);
      const done = new Promise((r) => el.addEventListener("quorum-signed-up", (e) => r(e.detail)));
      el.shadowRoot.querySelector("input").value = "ivy";
      el.shadowRoot.querySelector("input").dispatchEvent(new Event("input"));
      el.shadowRoot.querySelector("[part=primary-button]").click();
      return done;
    });
    await page.evaluate(([user, info]) => {
      const el = document.createElement("quorum-export-wallet");
      el.id = "export";
      for (const [k, v] of Object.entries({
        "base-url": location.origin, "organization-id": user.subOrganizationId, "rp-id": "localhost",
        "wallet-id": user.walletId, "dangerously-override-signer-public-key": info.signerPublicKey,
        "export-frame-url": info.exportFrameUrl,
      })) el.setAttribute(k, v);
      document.getElementById("app").append(el);
    }, [user, sandbox.info]);
    const host = page.locator("#export");
    await page.waitForFunction(() => document.getElementById("export").getAttribute("state") === "idle", null, { timeout: 30_000 });
    const frame = host.locator("iframe").contentFrame();
    await frame.locator("input[type=checkbox]").check();
    await frame.locator("[part=primary-button]").click();
    await page.waitForFunction(() => document.getElementById("export").getAttribute("state") === "done", null, { timeout: 30_000 });
    await frame.locator("[part=primary-button]").click();
    await page.waitForFunction(() => document.getElementById("export").getAttribute("state") === "revealed");
    const words = await frame.locator("[part=phrase] li").allInnerTexts();
    assert.ok([12, 24].includes(words.length), `${words.length} words in the frame`);
    const phrase = words.join(" ");
    await host.screenshot({ path: join(SHOTS, "export-isolated-revealed.png") });

    // The frame runs in its own renderer (another site), so the host's heap is the host's alone.
    const { targetInfos } = await cdp.send("Target.getTargets");
    assert.ok(targetInfos.some((t) => t.type === "iframe" && t.url.startsWith(sandbox.info.exportFrameUrl)), "an out-of-process frame");

    const dom = await page.evaluate(() => {
      const parts = [document.documentElement.outerHTML];
      for (const el of document.querySelectorAll("*")) if (el.shadowRoot) parts.push(el.shadowRoot.innerHTML);
      return parts.join("\n");
    });
    assert.ok(!dom.includes(words[0] + " " + words[1]) && !dom.includes("<li>"), "no phrase in the host's DOM");
    const messages = await page.evaluate(() => window.__messages);
    assert.ok(messages.some((m) => m.startsWith("port-out") && m.includes("exportBundle")), "the bundle was relayed");
    assert.ok(messages.some((m) => m.includes("targetPublicKey")), "the frame named its target");
    for (const m of messages) assert.ok(!m.includes(phrase) && !m.includes(`${words[0]} ${words[1]} ${words[2]}`), `a message carried the phrase: ${m.slice(0, 80)}`);
    const events = JSON.stringify(await page.evaluate(() => window.__events));
    assert.match(events, /quorum-exported/);
    assert.ok(!events.includes(words[0] + " " + words[1]));
    const heap = await heapSnapshot(cdp);
    assert.ok(heap.length > 100_000, "a real snapshot");
    assert.ok(!heap.includes(`${words[0]} ${words[1]} ${words[2]}`), "no phrase in the host's JS heap");
    assert.ok(!heap.includes(phrase));
    // Hiding in the frame wipes it there and returns the element to idle.
    await frame.locator("[part=primary-button]").click();
    await page.waitForFunction(() => document.getElementById("export").getAttribute("state") === "idle");
    assert.equal(await frame.locator("[part=phrase] li").count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the frame refuses a parent that is not allowed, and is served only to allowed ancestors", async () => {
  const r = await fetch(sandbox.info.exportFrameUrl);
  const csp = r.headers.get("content-security-policy");
  assert.match(csp, new RegExp(`frame-ancestors ${sandbox.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  const cfg = await (await fetch(new URL("config.json", sandbox.info.exportFrameUrl))).json();
  assert.deepEqual(cfg.allowedParentOrigins, [sandbox.baseUrl]);
  // Opened directly (no allowed parent), the frame mounts nothing and says nothing.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(sandbox.info.exportFrameUrl);
    await page.waitForFunction(() => typeof window.quorumExportFrame === "object");
    await page.evaluate(() => {
      const { port1, port2 } = new MessageChannel();
      window.__got = [];
      port1.onmessage = (e) => window.__got.push(e.data);
      window.postMessage({ type: "quorum-export-connect", walletId: "w" }, "*", [port2]);
    });
    await page.waitForTimeout(300);
    assert.equal(await page.locator(".qk-root").count(), 0, "not mounted for a foreign origin");
    assert.deepEqual(await page.evaluate(() => window.__got), []);
  } finally {
    await context.close();
  }
});
