// The custom elements in a plain page with a strict CSP and an aggressive CSS reset
// (www/e2e/elements.html), driven as a host page and a person would: Chromium with a virtual
// passkey authenticator against the sandbox. Happy paths and error paths (passkey cancelled,
// platform rejects by rule with its reason, network errors mid-poll, a reload while pending
// resumes the same activity), the whole approval by keyboard alone, axe-core in every state in
// light and dark, zero CSP violations, and screenshots of every state under target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, launchBrowser, ROOT, unsignedEip1559, recoverEip1559Signer } from "./helpers.mjs";
import kit from "../node/kit.mjs";

const SHOTS = join(ROOT, "target", "screenshots", "elements");
const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const DENIED = "0x" + "de".repeat(20);
const FRIEND = "0x" + "35".repeat(20);

let sandbox, slow, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [sandbox, slow, browser] = await Promise.all([
    startSandbox(),
    // A co-signer that takes its time, so "pending platform approval" lasts long enough to reload.
    startSandbox({ env: { QUORUM_SANDBOX_COSIGNER_DELAY_MS: "5000" } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([sandbox?.stop(), slow?.stop()]);
});

/** A page on the elements harness with a virtual authenticator; records every quorum-* event. */
async function openPage(sb = sandbox, { colorScheme = "light" } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ["quorum-signed-up", "quorum-pending-approval", "quorum-approved", "quorum-rejected",
      "quorum-exported", "quorum-error", "quorum-state"]) {
      document.addEventListener(type, (e) => window.__events.push({ type, tag: e.target.localName, detail: e.detail }));
    }
    // A person pressing "Cancel" in the browser's passkey sheet: the browser rejects with NotAllowedError.
    const c = navigator.credentials;
    for (const m of ["create", "get"]) {
      const real = c[m].bind(c);
      c[m] = (o) => {
        if (window.__cancelNext) {
          window.__cancelNext = false;
          return Promise.reject(new DOMException("The operation either timed out or was not allowed.", "NotAllowedError"));
        }
        return real(o);
      };
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${sb.baseUrl}/e2e/elements.html`);
  await page.waitForFunction(() => window.qkReady === true, null, { timeout: 30_000 });
  return { page, context, errors, close: () => context.close() };
}

/** Appends an element with attributes; returns its locator. */
async function add(page, tag, attrs = {}, id = tag) {
  await page.evaluate(({ tag, attrs, id }) => {
    const el = document.createElement(tag);
    el.id = id;
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.getElementById("app").append(el);
  }, { tag, attrs, id });
  return page.locator(`#${id}`);
}

const stateOf = (el) => el.getAttribute("state");
/** What a person reads in an element (its shadow root's rendered text). */
const text = (el) => el.locator(".qk-root").innerText();
async function waitState(el, state, timeout = 20_000) {
  await el.page().waitForFunction(([id, s]) => document.getElementById(id)?.getAttribute("state") === s,
    [await el.getAttribute("id"), state], { timeout });
}
const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t), type);

async function shot(el, name) {
  await el.page().waitForTimeout(50);
  await el.screenshot({ path: join(SHOTS, `${name}.png`), animations: "disabled" });
}

async function axe(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"] },
  }));
  const v = r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(v, [], `axe violations in ${label}`);
}

async function signUpWith(page, name, { id = "signup" } = {}) {
  const el = await add(page, "quorum-sign-up", { "rp-id": "localhost", "rp-name": "quorum-kit e2e", "signup-url": "/platform/signup" }, id);
  await waitState(el, "idle");
  await el.locator("input").fill(name);
  await el.locator("[part=primary-button]").click();
  await waitState(el, "done");
  const [ev] = await events(page, "quorum-signed-up");
  return { el, user: ev.detail };
}

function approveAttrs(sb, user, tx) {
  return { "base-url": sb.baseUrl, "organization-id": user.subOrganizationId, "rp-id": "localhost",
    "sign-with": user.addresses[0], "unsigned-transaction": tx };
}

async function setReasonHook(page, id, subOrganizationId) {
  await page.evaluate(([id, org]) => {
    document.getElementById(id).reasonFor = async (activityId) => {
      const r = await fetch(`/platform/decisions?subOrganizationId=${encodeURIComponent(org)}`);
      return (await r.json()).decisions.find((d) => d.activityId === activityId)?.reason;
    };
  }, [id, subOrganizationId]);
}

async function adminHeaders(sb) {
  const r = await fetch(`${sb.baseUrl}/platform/admin/token`);
  return r.ok ? { "x-platform-admin-token": (await r.json()).token } : {};
}

async function setRules(sb, rules) {
  const r = await fetch(`${sb.baseUrl}/platform/admin/rules`, {
    method: "POST", headers: { "content-type": "application/json", ...(await adminHeaders(sb)) }, body: JSON.stringify(rules),
  });
  assert.ok(r.ok, `rules: ${r.status}`);
}

/** Sign-transaction activities in a sub-organization, read with the platform's API key (the parent org). */
async function signActivities(sb, subOrganizationId) {
  const key = JSON.parse(readFileSync(join(sb.dataDir, "platform-api-key.json"), "utf8"));
  const stamper = new kit.ApiKeyStamper({ apiPublicKey: key.publicKey, apiPrivateKey: key.privateKey, runtimeOverride: "purejs" });
  const body = JSON.stringify({ organizationId: subOrganizationId });
  const { stampHeaderName, stampHeaderValue } = await stamper.stamp(body);
  const r = await fetch(`${sb.baseUrl}/public/v1/query/list_activities`, {
    method: "POST", headers: { "content-type": "application/json", [stampHeaderName]: stampHeaderValue }, body,
  });
  const answer = await r.text();
  assert.ok(r.ok, `list_activities ${r.status}: ${answer}`);
  return JSON.parse(answer).activities.filter((a) => a.type.startsWith("ACTIVITY_TYPE_SIGN_TRANSACTION"));
}

test("sign up, approve 2-of-2, be declined by a rule with the reason, and export: every state screenshotted and axe-clean", async () => {
  for (const scheme of ["light", "dark"]) {
    const h = await openPage(sandbox, { colorScheme: scheme });
    try {
      const { page } = h;
      const { el: signup, user } = await signUpWith(page, `alice-${scheme}`);
      assert.match(user.subOrganizationId, /.+/);
      assert.match(user.addresses[0], /^0x[0-9a-fA-F]{40}$/);
      assert.deepEqual((await events(page, "quorum-state")).filter((e) => e.tag === "quorum-sign-up").map((e) => e.detail.state),
        ["idle", "awaiting-passkey", "creating-wallet", "done"]);
      await shot(signup, `sign-up-done-${scheme}`);
      await axe(page, `sign-up done (${scheme})`);

      const tx = unsignedEip1559({ to: FRIEND, valueWei: 10n ** 16n, nonce: 1 });
      const approve = await add(page, "quorum-approve-transaction", approveAttrs(sandbox, user, tx), "approve");
      await waitState(approve, "idle");
      const shown = await text(approve);
      assert.match(shown, /0\.01 ETH/);
      assert.match(shown, /0x3535353535353535353535353535353535353535/i);
      await shot(approve, `approve-idle-${scheme}`);
      await axe(page, `approve idle (${scheme})`);
      await approve.locator("[part=primary-button]").click();
      await waitState(approve, "approved");
      const [pending] = await events(page, "quorum-pending-approval");
      assert.equal(pending.detail.approvals.length, 1, "the user's own vote");
      const [approved] = await events(page, "quorum-approved");
      assert.equal(approved.detail.activityId, pending.detail.activityId);
      assert.equal(recoverEip1559Signer(approved.detail.signedTransaction, tx).toLowerCase(), user.addresses[0].toLowerCase());
      await shot(approve, `approve-approved-${scheme}`);
      await axe(page, `approve approved (${scheme})`);

      await setRules(sandbox, { denyRecipients: [DENIED] });
      const denied = await add(page, "quorum-approve-transaction",
        approveAttrs(sandbox, user, unsignedEip1559({ to: DENIED, valueWei: 5n, nonce: 2 })), "denied");
      await setReasonHook(page, "denied", user.subOrganizationId);
      await denied.locator("[part=primary-button]").click();
      await waitState(denied, "rejected");
      const [rejected] = await events(page, "quorum-rejected");
      assert.match(rejected.detail.reason, /deny/i);
      assert.match(await denied.locator("[part=reason]").innerText(), /deny/i);
      await shot(denied, `approve-rejected-${scheme}`);
      await axe(page, `approve rejected (${scheme})`);
      await setRules(sandbox, { denyRecipients: [] });

      const exp = await add(page, "quorum-export-wallet", {
        "base-url": sandbox.baseUrl, "organization-id": user.subOrganizationId, "rp-id": "localhost",
        "wallet-id": user.walletId, "dangerously-override-signer-public-key": sandbox.info.signerPublicKey,
      }, "export");
      await waitState(exp, "idle");
      assert.equal(await exp.locator("[part=primary-button]").isDisabled(), true, "needs the confirmation");
      await shot(exp, `export-idle-${scheme}`);
      await axe(page, `export idle (${scheme})`);
      await exp.locator("input[type=checkbox]").check();
      await exp.locator("[part=primary-button]").click();
      await waitState(exp, "done");
      const html = () => page.evaluate(() => document.getElementById("export").shadowRoot.innerHTML);
      assert.doesNotMatch(await html(), /<li>/, "no phrase in the DOM before Reveal");
      await shot(exp, `export-done-${scheme}`);
      await axe(page, `export done (${scheme})`);
      await exp.locator("[part=primary-button]").click();
      await waitState(exp, "revealed");
      const words = await exp.locator("[part=phrase] li").allInnerTexts();
      assert.ok([12, 15, 18, 21, 24].includes(words.length), `${words.length} words`);
      assert.ok(words.every((w) => /^[a-z]+$/.test(w)));
      await shot(exp, `export-revealed-${scheme}`);
      await axe(page, `export revealed (${scheme})`);
      // The phrase never leaves in an event or an attribute.
      const everything = JSON.stringify(await page.evaluate(() => window.__events)) +
        (await page.evaluate(() => [...document.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.value)).join(" ")));
      assert.ok(!everything.includes(words.join(" ")));
      await exp.locator("[part=primary-button]").click();
      await waitState(exp, "idle");
      assert.doesNotMatch(await html(), new RegExp(words[0] + "|<li>"));
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  }
});

test("a cancelled passkey returns to idle with a message; the retry succeeds", async () => {
  const h = await openPage();
  try {
    const { page } = h;
    const el = await add(page, "quorum-sign-up", { "rp-id": "localhost", "signup-url": "/platform/signup" });
    await el.locator("input").fill("carol");
    await page.evaluate(() => { window.__cancelNext = true; });
    await el.locator("[part=primary-button]").click();
    await page.waitForFunction(() => window.__events.some((e) => e.type === "quorum-error"));
    await waitState(el, "idle");
    assert.match(await el.locator("[part=notice]").innerText(), /cancelled or timed out/);
    const [err] = await events(page, "quorum-error");
    assert.equal(err.detail.name, "PasskeyCancelledError");
    await shot(el, "sign-up-cancelled-light");
    await axe(page, "sign-up cancelled");
    await el.locator("[part=primary-button]").click();
    await waitState(el, "done");
  } finally {
    await h.close();
  }
});

test("a platform sign-up failure shows the error in plain words and retry returns to the form", async () => {
  const h = await openPage();
  try {
    const { page } = h;
    const el = await add(page, "quorum-sign-up", { "rp-id": "localhost" });
    await page.evaluate(() => {
      document.getElementById("quorum-sign-up").createSubOrganization = async () => { throw new Error("sign-ups are closed today"); };
    });
    await el.locator("input").fill("dan");
    await el.locator("[part=primary-button]").click();
    await waitState(el, "error");
    assert.match(await text(el), /sign-ups are closed today/);
    await shot(el, "sign-up-error-light");
    await axe(page, "sign-up error");
    await el.locator("[part=primary-button]").click();
    await waitState(el, "idle");
  } finally {
    await h.close();
  }
});

test("network errors mid-poll recover; a reload while pending resumes the same activity (exactly one in the sandbox)", async () => {
  const h = await openPage(slow);
  try {
    const { page } = h;
    const { user } = await signUpWith(page, "erin");
    let submissions = 0;
    let dropped = 0;
    await page.route("**/public/v1/submit/sign_transaction", (route) => { submissions++; return route.continue(); });
    await page.route("**/public/v1/query/get_activity", (route) => (dropped++ < 3 ? route.abort("connectionreset") : route.continue()));
    const tx = unsignedEip1559({ to: FRIEND, valueWei: 7n, nonce: 3 });
    const el = await add(page, "quorum-approve-transaction", approveAttrs(slow, user, tx), "approve");
    await el.locator("[part=primary-button]").click();
    await waitState(el, "pending-approval");
    await page.waitForTimeout(1200);
    const pendingText = await text(el);
    assert.match(pendingText, /Pending platform approval/);
    assert.match(pendingText, /1 of 2 approvals/);
    assert.match(pendingText, /Waiting for \d+ seconds?/);
    await shot(el, "approve-pending-light");
    await axe(page, "approve pending (light)");
    assert.ok(dropped >= 3, "polls failed and were retried");

    // Reload: the page builds the same element again; it resumes instead of submitting.
    await page.reload();
    await page.waitForFunction(() => window.qkReady === true);
    const again = await add(page, "quorum-approve-transaction", approveAttrs(slow, user, tx), "approve");
    await waitState(again, "pending-approval");
    await waitState(again, "approved", 30_000);
    assert.equal(submissions, 1, "one submission across both page loads");
    const acts = await signActivities(slow, user.subOrganizationId);
    assert.equal(acts.length, 1, "the sandbox holds exactly one activity");
    assert.equal(acts[0].status, "ACTIVITY_STATUS_COMPLETED");
  } finally {
    await h.close();
  }
});

test("the whole approval and export done with the keyboard alone, in dark, Arabic and a custom brand", async () => {
  const h = await openPage(sandbox, { colorScheme: "dark" });
  try {
    const { page } = h;
    const { user } = await signUpWith(page, "farah");
    const tx = unsignedEip1559({ to: FRIEND, valueWei: 2n * 10n ** 15n, nonce: 4 });
    const el = await add(page, "quorum-approve-transaction", { ...approveAttrs(sandbox, user, tx), lang: "ar", theme: "dark" }, "approve");
    await waitState(el, "idle");
    assert.equal(await el.locator(".qk-root").getAttribute("dir"), "rtl");
    assert.match(await text(el), /الموافقة على المعاملة/);
    // Figures with their units stay left to right inside the right-to-left layout ("30 gwei", not "gwei 30").
    const ltr = await el.evaluate((e) => [...e.shadowRoot.querySelectorAll("span[dir=ltr]")].map((s) => s.textContent));
    assert.ok(ltr.some((t) => /ETH$/.test(t)) && ltr.some((t) => /^30 gwei$/.test(t)), ltr.join(" | "));
    await shot(el, "approve-idle-ar-dark");
    await axe(page, "approve idle (ar, dark)");
    // Tab from the top of the page until the approve button has focus, then Enter.
    await page.evaluate(() => document.activeElement?.blur());
    const focusedPart = () => page.evaluate(() => document.getElementById("approve").shadowRoot.activeElement?.getAttribute("part"));
    for (let i = 0; i < 20 && (await focusedPart()) !== "primary-button"; i++) await page.keyboard.press("Tab");
    assert.equal(await focusedPart(), "primary-button");
    const ring = await page.evaluate(() => getComputedStyle(document.getElementById("approve").shadowRoot.activeElement).boxShadow);
    assert.notEqual(ring, "none", "a visible focus ring");
    await page.keyboard.press("Enter");
    await waitState(el, "approved");
    // Focus moved to the new state's heading or action.
    assert.ok(["title", "primary-button"].includes(await focusedPart()));

    const exp = await add(page, "quorum-export-wallet", {
      "base-url": sandbox.baseUrl, "organization-id": user.subOrganizationId, "rp-id": "localhost",
      "wallet-id": user.walletId, "dangerously-override-signer-public-key": sandbox.info.signerPublicKey,
    }, "brand");
    await page.evaluate(() => {
      const e = document.getElementById("brand");
      e.style.setProperty("--qk-color-accent", "#0b6e4f");
      e.style.setProperty("--qk-color-accent-fg", "#ffffff");
      e.style.setProperty("--qk-radius", "2px");
      e.style.setProperty("--qk-font-family", "Georgia, serif");
    });
    const accent = await page.evaluate(() =>
      getComputedStyle(document.getElementById("brand").shadowRoot.querySelector("[part=primary-button]")).backgroundColor);
    assert.equal(accent, "rgb(11, 110, 79)", "a token set by the host reaches the shadow root");
    await shot(exp, "export-idle-brand");
    const expPart = () => page.evaluate(() => document.getElementById("brand").shadowRoot.activeElement?.getAttribute("part"));
    for (let i = 0; i < 20 && (await expPart()) !== "checkbox"; i++) await page.keyboard.press("Tab");
    assert.equal(await expPart(), "checkbox");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    assert.equal(await expPart(), "primary-button");
    await page.keyboard.press("Enter");
    await waitState(exp, "done");
    await page.waitForTimeout(50);
    assert.equal(await expPart(), "primary-button", "focus moves to Reveal");
    await page.keyboard.press("Enter");
    await waitState(exp, "revealed");
    await shot(exp, "export-revealed-brand");
    // A light-theme brand accent on a dark card: every label stays readable (the outline button's too).
    await axe(page, "export revealed (brand accent, dark)");
  } finally {
    await h.close();
  }
});

test("strict CSP and a hostile CSS reset: the elements render and work with zero policy violations", async () => {
  const h = await openPage();
  try {
    const { page } = h;
    const { el } = await signUpWith(page, "gus");
    const box = await el.boundingBox();
    assert.ok(box.height > 100 && box.width > 250, "laid out despite `all: unset`");
    const font = await page.evaluate(() => getComputedStyle(document.getElementById("signup").shadowRoot.querySelector(".qk-title")).fontWeight);
    assert.equal(font, "650");
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    // The styles arrive as constructed sheets, never <style> elements.
    assert.equal(await page.evaluate(() => document.getElementById("signup").shadowRoot.querySelectorAll("style").length), 0);
    assert.ok(await page.evaluate(() => document.getElementById("signup").shadowRoot.adoptedStyleSheets.length >= 2));
  } finally {
    await h.close();
  }
});

test("moving an element keeps its state; removing it unmounts; a property set before definition is used", async () => {
  const h = await openPage();
  try {
    const { page } = h;
    const { el, user } = await signUpWith(page, "hana");
    await page.evaluate(() => { const e = document.getElementById("signup"); document.body.append(e); });
    await page.waitForTimeout(50);
    assert.equal(await stateOf(el), "done", "a DOM move is not an unmount");
    assert.match(await text(el), /Your wallet is ready/);
    await page.evaluate(() => document.getElementById("signup").remove());
    // Upgrade: a property set on an element created before registration is picked up.
    const out = await page.evaluate(async (user) => {
      const e = document.createElement("quorum-late");
      const x = document.createElement("quorum-sign-up");
      x.createSubOrganization = async () => user;
      document.getElementById("app").append(x);
      return { hasProp: typeof x.createSubOrganization, inProto: "createSubOrganization" in x, e: e.localName };
    }, user);
    assert.deepEqual(out, { hasProp: "function", inProto: true, e: "quorum-late" });
    assert.equal(await page.evaluate(() => { window.qk.defineQuorumElements(); return "ok"; }), "ok", "idempotent");
  } finally {
    await h.close();
  }
});

test("kill -9 of the sandbox while pending: the element recovers without a reload once it is back", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "quorum-restart-"));
  const env = { QUORUM_SANDBOX_COSIGNER_DELAY_MS: "3000" };
  let sb = await startSandbox({ env, dataDir });
  const h = await openPage(sb);
  try {
    const { page } = h;
    const { user } = await signUpWith(page, "ivan");
    const tx = unsignedEip1559({ to: FRIEND, valueWei: 9n, nonce: 5 });
    const el = await add(page, "quorum-approve-transaction", approveAttrs(sb, user, tx), "approve");
    await el.locator("[part=primary-button]").click();
    await waitState(el, "pending-approval");
    await sb.kill9();
    await page.waitForTimeout(1500);
    assert.equal(await stateOf(el), "pending-approval", "still waiting while the sandbox is down");
    sb = await startSandbox({ env, dataDir, port: sb.port });
    await waitState(el, "approved", 30_000);
    assert.equal((await signActivities(sb, user.subOrganizationId)).length, 1);
  } finally {
    await h.close();
    await sb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
