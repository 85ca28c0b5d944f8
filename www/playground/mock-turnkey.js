// The playground's mock Turnkey: a Service Worker that answers the kit's `Client` for
// `/playground/mock/<scenario>/public/v1/...`, so every state of every element can be shown
// without a passkey or a server. Each scenario is one fixed outcome:
//   pending   sign_transaction waits in CONSENSUS_NEEDED (1 of 2 votes) forever
//   approved  sign_transaction COMPLETED with a (fake) signed transaction
//   rejected  sign_transaction REJECTED (the page's reasonFor supplies the reason)
//   failed    sign_transaction FAILED
//   export    export_wallet COMPLETED with a real bundle: HPKE-sealed to the request's target key
//             and signed by the mock enclave key below (the page pins its public half)
//   tampered  the same bundle with its ciphertext altered after signing (the kit must refuse it)
// The mock enclave key and the phrase are public test material: nothing here is a secret.

const ENCLAVE_JWK = {
  kty: "EC", crv: "P-256",
  x: "e18uAOlBC9z1AWvmdAHHbBBvFSgyHlHDWw_lkeEvUOg",
  y: "cwCFZd6ZvwDUvAnpVVhwvYj1qLbAf8dXCFonRFnQGAc",
  d: "FJQ81_LxyGKJb0LaNlPZiAX0aDtLwwMApuNhxUOYmTA",
};
const ENCLAVE_PUBLIC = "047b5f2e00e9410bdcf5016be67401c76c106f1528321e51c35b0fe591e12f50e873008565de99bf00d4bc09e9555870bd88f5a8b6c07fc757085a274459d01807";
// The BIP-39 test vector's phrase (all-zero entropy): publicly known, holds nothing.
const PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const USER_ID = "playground-user";
const PLATFORM_ID = "playground-platform";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const m = /^\/playground\/mock\/([a-z-]+)(\/.*)$/.exec(url.pathname);
  if (url.origin !== self.location.origin || !m) return;
  event.respondWith(answer(m[1], m[2], event.request).catch((e) => json({ code: 13, message: String(e), details: [] }, 500)));
});

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function answer(scenario, path, request) {
  if (path === "/signer") return json({ signerPublicKey: ENCLAVE_PUBLIC });
  const body = request.method === "POST" ? await request.json() : {};
  const org = body.organizationId ?? "playground-org";
  if (path === "/public/v1/query/get_activity") {
    return json({ activity: activity(scenario, org, body.activityId, "ACTIVITY_TYPE_SIGN_TRANSACTION_V2", {}) });
  }
  const submit = /^\/public\/v1\/submit\/([a-z_]+)$/.exec(path);
  if (!submit) return json({ code: 5, message: `${path} is not mocked`, details: [] }, 404);
  const id = `${scenario}-${Math.abs(hash(JSON.stringify(body.parameters ?? {})))}`;
  if (submit[1] === "export_wallet") {
    const bundle = await exportBundle(body.parameters.targetPublicKey, org, scenario === "tampered");
    return json({ activity: activity("exported", org, id, body.type, { exportWalletResult: { walletId: body.parameters.walletId, exportBundle: bundle } }) });
  }
  return json({ activity: activity(scenario, org, id, body.type, {}) });
}

function hash(s) {
  let h = 0;
  for (const c of s) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

const vote = (userId, selection) => ({ id: `${userId}-vote`, userId, selection, activityId: "", message: "", publicKey: "", signature: "", scheme: "", createdAt: { seconds: "0", nanos: "0" } });

function activity(scenario, organizationId, id, type, result) {
  const now = { seconds: String(Math.floor(Date.now() / 1000)), nanos: "0" };
  const base = { id, organizationId, type, intent: {}, result: {}, votes: [vote(USER_ID, "VOTE_SELECTION_APPROVED")], fingerprint: `sha256:${id}`, canApprove: false, canReject: false, createdAt: now, updatedAt: now };
  switch (scenario) {
    case "pending":
      return { ...base, status: "ACTIVITY_STATUS_CONSENSUS_NEEDED" };
    case "approved":
      return {
        ...base,
        status: "ACTIVITY_STATUS_COMPLETED",
        votes: [...base.votes, vote(PLATFORM_ID, "VOTE_SELECTION_APPROVED")],
        result: { signTransactionResult: { signedTransaction: "02f87283aa36a780843b9aca008506fc23ac0082520894000000000000000000000000000000000000dead872386f26fc1000080c080a0" + "5".repeat(64) + "a0" + "7".repeat(64) } },
      };
    case "rejected":
      return { ...base, status: "ACTIVITY_STATUS_REJECTED", votes: [...base.votes, vote(PLATFORM_ID, "VOTE_SELECTION_REJECTED")] };
    case "failed":
      return { ...base, status: "ACTIVITY_STATUS_FAILED", failure: { code: 3, message: "the wallet account has no funds on this network", details: [] } };
    default:
      return { ...base, status: "ACTIVITY_STATUS_COMPLETED", result };
  }
}

// ---- A mock enclave: HPKE (RFC 9180: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, base
// mode, info "turnkey_hpke", aad = encapped key || receiver key) and an ECDSA P-256 signature. ----
const te = new TextEncoder();
const cat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const u16 = (n) => Uint8Array.of(n >> 8, n & 0xff);
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));

async function hmac(key, data) {
  // An empty HKDF salt is HashLen zero bytes (RFC 5869 §2.2); HMAC treats both the same.
  const k = await crypto.subtle.importKey("raw", key.length ? key : new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}
async function expand(prk, info, length) {
  let t = new Uint8Array();
  let out = new Uint8Array();
  for (let i = 1; out.length < length; i++) {
    t = await hmac(prk, cat(t, info, Uint8Array.of(i)));
    out = cat(out, t);
  }
  return out.slice(0, length);
}
const KEM_ID = cat(te.encode("KEM"), u16(0x0010));
const HPKE_ID = cat(te.encode("HPKE"), u16(0x0010), u16(0x0001), u16(0x0002));
const labeledExtract = (suite, salt, label, ikm) => hmac(salt, cat(te.encode("HPKE-v1"), suite, te.encode(label), ikm));
const labeledExpand = (suite, prk, label, info, length) => expand(prk, cat(u16(length), te.encode("HPKE-v1"), suite, te.encode(label), info), length);

async function seal(receiverHex, plaintext) {
  const receiver = unhex(receiverHex);
  const pkR = await crypto.subtle.importKey("raw", receiver, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const eph = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const enc = new Uint8Array(await crypto.subtle.exportKey("raw", eph.publicKey));
  const dh = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: pkR }, eph.privateKey, 256));
  const eaePrk = await labeledExtract(KEM_ID, new Uint8Array(), "eae_prk", dh);
  const shared = await labeledExpand(KEM_ID, eaePrk, "shared_secret", cat(enc, receiver), 32);
  const pskIdHash = await labeledExtract(HPKE_ID, new Uint8Array(), "psk_id_hash", new Uint8Array());
  const infoHash = await labeledExtract(HPKE_ID, new Uint8Array(), "info_hash", te.encode("turnkey_hpke"));
  const context = cat(Uint8Array.of(0), pskIdHash, infoHash);
  const secret = await labeledExtract(HPKE_ID, shared, "secret", new Uint8Array());
  const key = await labeledExpand(HPKE_ID, secret, "key", context, 32);
  const nonce = await labeledExpand(HPKE_ID, secret, "base_nonce", context, 12);
  const aes = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: cat(enc, receiver) }, aes, plaintext));
  return { encappedPublic: hex(enc), ciphertext: hex(ct) };
}

/** A raw (r || s) ECDSA signature as DER. */
function der(raw) {
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.slice(i);
    if (b[0] & 0x80) b = cat(Uint8Array.of(0), b);
    return cat(Uint8Array.of(0x02, b.length), b);
  };
  const body = cat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return cat(Uint8Array.of(0x30, body.length), body);
}

async function exportBundle(targetPublicKey, organizationId, tamper) {
  const sealed = await seal(targetPublicKey, te.encode(PHRASE));
  const data = te.encode(JSON.stringify({ ...sealed, organizationId }));
  const key = await crypto.subtle.importKey("jwk", ENCLAVE_JWK, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, data));
  let dataHex = hex(data);
  if (tamper) dataHex = dataHex.replace(/6369/, "6368"); // "ci" of "ciphertext" → "ch": signed data altered
  return JSON.stringify({ version: "v1.0.0", data: dataHex, dataSignature: hex(der(signature)), enclaveQuorumPublic: ENCLAVE_PUBLIC });
}
