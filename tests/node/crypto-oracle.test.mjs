// Oracle tests: the built package (pkg/) against Turnkey's own npm libraries, in one process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as tk from "@turnkey/crypto";
import { ApiKeyStamper as TurnkeyApiKeyStamper } from "@turnkey/api-key-stamper";
import { WebauthnStamper } from "@turnkey/webauthn-stamper";
import { bs58check, uint8ArrayToHexString as toHex, uint8ArrayFromHexString as fromHex } from "@turnkey/encoding";
import { p256 } from "@noble/curves/p256";
import { sha256 } from "@noble/hashes/sha256";
import kit, { crypto as cryptoEntry, headless } from "./kit.mjs";

// PROTOCOL §7.
const A = {
  receiver: "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3",
  org: "f9a31c64-d604-42e4-9bef-a773096afad7",
  data: '{"encappedPublic":"044410ec87e5fe2ffda15a18fa377a21a3c41c3476f86133b4280ad76102f40d5db2dc53b47007cca93affc0a551dd514397d09791cfd9230fca3048b171f3d678","ciphertext":"efb058bf3ff4be4e222302bf2f607860b4274b2b01ac9456d3ba68da5a25626000a8982b14e0baf0a0de29f54454a379a3be6dc3d8c94987a1568c7d95f9fc4b91bef221ae5eb84233a2832114d179bdfdcf1d0f7adeb157f411a49840","organizationId":"f9a31c64-d604-42e4-9bef-a773096afad7"}',
  signature: "304502203a7dc258590a637e76f6be6ed1a2080eed5614175060b9073f5e36592bdaf610022100ab9955b603df6cf45408067f652da48551652451b91967bf37dd094d13a7bdd4",
  mnemonic: "leaf lady until indicate praise final route toast cake minimum insect unknown",
};
const PRODUCTION = "04cf288fe433cc4e1aa0ce1632feac4ea26bf2f5a09dcfe5a42c398e06898710330f0572882f4dbdf0f5304b8fc8703acd69adca9a4bbf7f5d00d20a5e364b2569";
const TEST_SIGNER = "28ebf311b27f34cdf078489584d336423e09c522342f5b067dea36823c2cc5ed";
const TEST_SIGNER_PUBLIC = "048ee67fa8ae8e5fac0e343c84fa0921ecb3a31a67aee2e6a0880a09072eaaf2aeffa43f73fa021fa4d0b550072ba1f9011ff7cf917e4bf2708670e5ac57a81c78";

const hexOf = (s) => Buffer.from(s, "utf8").toString("hex");
const vectorA = () =>
  JSON.stringify({ version: "v1.0.0", data: hexOf(A.data), dataSignature: A.signature, enclaveQuorumPublic: PRODUCTION });

/** A v1.0.0 envelope signed with noble's P-256, as Turnkey's enclave would make it. */
function signEnvelope(dataJson, signerPriv = TEST_SIGNER) {
  const bytes = new TextEncoder().encode(dataJson);
  const sig = p256.sign(sha256(bytes), signerPriv);
  return JSON.stringify({
    version: "v1.0.0",
    data: toHex(bytes),
    dataSignature: sig.toDERHex(),
    enclaveQuorumPublic: toHex(p256.getPublicKey(signerPriv, false)),
  });
}

/** An export bundle built with Turnkey's own HPKE (`hpkeEncrypt` + `formatHpkeBuf`). */
function turnkeyExportBundle(plaintext, targetPublicUncompressed, org) {
  const sealed = JSON.parse(tk.formatHpkeBuf(tk.hpkeEncrypt({ plainTextBuf: plaintext, targetKeyBuf: fromHex(targetPublicUncompressed) })));
  return signEnvelope(JSON.stringify({ encappedPublic: sealed.encappedPublic, ciphertext: sealed.ciphertext, organizationId: org }));
}

async function rejectsWithName(promiseOrFn, name) {
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    assert.ok(e instanceof Error, "throws a real Error");
    assert.equal(e.name, name, e.message);
    assert.equal(e.code, name);
    return e;
  }
  assert.fail(`expected ${name}`);
}

/** The suite every entry passes: `quorum-kit`, `quorum-kit/headless` and the crypto-only `quorum-kit/crypto`. */
function oracleSuite(name, kit) {
  test(`${name}: vector A decrypts identically in the kit and @turnkey/crypto`, async () => {
    const params = { exportBundle: vectorA(), embeddedKey: A.receiver, organizationId: A.org, returnMnemonic: true };
    assert.equal(await kit.decryptExportBundle(params), A.mnemonic);
    assert.equal(await tk.decryptExportBundle(params), A.mnemonic);
  });

  test(`${name}: vectors B and C: credential bundles`, () => {
    const b = "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf";
    const c = "skr1QFHrNyL7xcvzRpU4t9yhL8rEVPZgDcFM5YW8S1YwLYjedoagnNZwMCyJsxNYzuphKHqQBkZxt4fLWSVsMqnW9XdmLBsK2MhwC5WxuxZD9xE8ezQ";
    const want = "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9";
    assert.equal(kit.decryptCredentialBundle(b, "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56"), want);
    assert.equal(tk.decryptCredentialBundle(b, "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56"), want);
    assert.equal(kit.decryptCredentialBundle(c, "d2d9239a4bb25d09a6d91822e1d0991f0b21a63b102191bb98b6b77ac6fc6c91"), want);
  });

  test(`${name}: API-key stamps are byte-identical to @turnkey/api-key-stamper (pure-JS, RFC 6979)`, async () => {
    for (let i = 0; i < 60; i++) {
      const keys = tk.generateP256KeyPair();
      const body = JSON.stringify({ type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2", timestampMs: String(Date.now() + i), organizationId: `org-${i}`, parameters: { payload: `héllo ${i} ✓` } });
      const ours = await new kit.ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey }).stamp(body);
      const theirs = await new TurnkeyApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey, runtimeOverride: "purejs" }).stamp(body);
      assert.deepEqual(ours, theirs);
    }
    const vector = await new kit.ApiKeyStamper({
      apiPublicKey: "02a1d9ee281053cf73c07678d6c1231216e8434f87662b75f08c66882c2f95ee45",
      apiPrivateKey: "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69",
    }).stamp('{"organizationId":"00000000-0000-0000-0000-000000000000"}');
    assert.equal(JSON.parse(Buffer.from(vector.stampHeaderValue, "base64url")).signature,
      "30440220574c869da894140daef94122129544159ab81000d65dde0d9c2a6b7dc0f75a9b02204b4852a4ef738d102725afd0930df729615ad22cab6aea89908de8e8eb2a3805");
  });

  test(`${name}: Turnkey's node-crypto stamps (randomized ECDSA) and ours both verify with @turnkey/crypto`, async () => {
    const keys = tk.generateP256KeyPair();
    const body = '{"organizationId":"o"}';
    for (const stamper of [new kit.ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey }), new TurnkeyApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey })]) {
      const { stampHeaderValue } = await stamper.stamp(body);
      const stamp = JSON.parse(Buffer.from(stampHeaderValue, "base64url"));
      assert.equal(await tk.verifyStampSignature(stamp.publicKey, stamp.signature, body), true);
    }
  });

  test(`${name}: export bundles sealed by Turnkey's HPKE decrypt identically in both libraries (mnemonics, hex and Solana keys)`, async () => {
    for (let i = 0; i < 120; i++) {
      const target = i % 2 ? kit.generateP256KeyPair() : tk.generateP256KeyPair();
      const org = `org-${i}`;
      const kind = i % 3;
      const plaintext = kind === 0 ? new TextEncoder().encode(`${A.mnemonic} ${i}`) : randomBytes(32);
      const exportBundle = turnkeyExportBundle(plaintext, target.publicKeyUncompressed, org);
      const params = {
        exportBundle, embeddedKey: target.privateKey, organizationId: org, returnMnemonic: kind === 0,
        keyFormat: kind === 2 ? "SOLANA" : "HEXADECIMAL", dangerouslyOverrideSignerPublicKey: TEST_SIGNER_PUBLIC,
      };
      const ours = await kit.decryptExportBundle(params);
      const theirs = await tk.decryptExportBundle(params);
      assert.equal(ours, theirs, `bundle ${i}`);
    }
  });

  test(`${name}: credential bundles: Turnkey's HPKE output decrypts identically`, () => {
    for (let i = 0; i < 60; i++) {
      const target = tk.generateP256KeyPair();
      const secret = tk.generateP256KeyPair().privateKey;
      const bundle = bs58check.encode(tk.hpkeEncrypt({ plainTextBuf: fromHex(secret), targetKeyBuf: fromHex(target.publicKeyUncompressed) }));
      assert.equal(kit.decryptCredentialBundle(bundle, target.privateKey), secret);
      assert.equal(tk.decryptCredentialBundle(bundle, target.privateKey), secret);
    }
  });

  test(`${name}: encryptWalletToBundle: output of each library opens with Turnkey's hpkeDecrypt`, async () => {
    for (let i = 0; i < 40; i++) {
      const target = tk.generateP256KeyPair();
      const importBundle = signEnvelope(JSON.stringify({ targetPublic: target.publicKeyUncompressed, organizationId: "org", userId: `user-${i}` }));
      const params = { mnemonic: `${A.mnemonic} ${i}`, importBundle, userId: `user-${i}`, organizationId: "org", dangerouslyOverrideSignerPublicKey: TEST_SIGNER_PUBLIC };
      for (const encrypted of [await kit.encryptWalletToBundle(params), await tk.encryptWalletToBundle(params)]) {
        const { encappedPublic, ciphertext } = JSON.parse(encrypted);
        const opened = tk.hpkeDecrypt({ ciphertextBuf: fromHex(ciphertext), encappedKeyBuf: fromHex(encappedPublic), receiverPriv: target.privateKey });
        assert.equal(new TextDecoder().decode(opened), params.mnemonic);
      }
    }
  });

  /** The challenge @turnkey/webauthn-stamper passes to navigator.credentials.get for a body. */
  async function turnkeyChallenge(body) {
    let captured;
    const stop = new Error("captured");
    Object.defineProperty(globalThis, "navigator", {
      value: { credentials: { get: async (options) => { captured = options.publicKey.challenge; throw stop; } } },
      configurable: true,
    });
    await assert.rejects(new WebauthnStamper({ rpId: "localhost" }).stamp(body), (e) => e === stop);
    return captured;
  }

  test(`${name}: keys, challenges and fingerprints agree with Turnkey's`, async () => {
    const pair = kit.generateP256KeyPair();
    assert.match(pair.privateKey, /^[0-9a-f]{64}$/);
    assert.equal(pair.publicKey, toHex(p256.getPublicKey(pair.privateKey, true)));
    assert.equal(pair.publicKeyUncompressed, toHex(p256.getPublicKey(pair.privateKey, false)));
    for (const body of ["", "{}", '{"organizationId":"é"}']) {
      assert.deepEqual(Array.from(kit.getChallengeFromPayload(body)), Array.from(await turnkeyChallenge(body)));
      assert.equal(kit.fingerprint(body), tk.computeActivityFingerprint(body));
    }
  });

  test(`${name}: tampering and bad input reject with stable error names`, async () => {
    const base = { embeddedKey: A.receiver, organizationId: A.org, returnMnemonic: true };
    const bundle = JSON.parse(vectorA());
    const flip = (hex, i) => hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1).toString(16)) + hex.slice(i + 1);
    for (const i of [0, 10, 100, bundle.data.length - 1]) {
      await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: JSON.stringify({ ...bundle, data: flip(bundle.data, i) }) }), "BundleSignatureError");
    }
    for (const i of [8, 20, bundle.dataSignature.length - 1]) {
      await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: JSON.stringify({ ...bundle, dataSignature: flip(bundle.dataSignature, i) }) }), "BundleSignatureError");
    }
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA(), organizationId: "someone-else" }), "OrganizationMismatchError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA(), dangerouslyOverrideSignerPublicKey: TEST_SIGNER_PUBLIC }), "UntrustedSignerError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA(), embeddedKey: kit.generateP256KeyPair().privateKey }), "DecryptionError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA().slice(0, 50) }), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: "not json" }), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA(), embeddedKey: "zz" }), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle({ exportBundle: vectorA() }), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle(undefined), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: vectorA(), keyFormat: "BASE64" }), "InvalidInputError");
    await rejectsWithName(kit.decryptExportBundle({ ...base, exportBundle: JSON.stringify({ encappedPublic: "04", encappedPublicSignature: "30", ciphertext: "00" }) }), "LegacyBundleError");
    await rejectsWithName(() => kit.decryptCredentialBundle("0OIl", A.receiver), "InvalidInputError");
    await rejectsWithName(() => new kit.ApiKeyStamper({ apiPublicKey: "02f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316", apiPrivateKey: A.receiver }), "InvalidInputError");
    await rejectsWithName(() => new kit.ApiKeyStamper({}), "InvalidInputError");
  });
}

oracleSuite("quorum-kit", kit);
oracleSuite("quorum-kit/headless", headless);
oracleSuite("quorum-kit/crypto", cryptoEntry);

test("quorum-kit/crypto signs in wasm only: runtimeOverride \"browser\" is refused, the default is RFC 6979", async () => {
  const keys = tk.generateP256KeyPair();
  await rejectsWithName(() => new cryptoEntry.ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey, runtimeOverride: "browser" }), "InvalidInputError");
  const body = '{"organizationId":"crypto-entry"}';
  const ours = await new cryptoEntry.ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey }).stamp(body);
  const theirs = await new TurnkeyApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey, runtimeOverride: "purejs" }).stamp(body);
  assert.deepEqual(ours, theirs);
  assert.equal(typeof cryptoEntry.createExportTarget, "undefined", "WebCrypto export targets live in quorum-kit");
  assert.equal(typeof cryptoEntry.Client, "undefined");
});

test("runtimeOverride \"browser\" signs through WebCrypto: randomized, and Turnkey verifies it", async () => {
  const keys = tk.generateP256KeyPair();
  const body = '{"organizationId":"webcrypto"}';
  const stamper = new kit.ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey, runtimeOverride: "browser" });
  const a = await stamper.stamp(body);
  const b = await stamper.stamp(body);
  assert.equal(a.stampHeaderName, "X-Stamp");
  assert.notEqual(a.stampHeaderValue, b.stampHeaderValue, "WebCrypto ECDSA is randomized, unlike RFC 6979");
  for (const { stampHeaderValue } of [a, b]) {
    const stamp = JSON.parse(Buffer.from(stampHeaderValue, "base64url"));
    assert.equal(stamp.publicKey, keys.publicKey);
    assert.equal(stamp.scheme, "SIGNATURE_SCHEME_TK_API_P256");
    assert.equal(await tk.verifyStampSignature(stamp.publicKey, stamp.signature, body), true);
  }
  await rejectsWithName(() => new kit.ApiKeyStamper({ ...keys, apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey, runtimeOverride: "node" }), "InvalidInputError");
});

test("createExportTarget (WebCrypto, non-extractable): bundles sealed by Turnkey's HPKE decrypt to @turnkey/crypto's results", async () => {
  assert.ok(globalThis.crypto?.subtle, "Node 20 has WebCrypto");
  for (let i = 0; i < 90; i++) {
    const target = await kit.createExportTarget();
    assert.match(target.publicKeyUncompressed, /^04[0-9a-f]{128}$/);
    // The oracle: the same plaintext sealed to an extractable key and opened by @turnkey/crypto.
    const oracleKey = tk.generateP256KeyPair();
    const org = `org-${i}`;
    const kind = i % 3;
    const plaintext = kind === 0 ? new TextEncoder().encode(`${A.mnemonic} ${i}`) : randomBytes(32);
    const common = { organizationId: org, returnMnemonic: kind === 0, keyFormat: kind === 2 ? "SOLANA" : "HEXADECIMAL", dangerouslyOverrideSignerPublicKey: TEST_SIGNER_PUBLIC };
    const ours = await target.decryptExportBundle({ ...common, exportBundle: turnkeyExportBundle(plaintext, target.publicKeyUncompressed, org) });
    const theirs = await tk.decryptExportBundle({ ...common, exportBundle: turnkeyExportBundle(plaintext, oracleKey.publicKeyUncompressed, org), embeddedKey: oracleKey.privateKey });
    assert.equal(ours, theirs, `bundle ${i}`);
    if (kind === 1) assert.equal(ours, toHex(plaintext));
  }
});

test("createExportTarget: the key cannot be exported, and tampering rejects with decryptExportBundle's names", async () => {
  const target = await kit.createExportTarget();
  assert.equal(target.cryptoKey.extractable, false);
  assert.deepEqual(target.cryptoKey.usages, ["deriveBits"]);
  for (const format of ["pkcs8", "jwk", "raw"]) {
    // Node 20 names it "InvalidAccessException"; browsers "InvalidAccessError".
    await assert.rejects(crypto.subtle.exportKey(format, target.cryptoKey), (e) => /^InvalidAccess/.test(e.name) && /extractable/.test(e.message), format);
  }
  const org = "org";
  const exportBundle = turnkeyExportBundle(new TextEncoder().encode(A.mnemonic), target.publicKeyUncompressed, org);
  const base = { exportBundle, organizationId: org, returnMnemonic: true, dangerouslyOverrideSignerPublicKey: TEST_SIGNER_PUBLIC };
  const bundle = JSON.parse(exportBundle);
  const data = JSON.parse(Buffer.from(bundle.data, "hex").toString("utf8"));
  const flip = (hex, i) => hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1).toString(16)) + hex.slice(i + 1);
  const resigned = (patch) => signEnvelope(JSON.stringify({ ...data, ...patch }));
  await rejectsWithName(target.decryptExportBundle({ ...base, exportBundle: JSON.stringify({ ...bundle, data: flip(bundle.data, 40) }) }), "BundleSignatureError");
  await rejectsWithName(target.decryptExportBundle({ ...base, exportBundle: JSON.stringify({ ...bundle, dataSignature: flip(bundle.dataSignature, 12) }) }), "BundleSignatureError");
  await rejectsWithName(target.decryptExportBundle({ ...base, organizationId: "someone-else" }), "OrganizationMismatchError");
  await rejectsWithName(target.decryptExportBundle({ ...base, dangerouslyOverrideSignerPublicKey: undefined }), "UntrustedSignerError");
  await rejectsWithName(target.decryptExportBundle({ ...base, exportBundle: resigned({ ciphertext: flip(data.ciphertext, 0) }) }), "DecryptionError");
  await rejectsWithName(target.decryptExportBundle({ ...base, exportBundle: resigned({ encappedPublic: tk.generateP256KeyPair().publicKeyUncompressed }) }), "DecryptionError");
  const compressed = toHex(p256.ProjectivePoint.fromHex(data.encappedPublic).toRawBytes(true));
  await rejectsWithName(target.decryptExportBundle({ ...base, exportBundle: resigned({ encappedPublic: compressed }) }), "DecryptionError");
  await rejectsWithName(target.decryptExportBundle({ ...base, keyFormat: "BASE64" }), "InvalidInputError");
  await rejectsWithName(target.decryptExportBundle({ exportBundle }), "InvalidInputError");
  // Another target cannot open it; this one still can.
  await rejectsWithName((await kit.createExportTarget()).decryptExportBundle(base), "DecryptionError");
  assert.equal(await target.decryptExportBundle(base), A.mnemonic);
});

test("ExportTarget.decryptCredentialBundle (WebCrypto): credential bundles sealed by Turnkey's HPKE open to @turnkey/crypto's key", async () => {
  for (let i = 0; i < 30; i++) {
    const target = await kit.createExportTarget();
    const oracleKey = tk.generateP256KeyPair();
    const secret = tk.generateP256KeyPair().privateKey;
    const seal = (to) => bs58check.encode(tk.hpkeEncrypt({ plainTextBuf: fromHex(secret), targetKeyBuf: fromHex(to) }));
    const ours = await target.decryptCredentialBundle(seal(target.publicKeyUncompressed));
    assert.equal(ours, tk.decryptCredentialBundle(seal(oracleKey.publicKeyUncompressed), oracleKey.privateKey), `bundle ${i}`);
    assert.equal(ours, secret);
  }
  const target = await kit.createExportTarget();
  const bundle = bs58check.encode(tk.hpkeEncrypt({ plainTextBuf: fromHex(tk.generateP256KeyPair().privateKey), targetKeyBuf: fromHex(target.publicKeyUncompressed) }));
  await rejectsWithName(target.decryptCredentialBundle("0OIl"), "InvalidInputError");
  await rejectsWithName(target.decryptCredentialBundle(42), "InvalidInputError");
  await rejectsWithName((await kit.createExportTarget()).decryptCredentialBundle(bundle), "DecryptionError");
  const bytes = bs58check.decode(bundle);
  bytes[50] ^= 1;
  await rejectsWithName(target.decryptCredentialBundle(bs58check.encode(bytes)), "DecryptionError");
});
