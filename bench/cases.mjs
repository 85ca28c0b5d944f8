// The benchmark cases, shared by the Node run (bench/node.mjs) and the Chromium page
// (bench/browser/page.mjs). Dependencies are passed in, so this file runs unchanged in both.
//
// d = {
//   env: "node" | "browser",
//   kit,                         // quorum-kit (pkg/quorum_kit.js), initialised
//   tk,                          // @turnkey/crypto
//   TkApiKeyStamper,             // @turnkey/api-key-stamper's ApiKeyStamper
//   tkChallenge(body),           // @turnkey/webauthn-stamper's challenge (its internal getChallengeFromPayload)
//   p256, sha256,                // @noble/curves, @noble/hashes: only to sign fixture envelopes
//   bs58check, toHex, fromHex,   // @turnkey/encoding
// }

/** PROTOCOL §7 D: the test signer; bundles are pinned to it with dangerouslyOverrideSignerPublicKey. */
export const TEST_SIGNER = "28ebf311b27f34cdf078489584d336423e09c522342f5b067dea36823c2cc5ed";
export const TEST_SIGNER_PUBLIC =
  "048ee67fa8ae8e5fac0e343c84fa0921ecb3a31a67aee2e6a0880a09072eaaf2aeffa43f73fa021fa4d0b550072ba1f9011ff7cf917e4bf2708670e5ac57a81c78";
const MNEMONIC = "leaf lady until indicate praise final route toast cake minimum insect unknown";

/** Distinct inputs per case, cycled through by the iterations (no call sees a cached input). */
export const POOL = 48;

const utf8 = new TextEncoder();

function base64urlToString(s) {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
}

function assert(cond, what) {
  if (!cond) throw new Error(`bench self-check failed: ${what}`);
}

/** A realistic activity body, as the client stamps it (about 330 bytes). */
function activityBody(i) {
  return JSON.stringify({
    type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
    timestampMs: String(1763790000000 + i),
    organizationId: "f9a31c64-d604-42e4-9bef-a773096afad7",
    parameters: {
      signWith: "0x" + (0x1000 + i).toString(16).padStart(40, "0"),
      payload: "0x" + (i * 2654435761 >>> 0).toString(16).padStart(64, "a"),
      encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
      hashFunction: "HASH_FUNCTION_KECCAK256",
    },
  });
}

/** Fixtures built with Turnkey's own code: `hpkeEncrypt` + `formatHpkeBuf`, envelopes signed with noble's P-256. */
export function makeFixtures(d) {
  const { tk, p256, sha256, bs58check, toHex, fromHex } = d;
  const signerPublic = toHex(p256.getPublicKey(TEST_SIGNER, false));
  assert(signerPublic === TEST_SIGNER_PUBLIC, "test signer public key");
  const signEnvelope = (dataJson) => {
    const bytes = utf8.encode(dataJson);
    return JSON.stringify({
      version: "v1.0.0",
      data: toHex(bytes),
      dataSignature: p256.sign(sha256(bytes), TEST_SIGNER).toDERHex(),
      enclaveQuorumPublic: signerPublic,
    });
  };
  const org = "f9a31c64-d604-42e4-9bef-a773096afad7";
  const exportBundles = [];
  const credentialBundles = [];
  const importBundles = [];
  /** An export bundle sealed to `targetPublic` (uncompressed hex) with Turnkey's own HPKE. */
  const sealExportBundle = (mnemonic, targetPublic) => {
    const sealed = JSON.parse(tk.formatHpkeBuf(tk.hpkeEncrypt({ plainTextBuf: utf8.encode(mnemonic), targetKeyBuf: fromHex(targetPublic) })));
    return signEnvelope(JSON.stringify({ encappedPublic: sealed.encappedPublic, ciphertext: sealed.ciphertext, organizationId: org }));
  };
  /** A credential bundle of `secret` (hex) sealed to `targetPublic` with Turnkey's own HPKE. */
  const sealCredentialBundle = (secret, targetPublic) =>
    bs58check.encode(tk.hpkeEncrypt({ plainTextBuf: fromHex(secret), targetKeyBuf: fromHex(targetPublic) }));
  for (let i = 0; i < POOL; i++) {
    const target = tk.generateP256KeyPair();
    const mnemonic = `${MNEMONIC} ${i}`;
    exportBundles.push({
      expected: mnemonic,
      params: {
        exportBundle: sealExportBundle(mnemonic, target.publicKeyUncompressed),
        embeddedKey: target.privateKey,
        organizationId: org,
        returnMnemonic: true,
        dangerouslyOverrideSignerPublicKey: signerPublic,
      },
    });
    const secret = tk.generateP256KeyPair().privateKey;
    credentialBundles.push({
      expected: secret,
      bundle: sealCredentialBundle(secret, target.publicKeyUncompressed),
      key: target.privateKey,
    });
    const enclaveTarget = tk.generateP256KeyPair();
    importBundles.push({
      targetPrivate: enclaveTarget.privateKey,
      params: {
        mnemonic,
        importBundle: signEnvelope(JSON.stringify({ targetPublic: enclaveTarget.publicKeyUncompressed, organizationId: org, userId: `user-${i}` })),
        userId: `user-${i}`,
        organizationId: org,
        dangerouslyOverrideSignerPublicKey: signerPublic,
      },
    });
  }
  const bodies = Array.from({ length: POOL }, (_, i) => activityBody(i));
  const apiKey = tk.generateP256KeyPair();
  return { org, sealExportBundle, sealCredentialBundle, exportBundles, credentialBundles, importBundles, bodies, apiKey: { apiPublicKey: apiKey.publicKey, apiPrivateKey: apiKey.privateKey } };
}

/** The cases. `iters` is the total timed iterations per implementation (split into rounds). */
export function makeCases(d, fx) {
  const { kit, tk, TkApiKeyStamper, env } = d;
  const P = POOL;
  const body = (i) => fx.bodies[i % P];
  const defaultRuntime = env === "node" ? "node: node:crypto" : "browser: WebCrypto";

  // The kit's ApiKeyStamper takes Turnkey's `runtimeOverride`: "purejs" signs in wasm (RFC 6979),
  // "browser" through WebCrypto; its default is "purejs" in Node and "browser" elsewhere.
  const stampers = [
    { id: "kit", lib: "kit", name: "kit ApiKeyStamper purejs (wasm, RFC 6979)", async: true,
      setup: async () => { const s = new kit.ApiKeyStamper({ ...fx.apiKey, runtimeOverride: "purejs" }); return (i) => s.stamp(body(i)); } },
  ];
  if (env !== "node") {
    stampers.push({ id: "kitDefault", lib: "kit", name: "kit ApiKeyStamper default (browser: WebCrypto)", async: true,
      setup: async () => { const s = new kit.ApiKeyStamper({ ...fx.apiKey }); return (i) => s.stamp(body(i)); } });
  }
  if (kit.WebCryptoStamper) {
    stampers.push({ id: "kitWebCrypto", lib: "kit", name: "kit WebCryptoStamper.fromApiKey (WebCrypto)", async: true,
      setup: async () => { const s = await kit.WebCryptoStamper.fromApiKey(fx.apiKey); return (i) => s.stamp(body(i)); } });
  }
  stampers.push(
    { id: "tkPure", lib: "turnkey", name: "@turnkey/api-key-stamper purejs", async: true,
      setup: async () => { const s = new TkApiKeyStamper({ ...fx.apiKey, runtimeOverride: "purejs" }); return (i) => s.stamp(body(i)); } },
    { id: "tkDefault", lib: "turnkey", name: `@turnkey/api-key-stamper default (${defaultRuntime})`, async: true,
      setup: async () => { const s = new TkApiKeyStamper({ ...fx.apiKey }); return (i) => s.stamp(body(i)); } },
  );

  const verifyStamp = async (stamp, b) => {
    const v = JSON.parse(base64urlToString(stamp.stampHeaderValue));
    assert(stamp.stampHeaderName === "X-Stamp", "stamp header name");
    assert(v.publicKey === fx.apiKey.apiPublicKey && v.scheme === "SIGNATURE_SCHEME_TK_API_P256", "stamp fields");
    assert(await tk.verifyStampSignature(v.publicKey, v.signature, b), "stamp signature verifies with @turnkey/crypto");
  };

  return [
    {
      id: "stamp", title: "API-key stamp (X-Stamp)", iters: 600, warmup: 60,
      note: "one stamper per key, a fresh ~330 B activity body per call; \u00f7 kit is against the kit's wasm (purejs) path",
      impls: stampers,
      async check(f) {
        const b = body(0);
        if (f.kit && f.tkPure) {
          const [a, c] = [await f.kit(0), await f.tkPure(0)];
          assert(a.stampHeaderValue === c.stampHeaderValue, "kit stamp byte-identical to Turnkey purejs (RFC 6979)");
        }
        for (const fn of Object.values(f)) await verifyStamp(await fn(0), b);
      },
    },
    {
      id: "decryptExportBundle", title: "decryptExportBundle (verify + HPKE, mnemonic)", iters: 400, warmup: 40,
      note: "v1.0.0 bundles sealed with @turnkey/crypto hpkeEncrypt, signed by the PROTOCOL §7 D test signer",
      impls: [
        { id: "kit", lib: "kit", name: "kit decryptExportBundle", async: true, setup: async () => (i) => kit.decryptExportBundle(fx.exportBundles[i % P].params) },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto decryptExportBundle", async: true, setup: async () => (i) => tk.decryptExportBundle(fx.exportBundles[i % P].params) },
        // The same mnemonics, sealed (untimed, in setup) to non-extractable WebCrypto targets.
        { id: "kitWebCrypto", lib: "kit", name: "kit ExportTarget.decryptExportBundle (WebCrypto)", async: true,
          setup: async () => {
            if (!kit.createExportTarget || !globalThis.crypto?.subtle) throw new Error("no createExportTarget or crypto.subtle");
            const targets = [];
            for (let i = 0; i < P; i++) {
              const target = await kit.createExportTarget();
              const { expected, params } = fx.exportBundles[i];
              targets.push({ target, params: { ...params, embeddedKey: undefined, exportBundle: fx.sealExportBundle(expected, target.publicKeyUncompressed) } });
            }
            return (i) => { const t = targets[i % P]; return t.target.decryptExportBundle(t.params); };
          } },
      ],
      async check(f) {
        for (const fn of Object.values(f)) for (const i of [0, 1, P - 1]) assert((await fn(i)) === fx.exportBundles[i].expected, "export bundle decrypts to its mnemonic");
      },
    },
    {
      id: "decryptCredentialBundle", title: "decryptCredentialBundle (bs58check + HPKE)", iters: 600, warmup: 60,
      impls: [
        { id: "kit", lib: "kit", name: "kit decryptCredentialBundle", async: false, setup: async () => (i) => { const c = fx.credentialBundles[i % P]; return kit.decryptCredentialBundle(c.bundle, c.key); } },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto decryptCredentialBundle", async: false, setup: async () => (i) => { const c = fx.credentialBundles[i % P]; return tk.decryptCredentialBundle(c.bundle, c.key); } },
        // The same secrets, sealed (untimed, in setup) to non-extractable WebCrypto targets.
        { id: "kitWebCrypto", lib: "kit", name: "kit ExportTarget.decryptCredentialBundle (WebCrypto)", async: true,
          setup: async () => {
            if (!kit.createExportTarget || !globalThis.crypto?.subtle) throw new Error("no createExportTarget or crypto.subtle");
            const targets = [];
            for (let i = 0; i < P; i++) {
              const target = await kit.createExportTarget();
              targets.push({ target, bundle: fx.sealCredentialBundle(fx.credentialBundles[i].expected, target.publicKeyUncompressed) });
            }
            return (i) => { const t = targets[i % P]; return t.target.decryptCredentialBundle(t.bundle); };
          } },
      ],
      async check(f) {
        for (const fn of Object.values(f)) for (const i of [0, P - 1]) assert((await fn(i)) === fx.credentialBundles[i].expected, "credential bundle decrypts");
      },
    },
    {
      id: "generateP256KeyPair", title: "generateP256KeyPair", iters: 1000, warmup: 100,
      impls: [
        { id: "kit", lib: "kit", name: "kit generateP256KeyPair", async: false, setup: async () => () => kit.generateP256KeyPair() },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto generateP256KeyPair", async: false, setup: async () => () => tk.generateP256KeyPair() },
      ],
      async check(f) {
        for (const fn of Object.values(f)) {
          const k = fn(0);
          assert(/^[0-9a-f]{64}$/.test(k.privateKey) && /^0[23][0-9a-f]{64}$/.test(k.publicKey) && /^04[0-9a-f]{128}$/.test(k.publicKeyUncompressed), "key pair shape");
          assert(d.toHex(d.p256.getPublicKey(k.privateKey, true)) === k.publicKey, "public key matches private key");
        }
      },
    },
    {
      id: "exportTargetKey", title: "export target key generation", iters: 1000, warmup: 100,
      note: "kit createExportTarget: WebCrypto generateKey (ECDH P-256, non-extractable) + exportKey of the public key",
      impls: [
        { id: "kit", lib: "kit", name: "kit createExportTarget (WebCrypto)", async: true, setup: async () => () => kit.createExportTarget() },
        { id: "kitWasm", lib: "kit", name: "kit generateP256KeyPair (wasm)", async: false, setup: async () => () => kit.generateP256KeyPair() },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto generateP256KeyPair", async: false, setup: async () => () => tk.generateP256KeyPair() },
      ],
      async check(f) {
        const t = await f.kit(0);
        assert(/^04[0-9a-f]{128}$/.test(t.publicKeyUncompressed) && t.cryptoKey.extractable === false, "export target shape, non-extractable");
      },
    },
    {
      id: "encryptWalletToBundle", title: "encryptWalletToBundle (verify + HPKE seal)", iters: 400, warmup: 40,
      impls: [
        { id: "kit", lib: "kit", name: "kit encryptWalletToBundle", async: true, setup: async () => (i) => kit.encryptWalletToBundle(fx.importBundles[i % P].params) },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto encryptWalletToBundle", async: true, setup: async () => (i) => tk.encryptWalletToBundle(fx.importBundles[i % P].params) },
      ],
      async check(f) {
        for (const fn of Object.values(f)) {
          const { encappedPublic, ciphertext } = JSON.parse(await fn(0));
          const opened = tk.hpkeDecrypt({ ciphertextBuf: d.fromHex(ciphertext), encappedKeyBuf: d.fromHex(encappedPublic), receiverPriv: fx.importBundles[0].targetPrivate });
          assert(new TextDecoder().decode(opened) === fx.importBundles[0].params.mnemonic, "sealed mnemonic opens with Turnkey's hpkeDecrypt");
        }
      },
    },
    {
      id: "fingerprint", title: "fingerprint (sha256: of the body)", iters: 20000, warmup: 2000,
      impls: [
        { id: "kit", lib: "kit", name: "kit fingerprint", async: false, setup: async () => (i) => kit.fingerprint(body(i)) },
        { id: "tk", lib: "turnkey", name: "@turnkey/crypto computeActivityFingerprint", async: false, setup: async () => (i) => tk.computeActivityFingerprint(body(i)) },
      ],
      async check(f) {
        assert(f.kit(3) === f.tk(3), "fingerprints agree");
      },
    },
    {
      id: "getChallengeFromPayload", title: "getChallengeFromPayload (passkey challenge)", iters: 20000, warmup: 2000,
      note: "Turnkey side: @turnkey/webauthn-stamper's (unexported) getChallengeFromPayload, same code (sha256-uint8array)",
      impls: [
        { id: "kit", lib: "kit", name: "kit getChallengeFromPayload", async: false, setup: async () => (i) => kit.getChallengeFromPayload(body(i)) },
        { id: "tk", lib: "turnkey", name: "@turnkey/webauthn-stamper challenge", async: false, setup: async () => (i) => d.tkChallenge(body(i)) },
      ],
      async check(f) {
        assert(d.toHex(f.kit(5)) === d.toHex(f.tk(5)), "challenges agree");
      },
    },
  ];
}

/** @turnkey/webauthn-stamper's getChallengeFromPayload (not exported), given sha256-uint8array's createHash. */
export const turnkeyChallengeFrom = (createHash) => (payload) => utf8.encode(createHash().update(payload).digest("hex"));
