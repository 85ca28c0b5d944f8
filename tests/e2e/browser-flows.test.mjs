// End to end in headless Chromium against the sandbox, with a CDP virtual authenticator:
// sign-up with a passkey, 2-of-2 signing with the platform co-signer approving or rejecting,
// export decrypted in the page, a cancelled ceremony, a batch under one session, and
// @turnkey/http's TurnkeyClient with the kit's WebauthnStamper.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startSandbox,
  launchBrowser,
  openHarness,
  signUp,
  unsignedEip1559,
  recoverEip1559Signer,
} from "./helpers.mjs";

const POLL = { initialIntervalMs: 100, maxIntervalMs: 400, deadlineMs: 30_000 };
const RECIPIENT = "0x" + "11".repeat(20);
const DENIED = "0x" + "de".repeat(20);

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Runs `sign_transaction` with the passkey in the page and follows it to its end. */
function signInPage(h, user, unsigned) {
  return h.page.evaluate(
    async ({ user, unsigned, POLL }) => {
      const client = window.passkeyClient(user, POLL);
      const updates = [];
      const getsBefore = window.__ceremonies.get;
      const pending = client.signTransaction(
        { signWith: user.addresses[0], unsignedTransaction: unsigned, type: "TRANSACTION_TYPE_ETHEREUM" },
        { onUpdate: (u) => updates.push({ status: u.status, pending: u.pendingApproval, approvals: u.approvals }) },
      );
      // The passkey ceremony started inside the call, before any await (Safari's gesture rule).
      const startedSynchronously = window.__ceremonies.get === getsBefore + 1;
      const handle = await pending;
      const getsAfterSubmit = window.__ceremonies.get;
      const submitted = {
        startedSynchronously,
        status: handle.status,
        pending: handle.pendingApproval,
        votes: handle.activity.votes.map((v) => v.userId),
        fingerprint: handle.fingerprint,
      };
      try {
        const result = await handle.wait();
        return { submitted, updates, result, final: handle.activity, pollAssertions: window.__ceremonies.get - getsAfterSubmit };
      } catch (e) {
        return { submitted, updates, error: { name: e.name, message: e.message, activity: e.activity, reason: e.reason } };
      }
    },
    { user, unsigned, POLL },
  );
}

// Both entries that have the browser layer: the whole package, and `quorum-kit/headless` (no UI).
for (const entry of ["quorum-kit", "quorum-kit/headless"]) {
  test(`${entry}: passkey sign-up, then a transaction pending platform approval, approved and verified`, async () => {
    const h = await openHarness(browser, sandbox, { entry });
    try {
      const hasElements = await h.page.evaluate(() => typeof window.qk.defineQuorumElements === "function");
      assert.equal(hasElements, entry === "quorum-kit", "the page loaded the entry under test");
      const { registration, user } = await signUp(h, `alice-${entry.split("/")[1] ?? "main"}`);
      assert.deepEqual(registration.attestation.transports, ["AUTHENTICATOR_TRANSPORT_INTERNAL"]);
      assert.match(registration.challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(user.subOrganizationId && user.walletId && user.endUserId && user.platformUserId);
      assert.equal(user.addresses.length, 1);
      assert.deepEqual(await h.ceremonies(), { create: 1, get: 0 });
      assert.equal((await h.credentials()).length, 1, "one resident passkey");

      const who = await h.page.evaluate(async (user) => {
        const client = window.passkeyClient(user);
        return client.whoami();
      }, user);
      assert.equal(who.userId, user.endUserId);
      assert.equal(who.organizationId, user.subOrganizationId);

      const unsigned = unsignedEip1559({ to: RECIPIENT, valueWei: 12_345n, nonce: 7 });
      const out = await signInPage(h, user, unsigned);
      assert.equal(out.error, undefined, JSON.stringify(out.error));
      assert.equal(out.submitted.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
      assert.equal(out.submitted.startedSynchronously, true);
      assert.equal(out.submitted.pending, true);
      assert.deepEqual(out.submitted.votes, [user.endUserId], "the user's vote is recorded");
      console.log(`# passkey-only client: ${out.pollAssertions} get_activity poll(s) stamped by the passkey while pending`);
      assert.deepEqual(out.updates[0], {
        status: "ACTIVITY_STATUS_CONSENSUS_NEEDED",
        pending: true,
        approvals: [user.endUserId],
      });
      const last = out.updates.at(-1);
      assert.equal(last.status, "ACTIVITY_STATUS_COMPLETED");
      assert.deepEqual(new Set(last.approvals), new Set([user.endUserId, user.platformUserId]));
      assert.equal(recoverEip1559Signer(out.result.signedTransaction, unsigned), user.addresses[0].toLowerCase());
      const decisions = await (await fetch(`${sandbox.baseUrl}/platform/decisions`)).json();
      assert.ok(JSON.stringify(decisions).includes(out.submitted.fingerprint), "the platform decided on this activity");
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}

test("the platform rejects a transaction to a denied recipient", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "bob");
    await sandbox.post("/platform/admin/rules", { denyRecipients: [DENIED] });
    const out = await signInPage(h, user, unsignedEip1559({ to: DENIED, valueWei: 1n }));
    assert.equal(out.submitted.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    assert.equal(out.error?.name, "ActivityRejectedError", JSON.stringify(out.error));
    assert.equal(out.error.activity.status, "ACTIVITY_STATUS_REJECTED");
    assert.equal(out.updates.at(-1).status, "ACTIVITY_STATUS_REJECTED");
    // Over the value limit is rejected too, with the same typed error.
    await sandbox.post("/platform/admin/rules", { denyRecipients: [], maxValueWei: "10" });
    const over = await signInPage(h, user, unsignedEip1559({ to: RECIPIENT, valueWei: 11n }));
    assert.equal(over.error?.name, "ActivityRejectedError");
  } finally {
    await sandbox.post("/platform/admin/rules", { denyRecipients: [], maxValueWei: "1000000000000000000" });
    await h.close();
  }
});

for (const entry of ["quorum-kit", "quorum-kit/headless"]) {
  test(`${entry}: an export is decrypted in the page with a fresh target key`, async () => {
    const h = await openHarness(browser, sandbox, { entry });
    try {
      const { user } = await signUp(h, `carol-${entry.split("/")[1] ?? "main"}`);
      const out = await h.page.evaluate(
        async ({ user, signer, POLL }) => {
          const qk = window.qk;
          const client = window.passkeyClient(user, POLL);
          const target = qk.generateP256KeyPair();
          const handle = await client.exportWallet({ walletId: user.walletId, targetPublicKey: target.publicKeyUncompressed });
          const status = handle.status;
          const { exportBundle } = await handle.wait();
          const mnemonic = await qk.decryptExportBundle({
            exportBundle,
            embeddedKey: target.privateKey,
            organizationId: user.subOrganizationId,
            returnMnemonic: true,
            dangerouslyOverrideSignerPublicKey: signer,
          });
          // A bundle for another organization is refused.
          let refused = null;
          try {
            await qk.decryptExportBundle({
              exportBundle,
              embeddedKey: target.privateKey,
              organizationId: "00000000-0000-0000-0000-000000000000",
              returnMnemonic: true,
              dangerouslyOverrideSignerPublicKey: signer,
            });
          } catch (e) {
            refused = e.name;
          }
          return { status, words: mnemonic.split(" ").length, lowercase: /^[a-z ]+$/.test(mnemonic), refused };
        },
        { user, signer: sandbox.info.signerPublicKey, POLL },
      );
      assert.equal(out.status, "ACTIVITY_STATUS_COMPLETED", "the export policy needs only the user");
      assert.equal(out.words, 12);
      assert.ok(out.lowercase);
      assert.equal(out.refused, "OrganizationMismatchError");
    } finally {
      await h.close();
    }
  });
}

test("a cancelled or timed-out ceremony surfaces as PasskeyCancelledError", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "dave");
    // Nobody touches the authenticator: the ceremony times out, which browsers report like a cancel.
    await h.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: h.authenticatorId, enabled: false });
    const out = await h.page.evaluate(async (user) => {
      const qk = window.qk;
      const errors = {};
      const client = new qk.Client({
        baseUrl: location.origin,
        organizationId: user.subOrganizationId,
        stamper: new qk.WebauthnStamper({ rpId: "localhost", timeout: 1500 }),
      });
      try {
        await client.signRawPayload({
          signWith: user.addresses[0],
          payload: "00",
          encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
          hashFunction: "HASH_FUNCTION_KECCAK256",
        });
      } catch (e) {
        errors.client = { name: e.name, code: e.code, cancelled: e.cancelled, isError: e instanceof Error };
      }
      try {
        await qk.registerPasskey({ rpName: "x", rpId: "localhost", userName: "dave-2", timeout: 1500 });
      } catch (e) {
        errors.register = { name: e.name, code: e.code };
      }
      try {
        await qk.assertPasskey({ rpId: "example.com", challenge: "abc", timeout: 1500 });
      } catch (e) {
        errors.wrongRpId = { name: e.name, code: e.code };
      }
      return errors;
    }, user);
    assert.deepEqual(out.client, { name: "PasskeyCancelledError", code: "NotAllowedError", cancelled: true, isError: true });
    assert.deepEqual(out.register, { name: "PasskeyCancelledError", code: "NotAllowedError" });
    assert.deepEqual(out.wrongRpId, { name: "PasskeySecurityError", code: "SecurityError" });
  } finally {
    await h.close();
  }
});

test("five activities under one read-write session, no further passkey prompt; the session survives a reload", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "erin");
    const before = await h.ceremonies();
    const made = await h.page.evaluate(
      async ({ user, POLL }) => {
        window.client = window.passkeyClient(user, POLL);
        const info = await window.client.createReadWriteSession({ expirationSeconds: 600 });
        return { info, session: window.client.session, gets: window.__ceremonies.get };
      },
      { user, POLL },
    );
    assert.equal(made.info.userId, user.endUserId);
    assert.match(made.info.publicKey, /^0[23][0-9a-f]{64}$/);
    assert.ok(made.info.expiresAt > Date.now() + 590_000 && made.info.expiresAt < Date.now() + 610_000);
    assert.deepEqual(made.session, made.info);
    const afterSession = await h.ceremonies();
    const signCountBefore = (await h.credentials())[0].signCount;

    const unsigned = [0, 1, 2, 3, 4].map((n) => unsignedEip1559({ to: RECIPIENT, valueWei: 1000n + BigInt(n), nonce: n }));
    const batch = await h.page.evaluate(async ({ unsigned, address }) => {
      const handles = [];
      const t0 = performance.now();
      for (const tx of unsigned) {
        handles.push(await window.client.signTransaction({ signWith: address, unsignedTransaction: tx, type: "TRANSACTION_TYPE_ETHEREUM" }));
      }
      const submitMs = performance.now() - t0;
      const statuses = handles.map((h) => h.status);
      const results = await Promise.all(handles.map((h) => h.wait()));
      const who = await window.client.whoami();
      return { statuses, signed: results.map((r) => r.signedTransaction), who, submitMs };
    }, { unsigned, address: user.addresses[0] });
    assert.equal(batch.signed.length, 5);
    batch.signed.forEach((s, i) => assert.equal(recoverEip1559Signer(s, unsigned[i]), user.addresses[0].toLowerCase()));
    assert.ok(batch.statuses.every((s) => s === "ACTIVITY_STATUS_CONSENSUS_NEEDED"), batch.statuses.join());
    assert.equal(batch.who.userId, user.endUserId, "the session acts as the user");
    assert.deepEqual(await h.ceremonies(), afterSession, "no passkey prompt during the batch");
    assert.equal((await h.credentials())[0].signCount, signCountBefore, "the authenticator signed nothing more");
    console.log(
      `# session: creating it took ${afterSession.get - before.get} passkey assertion(s); five submissions in ${batch.submitMs.toFixed(1)} ms`,
    );

    // A reload keeps the session (the non-extractable CryptoKey is in IndexedDB) until it expires.
    await h.page.reload();
    await h.page.waitForFunction(() => window.qkReady === true);
    const restored = await h.page.evaluate(async (user) => {
      const qk = window.qk;
      const client = window.passkeyClient(user);
      const info = await client.restoreSession();
      const who = await client.whoami();
      const stamper = await qk.WebCryptoStamper.fromSession();
      await client.clearSession();
      const afterClear = await qk.WebCryptoStamper.fromSession();
      return { info, who, stamperKey: stamper?.publicKey, afterClear, gets: window.__ceremonies.get };
    }, user);
    assert.equal(restored.info.publicKey, made.info.publicKey);
    assert.equal(restored.who.userId, user.endUserId);
    assert.equal(restored.stamperKey, made.info.publicKey);
    assert.equal(restored.afterClear, null);
    assert.equal(restored.gets, 0, "no passkey prompt after the reload");
  } finally {
    await h.close();
  }
});

test("a lapsed session falls back to the passkey", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "heidi");
    const out = await h.page.evaluate(
      async ({ user, POLL }) => {
        const client = window.passkeyClient(user, POLL);
        const info = await client.createReadWriteSession({ expirationSeconds: 2, storageName: null });
        const g0 = window.__ceremonies.get;
        await client.whoami();
        const duringSession = window.__ceremonies.get - g0;
        await new Promise((r) => setTimeout(r, Math.max(0, info.expiresAt - Date.now()) + 200));
        const lapsed = client.session;
        const who = await client.whoami();
        return { duringSession, lapsed, afterLapse: window.__ceremonies.get - g0, who };
      },
      { user, POLL },
    );
    assert.equal(out.duringSession, 0);
    assert.equal(out.lapsed, null, "the expiry is visible");
    assert.equal(out.afterLapse, 1, "one passkey assertion after the session lapsed");
    assert.equal(out.who.userId, user.endUserId);
  } finally {
    await h.close();
  }
});

test("WebCrypto stamps are accepted by the sandbox and measured against p256-in-wasm", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "frank");
    const out = await h.page.evaluate(async (user) => {
      const qk = window.qk;
      // A session's key, created with the passkey, then used through WebCryptoStamper directly.
      const client = window.passkeyClient(user, { initialIntervalMs: 100, maxIntervalMs: 400 });
      await client.createReadWriteSession({ expirationSeconds: 300, storageName: "bench" });
      const webcrypto = await qk.WebCryptoStamper.fromSession("bench");
      const viaWebCrypto = new qk.Client({ baseUrl: location.origin, organizationId: user.subOrganizationId, stamper: webcrypto });
      const who = await viaWebCrypto.whoami();

      const kp = qk.generateP256KeyPair();
      const wasm = new qk.ApiKeyStamper({ apiPublicKey: kp.publicKey, apiPrivateKey: kp.privateKey });
      const wc = await qk.WebCryptoStamper.fromApiKey({ apiPublicKey: kp.publicKey, apiPrivateKey: kp.privateKey });
      const body = JSON.stringify({ organizationId: user.subOrganizationId, type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2", padding: "x".repeat(200) });
      const n = 300;
      for (let i = 0; i < 20; i++) { await wasm.stamp(body + i); await wc.stamp(body + i); }
      let t = performance.now();
      for (let i = 0; i < n; i++) await wc.stamp(body + i);
      const webcryptoMs = (performance.now() - t) / n;
      t = performance.now();
      for (let i = 0; i < n; i++) await wasm.stamp(body + i);
      const wasmMs = (performance.now() - t) / n;
      return { who, webcryptoMs, wasmMs, webcryptoKey: webcrypto.publicKey, expiresAt: webcrypto.expiresAt };
    }, user);
    assert.equal(out.who.userId, user.endUserId);
    assert.ok(out.expiresAt > Date.now());
    console.log(`# stamp (mean of 300, headless Chromium): WebCrypto ${out.webcryptoMs.toFixed(3)} ms, p256-in-wasm ${out.wasmMs.toFixed(3)} ms`);
  } finally {
    await h.close();
  }
});

test("@turnkey/http's TurnkeyClient with the kit's WebauthnStamper completes whoami", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "grace");
    const who = await h.page.evaluate(async (user) => {
      const { TurnkeyClient } = await import("@turnkey/http");
      const client = new TurnkeyClient({ baseUrl: location.origin }, new window.qk.WebauthnStamper({ rpId: "localhost" }));
      return client.getWhoami({ organizationId: user.subOrganizationId });
    }, user);
    assert.equal(who.userId, user.endUserId);
    assert.equal(who.organizationId, user.subOrganizationId);
    assert.deepEqual(await h.ceremonies(), { create: 1, get: 1 });

    // The kit's client against an organization this passkey is not in: Turnkey's error, typed.
    const err = await h.page.evaluate(async (org) => {
      const client = new window.qk.Client({ baseUrl: location.origin, organizationId: org, stamper: new window.qk.WebauthnStamper({ rpId: "localhost" }) });
      try {
        await client.whoami();
        return null;
      } catch (e) {
        return { name: e.name, status: e.status, message: e.turnkeyMessage, path: e.path };
      }
    }, sandbox.info.organizationId);
    assert.equal(err?.name, "TurnkeyRequestError", JSON.stringify(err));
    assert.ok(err.status >= 400 && err.status < 500, String(err.status));
    assert.ok(err.message.length > 0);
    assert.equal(err.path, "/public/v1/query/whoami");
  } finally {
    await h.close();
  }
});

test("Turnkey's own WebauthnStamper drives the kit's Client; its DOMException becomes PasskeyCancelledError", async () => {
  const h = await openHarness(browser, sandbox);
  try {
    const { user } = await signUp(h, "ivan");
    const out = await h.page.evaluate(
      async ({ user, POLL }) => {
        const { WebauthnStamper } = await import("@turnkey/webauthn-stamper");
        const client = new window.qk.Client({
          baseUrl: location.origin,
          organizationId: user.subOrganizationId,
          stamper: new WebauthnStamper({ rpId: "localhost", timeout: 1500 }),
          poll: POLL,
        });
        const who = await client.whoami();
        const handle = await client.signRawPayload({
          signWith: user.addresses[0],
          payload: "68656c6c6f",
          encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
          hashFunction: "HASH_FUNCTION_KECCAK256",
        });
        const status = handle.status;
        const sig = await handle.wait();
        return { who, status, sig };
      },
      { user, POLL },
    );
    assert.equal(out.who.userId, user.endUserId);
    assert.equal(out.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    assert.match(out.sig.r, /^[0-9a-fA-F]{64}$/);
    assert.match(out.sig.s, /^[0-9a-fA-F]{64}$/);

    await h.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: h.authenticatorId, enabled: false });
    const cancelled = await h.page.evaluate(async (user) => {
      const { WebauthnStamper } = await import("@turnkey/webauthn-stamper");
      const client = new window.qk.Client({
        baseUrl: location.origin,
        organizationId: user.subOrganizationId,
        stamper: new WebauthnStamper({ rpId: "localhost", timeout: 1500 }),
      });
      try {
        await client.whoami();
        return null;
      } catch (e) {
        return { name: e.name, code: e.code };
      }
    }, user);
    assert.deepEqual(cancelled, { name: "PasskeyCancelledError", code: "NotAllowedError" });
  } finally {
    await h.close();
  }
});
