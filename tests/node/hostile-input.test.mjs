// Hostile input from JavaScript (issue 12). Every export of the built package (functions,
// constructors, static and instance methods, setters), found by enumerating the module, is called
// with thousands of arbitrary values in every argument position, and with valid arguments that
// have one field replaced. Each call must end in a valid result or an Error with a stable kit name
// (`InvalidInputError` naming the parameter when the value does not have the declared type), never
// a WebAssembly trap (`RuntimeError`) or an unnamed `TypeError` from the glue. Afterwards the kit
// must still stamp and decrypt correctly. A second test checks that every optional option given as
// `undefined` or `null` means "absent": the same outcome (and the same request body) as leaving it out.
//
// Reproduce a failure with HOSTILE_SEED=<seed printed in the failure>; HOSTILE_CALLS scales the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { p256 } from "@noble/curves/p256";
import { ApiKeyStamper as TurnkeyApiKeyStamper } from "@turnkey/api-key-stamper";
import kit from "./kit.mjs";
import { arbitrary, conforms, decl, describe, HostileError, installStubFetch, INVALID_NAMES, isNamedKitError, outcome, prng, STUB_ORG } from "./hostile.mjs";

const SEED = Number(process.env.HOSTILE_SEED ?? 0x51ab1e);
const CALLS_PER_TARGET = Number(process.env.HOSTILE_CALLS ?? 200);

const toHex = (b) => Buffer.from(b).toString("hex");
const PRIV = "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3";
const PUB = toHex(p256.getPublicKey(PRIV, true));
const PUBU = toHex(p256.getPublicKey(PRIV, false));
const BODY = '{"organizationId":"org-stub","type":"ACTIVITY_TYPE_SIGN_TRANSACTION_V2"}';

// PROTOCOL §7 vectors (also in crypto-oracle.test.mjs).
const A = {
  receiver: PRIV,
  org: "f9a31c64-d604-42e4-9bef-a773096afad7",
  data: '{"encappedPublic":"044410ec87e5fe2ffda15a18fa377a21a3c41c3476f86133b4280ad76102f40d5db2dc53b47007cca93affc0a551dd514397d09791cfd9230fca3048b171f3d678","ciphertext":"efb058bf3ff4be4e222302bf2f607860b4274b2b01ac9456d3ba68da5a25626000a8982b14e0baf0a0de29f54454a379a3be6dc3d8c94987a1568c7d95f9fc4b91bef221ae5eb84233a2832114d179bdfdcf1d0f7adeb157f411a49840","organizationId":"f9a31c64-d604-42e4-9bef-a773096afad7"}',
  signature: "304502203a7dc258590a637e76f6be6ed1a2080eed5614175060b9073f5e36592bdaf610022100ab9955b603df6cf45408067f652da48551652451b91967bf37dd094d13a7bdd4",
  mnemonic: "leaf lady until indicate praise final route toast cake minimum insect unknown",
};
const PRODUCTION = "04cf288fe433cc4e1aa0ce1632feac4ea26bf2f5a09dcfe5a42c398e06898710330f0572882f4dbdf0f5304b8fc8703acd69adca9a4bbf7f5d00d20a5e364b2569";
const EXPORT_A = JSON.stringify({ version: "v1.0.0", data: Buffer.from(A.data).toString("hex"), dataSignature: A.signature, enclaveQuorumPublic: PRODUCTION });
const B = {
  bundle: "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf",
  key: "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56",
  want: "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9",
};

const stub = installStubFetch();
const account = { curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" };
const poll = () => ({ initialIntervalMs: 1, maxIntervalMs: 2, backoff: 1.5, deadlineMs: 200 });
const submitOptions = () => ({ poll: poll(), signal: new AbortController().signal, onUpdate: () => {} });

/** Valid arguments per target (`fn`, `Class.new`, `Class.static`, `Class#method`, `Class#set:prop`), every optional option present. */
const VALID = {
  fingerprint: () => [BODY],
  getChallengeFromPayload: () => [BODY],
  decryptCredentialBundle: () => [B.bundle, B.key],
  decryptExportBundle: () => [{ exportBundle: EXPORT_A, embeddedKey: A.receiver, organizationId: A.org, returnMnemonic: true, keyFormat: "HEXADECIMAL", dangerouslyOverrideSignerPublicKey: PRODUCTION }],
  encryptWalletToBundle: () => [{ mnemonic: A.mnemonic, importBundle: EXPORT_A, userId: "user", organizationId: A.org, dangerouslyOverrideSignerPublicKey: PRODUCTION }],
  generateP256KeyPair: () => [],
  setLocale: () => ["en"],
  setStrings: () => ["en", { "signup.title": "Open your account" }],
  registerPasskey: () => [{ rpName: "Quorum", rpId: "localhost", userName: "ada", userDisplayName: "Ada", timeout: 1000, userVerification: "preferred", residentKey: "required", authenticatorAttachment: "platform", hints: ["client-device"], excludeCredentials: [{ id: "AAAA", type: "public-key", transports: ["usb"] }], authenticatorName: "ada passkey", signal: new AbortController().signal }],
  assertPasskey: () => [{ challenge: "abc", rpId: "localhost", timeout: 1000, userVerification: "preferred", allowCredentials: [{ id: new Uint8Array([1, 2, 3]), type: "public-key", transports: ["internal"] }], hints: ["security-key"], mediation: "optional", signal: new AbortController().signal }],
  "ApiKeyStamper.new": () => [{ apiPublicKey: PUB, apiPrivateKey: PRIV, runtimeOverride: "purejs" }],
  "ApiKeyStamper#stamp": () => [BODY],
  "WebauthnStamper.new": () => [{ rpId: "localhost", timeout: 1000, userVerification: "preferred", allowCredentials: [{ id: "AAAA", transports: ["hybrid"] }] }],
  "WebauthnStamper#stamp": () => [BODY],
  "WebCryptoStamper.fromApiKey": () => [{ apiPublicKey: PUB, apiPrivateKey: PRIV }],
  "WebCryptoStamper.fromSession": () => ["default"],
  "WebCryptoStamper#stamp": () => [BODY],
  "Client.new": () => [{ baseUrl: "http://stub.invalid", organizationId: STUB_ORG, stamper: new kit.ApiKeyStamper({ apiPublicKey: PUB, apiPrivateKey: PRIV }), poll: poll() }],
  "Client#set:organizationId": () => [STUB_ORG],
  "Client#getActivity": () => ["act-1"],
  "Client#watchActivity": () => ["act-1", submitOptions()],
  "Client#whoami": () => [],
  "Client#createReadWriteSession": () => [{ expirationSeconds: 60, userId: "u", apiKeyName: "k", storageName: "s" }],
  "Client#restoreSession": () => ["s"],
  "Client#clearSession": () => ["s"],
  "Client#createSubOrganization": () => [{ subOrganizationName: "s", rootUsers: [{ userName: "u", userEmail: "u@example.com", apiKeys: [{ apiKeyName: "k", publicKey: PUB, curveType: "API_KEY_CURVE_P256", expirationSeconds: "60" }], authenticators: [], oauthProviders: [] }], rootQuorumThreshold: 1, wallet: { walletName: "w", accounts: [account], mnemonicLength: 12 } }, submitOptions()],
  "Client#createPolicy": () => [{ policyName: "p", effect: "EFFECT_ALLOW", condition: "true", consensus: "true", notes: "n" }, submitOptions()],
  "Client#updateRootQuorum": () => [{ threshold: 2, userIds: ["u1", "u2"] }, submitOptions()],
  "Client#createWallet": () => [{ walletName: "w", accounts: [account], mnemonicLength: 12 }, submitOptions()],
  "Client#signTransaction": () => [{ signWith: "0x0000000000000000000000000000000000000001", unsignedTransaction: "0x00", type: "TRANSACTION_TYPE_ETHEREUM" }, submitOptions()],
  "Client#signRawPayload": () => [{ signWith: "0x01", payload: "00", encoding: "PAYLOAD_ENCODING_HEXADECIMAL", hashFunction: "HASH_FUNCTION_NO_OP" }, submitOptions()],
  "Client#exportWallet": () => [{ walletId: "w", targetPublicKey: PUBU, language: "MNEMONIC_LANGUAGE_ENGLISH" }, submitOptions()],
  "Client#exportWalletAccount": () => [{ address: "0x01", targetPublicKey: PUBU }, submitOptions()],
  "Client#createReadWriteSessionActivity": () => [{ targetPublicKey: PUB, userId: "u", apiKeyName: "k", expirationSeconds: "900" }, submitOptions()],
  "Client#approveActivity": () => [{ fingerprint: "sha256:00" }, submitOptions()],
  "Client#rejectActivity": () => [{ fingerprint: "sha256:00" }, submitOptions()],
  "ActivityHandle#onUpdate": () => [() => {}],
};

/** How to get an instance of each class in Node. Classes missing here must be listed in UNREACHABLE. */
const INSTANCES = {
  ApiKeyStamper: async () => new kit.ApiKeyStamper(...VALID["ApiKeyStamper.new"]()),
  WebauthnStamper: async () => new kit.WebauthnStamper(...VALID["WebauthnStamper.new"]()),
  WebCryptoStamper: async () => kit.WebCryptoStamper.fromApiKey(...VALID["WebCryptoStamper.fromApiKey"]()),
  Client: async () => new kit.Client(...VALID["Client.new"]()),
  ActivityHandle: async () => new kit.Client(...VALID["Client.new"]()).watchActivity("act-1"),
  ElementClient: async () => new kit.Client(...VALID["Client.new"]()).__forElements(),
  ExportTarget: async () => kit.createExportTarget(),
};
/** Classes the kit only creates itself, in a browser (custom elements, wasm-streams adapters). */
const UNREACHABLE = new Set(["ElementFactory", "ElementHandle", "ExportFrame", "IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"]);
/** wasm-bindgen's loaders: once the module is initialised they return it whatever they are given. */
const LOADERS = new Set(["default", "initSync"]);
/** wasm-bindgen's memory management, not the kit's API. */
const GLUE = new Set(["constructor", "free", "__destroy_into_raw", "__wrap", "__unwrap", "length", "name", "prototype"]);

const isClass = (v) => typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v));

/** Every callable target of the module: `{id, params (declared, or null), call(args)}`. */
async function targets() {
  const out = [];
  for (const [name, value] of Object.entries(kit)) {
    if (typeof value !== "function") continue;
    if (!isClass(value)) {
      out.push({ id: name, params: LOADERS.has(name) ? null : (decl.functions[name] ?? null), call: (args) => value(...args) });
      continue;
    }
    const d = decl.classes[name];
    const hasConstructor = Boolean(d?.constructor);
    if (hasConstructor) out.push({ id: `${name}.new`, params: d.constructor, call: (args) => new value(...args) });
    for (const s of Object.getOwnPropertyNames(value)) {
      if (GLUE.has(s) || typeof value[s] !== "function") continue;
      out.push({ id: `${name}.${s}`, params: d?.statics[s] ?? null, call: (args) => value[s](...args) });
    }
    const make = INSTANCES[name];
    if (!make) {
      assert.ok(UNREACHABLE.has(name), `class ${name}: add a way to build an instance to INSTANCES (or list it in UNREACHABLE)`);
      continue;
    }
    const instance = await make();
    assert.ok(instance instanceof value, `INSTANCES.${name} builds a ${name}`);
    for (const m of Object.getOwnPropertyNames(value.prototype)) {
      if (GLUE.has(m)) continue;
      const desc = Object.getOwnPropertyDescriptor(value.prototype, m);
      if (typeof desc.value === "function") {
        out.push({ id: `${name}#${m}`, params: d?.methods[m] ?? null, call: (args) => instance[m](...args), instance });
      } else if (desc.set) {
        out.push({ id: `${name}#set:${m}`, params: d?.setters[m] ?? null, call: (args) => desc.set.call(instance, args[0]), instance });
      }
      if (desc.get) out.push({ id: `${name}#get:${m}`, params: [], call: () => desc.get.call(instance), instance });
    }
  }
  return out;
}

/** The declared interface of a type such as `DecryptExportBundleParams`, `SubmitOptions | null`. */
function interfaceOf(type) {
  for (const t of type.split("|").map((x) => x.trim())) if (decl.interfaces[t]) return decl.interfaces[t];
  return null;
}

/** Checks one outcome; returns a failure message or null. `mismatch` lists what does not have its declared type. */
function judge(result, mismatch) {
  if (result.threw) {
    const e = result.error;
    if (e instanceof HostileError && mismatch.length === 0) return null; // a caller's own throw, passed through
    if (!isNamedKitError(e)) return `threw an unnamed ${e?.name ?? typeof e}: ${e?.message ?? String(e)}`;
    if (mismatch.length && !INVALID_NAMES.has(e.name)) return `${mismatch.join(", ")} has the wrong type but threw ${e.name}: ${e.message}`;
    if (mismatch.length && !mismatch.some((m) => e.message.includes(m))) return `${e.name} does not name ${mismatch.join(" or ")}: ${e.message}`;
    return null;
  }
  if (result.pending) return mismatch.length ? `${mismatch.join(", ")} has the wrong type but the promise did not settle` : null;
  if (mismatch.length) return `${mismatch.join(", ")} has the wrong type but it returned ${describe(result.value)}`;
  return null;
}

function argMismatch(params, args) {
  if (!params) return [];
  const out = [];
  params.forEach((p, i) => {
    const v = args[i];
    if (p.optional && v === undefined) return;
    if (!conforms(v, p.type)) out.push(p.name);
  });
  return out;
}

test("every export, constructor and method: arbitrary values get a named error or a valid result, never a trap", { timeout: 120_000 }, async (t) => {
  const rng = prng(SEED);
  const all = await targets();
  let calls = 0;
  const failures = [];
  const record = (target, args, message) => {
    if (failures.length < 25) failures.push(`${target.id}(${args.map(describe).join(", ")}): ${message}`);
  };
  const started = Date.now();
  for (const target of all) {
    const valid = VALID[target.id];
    if (!valid && target.params?.length) t.diagnostic(`no valid arguments for ${target.id}: only arbitrary values`);
    for (let i = 0; i < CALLS_PER_TARGET; i++) {
      let args;
      let mismatch;
      const mode = valid ? rng.int(3) : 0;
      if (mode === 0) {
        // Arbitrary values in every position.
        const n = Math.max(target.params?.length ?? 2, 1) + rng.int(2) - (rng.int(4) === 0 ? 1 : 0);
        args = Array.from({ length: Math.max(n, 0) }, () => arbitrary(rng));
        mismatch = argMismatch(target.params, args);
      } else if (mode === 1) {
        // Valid arguments but one position arbitrary.
        args = valid();
        const at = rng.int(Math.max(args.length, 1));
        args[at] = arbitrary(rng);
        mismatch = argMismatch(target.params, args);
      } else {
        // Valid arguments with one field of an options object replaced.
        args = valid();
        const objects = args.map((a, i) => [a, i, interfaceOf(target.params?.[i]?.type ?? "")]).filter(([a, , f]) => f && a && typeof a === "object");
        if (!objects.length) continue;
        const [obj, , fields] = rng.pick(objects);
        const names = Object.keys(fields);
        const field = rng.pick(names);
        const value = arbitrary(rng);
        obj[field] = value;
        const { optional, type } = fields[field];
        const absent = value === undefined || value === null;
        mismatch = (optional && absent) || conforms(value, type) ? [] : [field];
      }
      calls++;
      const t0 = Date.now();
      const result = await outcome(() => target.call(args));
      // HOSTILE_TRACE=1 prints slow calls (a quadratic parser shows up here first).
      if (process.env.HOSTILE_TRACE && Date.now() - t0 > 100) process.stderr.write(`${Date.now() - t0} ms ${result.pending ? "pending" : ""} ${target.id}(${args.map(describe).join(", ")})\n`);
      const failure = judge(result, mismatch);
      if (failure) record(target, args, failure);
    }
  }
  t.diagnostic(`${calls} calls over ${all.length} targets in ${Date.now() - started} ms (seed ${SEED})`);
  assert.deepEqual(failures, [], `seed ${SEED}`);
  assert.ok(calls >= 5000, `only ${calls} calls`);
});

test("methods called on something that is not an instance throw an Error, never a trap", async () => {
  for (const [name, value] of Object.entries(kit)) {
    if (!isClass(value)) continue;
    for (const m of Object.getOwnPropertyNames(value.prototype)) {
      if (GLUE.has(m)) continue;
      const desc = Object.getOwnPropertyDescriptor(value.prototype, m);
      const fn = desc.value ?? desc.get;
      if (typeof fn !== "function") continue;
      for (const self of [Object.create(value.prototype), {}, undefined]) {
        const r = await outcome(() => fn.call(self, "x"));
        if (r.threw) {
          assert.ok(r.error instanceof Error, `${name}#${m}: throws an Error`);
          assert.notEqual(r.error.name, "RuntimeError", `${name}#${m} on a non-instance trapped: ${r.error.message}`);
        }
      }
    }
  }
});

test("the kit still works after the hostile calls: real stamps and real bundle decrypts", async () => {
  const turnkey = new TurnkeyApiKeyStamper({ apiPublicKey: PUB, apiPrivateKey: PRIV, runtimeOverride: "purejs" });
  const want = await turnkey.stamp(BODY);
  const ours = await new kit.ApiKeyStamper({ apiPublicKey: PUB, apiPrivateKey: PRIV, runtimeOverride: "purejs" }).stamp(BODY);
  assert.deepEqual(ours, want);
  assert.equal(kit.decryptCredentialBundle(B.bundle, B.key), B.want);
  assert.equal(await kit.decryptExportBundle({ exportBundle: EXPORT_A, embeddedKey: A.receiver, organizationId: A.org, returnMnemonic: true }), A.mnemonic);
  assert.equal(kit.fingerprint("{}"), "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  assert.equal(Buffer.from(kit.getChallengeFromPayload("{}")).toString(), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
});

test("explicit wrong types from issue 12 are InvalidInputErrors naming the parameter", async () => {
  const cases = [
    [() => kit.fingerprint(0), "body"],
    [() => kit.fingerprint(() => 1), "body"],
    [() => kit.getChallengeFromPayload(NaN), "payload"],
    [() => kit.decryptCredentialBundle(Symbol()), "credentialBundle"],
    [() => kit.decryptCredentialBundle(B.bundle, 5n), "embeddedKey"],
    [() => new kit.ApiKeyStamper({ apiPublicKey: 1, apiPrivateKey: PRIV }), "apiPublicKey"],
    [() => new kit.ApiKeyStamper([PUB, PRIV]), "config"],
    [() => new kit.ApiKeyStamper({ apiPublicKey: PUB, apiPrivateKey: PRIV }).stamp({ toString: () => BODY }), "payload"],
    [() => kit.decryptExportBundle({ exportBundle: EXPORT_A, embeddedKey: A.receiver, organizationId: 7, returnMnemonic: true }), "organizationId"],
    [() => new kit.Client({ baseUrl: new URL("http://x"), organizationId: "o", stamper: {} }), "baseUrl"],
    [() => new kit.Client(VALID["Client.new"]()[0]).getActivity(1), "activityId"],
    [() => new kit.Client(VALID["Client.new"]()[0]).signTransaction(VALID["Client#signTransaction"]()[0], { onUpdate: "no" }), "onUpdate"],
    [() => new kit.Client(VALID["Client.new"]()[0]).signTransaction(VALID["Client#signTransaction"]()[0], { poll: { backoff: "2" } }), "backoff"],
  ];
  for (const [call, param] of cases) {
    const r = await outcome(call);
    assert.ok(r.threw, `${call}: should throw`);
    assert.equal(r.error.name, "InvalidInputError", `${call}: ${r.error.message}`);
    assert.equal(r.error.code, "InvalidInputError");
    assert.match(r.error.message, new RegExp(`\\b${param}\\b`), `${call}`);
  }
  // Setting a property to the wrong type throws too, and leaves the old value.
  const client = new kit.Client(VALID["Client.new"]()[0]);
  assert.throws(() => (client.organizationId = 42), { name: "InvalidInputError" });
  assert.equal(client.organizationId, STUB_ORG);
  // A getter that throws becomes an InvalidInputError whose cause is what it threw.
  const bomb = { get exportBundle() { throw new HostileError("getter"); } };
  const r = await outcome(() => kit.decryptExportBundle(bomb));
  assert.equal(r.error.name, "InvalidInputError");
  assert.ok(r.error.cause instanceof HostileError);
  // A bad option is refused before anything is submitted.
  const before = stub.requests.length;
  await outcome(() => client.signTransaction(VALID["Client#signTransaction"]()[0], { signal: {} }));
  assert.equal(stub.requests.length, before, "nothing was sent");
});

/** Paths (arrays of keys) to every optional option present in `value`, declared by `type`. */
function optionalPaths(value, type, path = []) {
  const fields = interfaceOf(type.replace(/\[\]$/, ""));
  if (Array.isArray(value) && /\[\]$/.test(type)) return value.flatMap((v, i) => optionalPaths(v, type.slice(0, -2), [...path, i]));
  if (!fields || !value || typeof value !== "object" || Array.isArray(value)) return [];
  const out = [];
  for (const [name, { optional, type: t }] of Object.entries(fields)) {
    if (!(name in value)) continue;
    if (optional) out.push({ path: [...path, name], type: t });
    out.push(...optionalPaths(value[name], t.replace(/\s*\|\s*null$/, ""), [...path, name]));
  }
  return out;
}

/** A copy of plain objects and arrays (everything else shared), with `path` set to `to` (or deleted). */
function withPath(value, path, to, remove) {
  const clone = (v) => (Array.isArray(v) ? v.map(clone) : v && Object.getPrototypeOf(v) === Object.prototype ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) : v);
  const root = clone(value);
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  const last = path[path.length - 1];
  if (remove) delete o[last];
  else o[last] = to;
  return root;
}

/** `storageName: null` keeps the session in memory only (documented in SessionConfig). */
const NULL_MEANS_SOMETHING = new Set(["createReadWriteSession.storageName"]);

/** What a call comes to, for comparing: a value (a probe of an instance), or an error name; plus the request it sent. */
async function summary(target, args) {
  const before = stub.requests.length;
  const r = await outcome(() => target.call(args));
  let value = r.value;
  if (value instanceof kit.ApiKeyStamper) value = await value.stamp(BODY);
  else if (value instanceof kit.WebauthnStamper) value = value.rpId;
  else if (value instanceof kit.Client) value = [value.organizationId, await outcome(() => value.getActivity("x")).then((x) => x.value?.id)];
  else if (value && typeof value === "object" && "id" in value && "fingerprint" in value) value = value.id;
  else if (typeof value === "string" && target.id === "encryptWalletToBundle") value = "ciphertext"; // randomized
  else if (value && typeof value === "object" && "privateKey" in value) value = "key pair";
  const sent = stub.requests.slice(before).map((q) => q.url + " " + (q.body ?? "").replace(/"timestampMs":"\d+"/, ""));
  return { value: r.threw ? undefined : value, error: r.threw ? `${r.error?.name}: ${r.error?.message}` : undefined, pending: r.pending, sent };
}

test("every optional option accepts undefined and null as absent", { timeout: 60_000 }, async () => {
  const all = await targets();
  let checked = 0;
  for (const target of all) {
    const valid = VALID[target.id];
    if (!valid || !target.params) continue;
    for (let i = 0; i < target.params.length; i++) {
      const args = valid();
      for (const { path } of optionalPaths(args[i], target.params[i].type.replace(/\s*\|\s*null$/, ""))) {
        const key = `${target.id.replace(/^\w+#/, "")}.${path.join(".")}`;
        const omitted = await summary(target, args.map((a, j) => (j === i ? withPath(a, path, undefined, true) : a)));
        for (const to of NULL_MEANS_SOMETHING.has(key) ? [undefined] : [undefined, null]) {
          const given = await summary(target, valid().map((a, j) => (j === i ? withPath(a, path, to) : a)));
          assert.deepEqual(given, omitted, `${target.id}: ${path.join(".")}: ${String(to)} should mean absent`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked >= 40, `only ${checked} optional options checked`);
});

test("optional arguments accept undefined and null as absent", async () => {
  const client = new kit.Client(VALID["Client.new"]()[0]);
  for (const m of ["signTransaction", "createPolicy"]) {
    const params = VALID[`Client#${m}`]()[0];
    const names = new Set();
    for (const opt of [undefined, null]) {
      const r = await outcome(() => client[m](params, opt));
      names.add(r.threw ? r.error.name : "ok");
    }
    assert.equal(names.size, 1, `${m}: ${[...names]}`);
    assert.ok(!names.has("InvalidInputError"));
  }
  for (const name of [undefined, null]) {
    const r = await outcome(() => client.restoreSession(name));
    assert.ok(!r.threw || r.error.name !== "InvalidInputError", `restoreSession(${name})`);
  }
  const w = await outcome(() => client.watchActivity("act-1", null));
  assert.equal(w.value?.id, "act-1");
});
