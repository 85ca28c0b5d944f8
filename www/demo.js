// The demo: sign-up with a passkey, a 2-of-2 transaction with its pending-platform-approval
// state, and a user-only export, against the local sandbox (`make demo`).
import init, {
  registerPasskey, isPasskeySupported, WebauthnStamper, Client, generateP256KeyPair, decryptExportBundle,
} from "/pkg/quorum_kit.js";

const $ = (id) => document.getElementById(id);
const say = (text) => { $("status").textContent = text; };
const STORE = "quorum-kit-demo-user";   // public identifiers only; no secret is ever stored here
const rpId = location.hostname;

let user = JSON.parse(localStorage.getItem(STORE) || "null");
let client = null;
let sandbox = null;

await init();   // before any click: the passkey ceremony must follow the click directly (Safari)
sandbox = await (await fetch("/sandbox/v1/info")).json();

function friendly(e) {
  switch (e?.name) {
    case "PasskeyCancelledError": return "The passkey prompt was closed or timed out. Try again when you are ready.";
    case "PasskeyAlreadyRegisteredError": return "This device already holds a passkey for this wallet.";
    case "PasskeySecurityError": return "Passkeys need https or localhost, and a matching site name.";
    case "ActivityRejectedError": return "The platform declined this request.";
    case "ActivityFailedError": return `It failed: ${e.reason ?? e.message}`;
    case "TimeoutError": return "Still waiting for approval; you can check again later.";
    case "TurnkeyRequestError": return `The server refused it (${e.status}): ${e.turnkeyMessage ?? e.message}`;
    default: return `${e?.name ?? "Error"}: ${e?.message ?? e}`;
  }
}

async function busy(button, work) {
  button.disabled = true;
  try { await work(); } catch (e) { say(friendly(e)); } finally { button.disabled = false; }
}

function connect() {
  client = new Client({ baseUrl: location.origin, organizationId: user.subOrganizationId, stamper: new WebauthnStamper({ rpId }) });
}

function showSession() {
  const s = client?.session;
  $("session").textContent = s ? `unlocked until ${new Date(s.expiresAt).toLocaleTimeString()}` : "none: each action asks for your passkey";
}

async function render() {
  const signedUp = Boolean(user);
  $("signup").hidden = signedUp;
  for (const id of ["wallet", "send", "export", "platform"]) $(id).hidden = !signedUp;
  if (!signedUp) { say(isPasskeySupported() ? "Create a wallet to begin." : "This browser cannot use passkeys here."); return; }
  $("address").textContent = user.addresses[0];
  $("suborg").textContent = user.subOrganizationId;
  if (!client) { connect(); try { await client.restoreSession(); } catch { /* no stored session */ } }
  showSession();
  say("Ready.");
}

$("signup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const button = event.submitter;
  const userName = $("username").value.trim();
  busy(button, async () => {
    say("Follow your browser's passkey prompt…");
    const passkey = await registerPasskey({ rpName: "quorum-kit demo", rpId, userName });
    say("Creating your sub-organization (you and the platform, 2-of-2)…");
    const r = await fetch("/platform/signup", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ userName, authenticatorName: passkey.authenticatorName, challenge: passkey.challenge, attestation: passkey.attestation }),
    });
    if (!r.ok) throw new Error(`sign-up failed: ${(await r.json()).message}`);
    const created = await r.json();
    user = { userId: created.userId, subOrganizationId: created.subOrganizationId, walletId: created.walletId, addresses: created.addresses };
    localStorage.setItem(STORE, JSON.stringify(user));
    await render();
    say("Wallet created. Both you and the platform must approve every transaction.");
  });
});

$("start-session").addEventListener("click", (event) => busy(event.currentTarget, async () => {
  say("Approve with your passkey to unlock for 15 minutes…");
  await client.createReadWriteSession({ expirationSeconds: 900 });
  showSession();
  say("Unlocked: actions no longer prompt until the session ends.");
}));

$("forget").addEventListener("click", async () => {
  await client?.clearSession().catch(() => {});
  localStorage.removeItem(STORE);
  user = null; client = null;
  await render();
});

// --- A minimal EIP-1559 encoder: just what an unsigned type-2 transfer needs (RLP, EIP-2718). ---
const hexToBytes = (h) => Uint8Array.from((h.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));
const bigToBytes = (n) => (n === 0n ? new Uint8Array() : hexToBytes(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, "0")));
function rlp(item) {
  const len = (n, offset) => {
    if (n < 56) return Uint8Array.of(offset + n);
    const b = bigToBytes(BigInt(n));
    return Uint8Array.of(offset + 55 + b.length, ...b);
  };
  if (Array.isArray(item)) {
    const body = item.map(rlp).reduce((a, b) => Uint8Array.of(...a, ...b), new Uint8Array());
    return Uint8Array.of(...len(body.length, 0xc0), ...body);
  }
  if (item.length === 1 && item[0] < 0x80) return item;
  return Uint8Array.of(...len(item.length, 0x80), ...item);
}
function unsignedTransfer(to, wei) {
  const fields = [31337n, 0n, 1_000_000_000n, 30_000_000_000n, 21_000n].map(bigToBytes);
  const payload = rlp([...fields, hexToBytes(to), bigToBytes(wei), new Uint8Array(), []]);
  return "02" + Array.from(payload, (b) => b.toString(16).padStart(2, "0")).join("");
}
function toWei(eth) {
  const [whole, frac = ""] = eth.split(".");
  return BigInt(whole) * 10n ** 18n + BigInt(frac.padEnd(18, "0"));
}

function step(name, state) { document.querySelector(`[data-step=${name}]`).dataset.state = state; }

$("send-form").addEventListener("submit", (event) => {
  event.preventDefault();
  for (const s of ["you", "platform", "done"]) step(s, "");
  $("send-result").textContent = "";
  const params = { signWith: user.addresses[0], unsignedTransaction: unsignedTransfer($("to").value, toWei($("amount").value)), type: "TRANSACTION_TYPE_ETHEREUM" };
  step("you", "pending");
  busy(event.submitter, async () => {
    try {
      const handle = await client.signTransaction(params, {
        onUpdate: (u) => {
          if (u.approvals.length > 0) step("you", "ok");
          if (u.pendingApproval) { step("platform", "pending"); say("Approved by you. Pending the platform's approval…"); }
        },
      });
      step("you", "ok");
      const { signedTransaction } = await handle.wait();
      step("platform", "ok"); step("done", "ok");
      $("send-result").textContent = `Signed transaction: 0x${signedTransaction.replace(/^0x/, "")}`;
      say("Both approved: the transaction is signed.");
    } catch (e) {
      const reason = e.name === "ActivityRejectedError" ? await platformReason(e.activityId) : "";
      step(document.querySelector("[data-step=you]").dataset.state === "ok" ? "platform" : "you", "failed");
      $("send-result").textContent = reason ? `Declined by the platform: ${reason}` : friendly(e);
      throw e;
    }
  });
});

/** Why the platform's co-signer voted as it did on this activity (it records the reason first). */
async function platformReason(activityId) {
  const r = await fetch(`/platform/decisions?subOrganizationId=${encodeURIComponent(user.subOrganizationId)}`);
  const { decisions = [] } = r.ok ? await r.json() : {};
  return decisions.find((d) => d.activityId === activityId)?.reason ?? "";
}

let phrase = null;   // kept out of the DOM until the person asks to see it
$("export-start").addEventListener("click", (event) => busy(event.currentTarget, async () => {
  say("Approve the export with your passkey…");
  const target = generateP256KeyPair();   // fresh for this export, dropped afterwards
  const handle = await client.exportWallet({ walletId: user.walletId, targetPublicKey: target.publicKeyUncompressed });
  const { exportBundle } = await handle.wait();
  phrase = await decryptExportBundle({
    exportBundle, embeddedKey: target.privateKey, organizationId: user.subOrganizationId, returnMnemonic: true,
    // The sandbox signs with its own enclave key; against Turnkey leave this out (production signer pinned).
    dangerouslyOverrideSignerPublicKey: sandbox.signerPublicKey,
  });
  $("export-ready").hidden = false;
  say("Exported and verified. Reveal it when nobody is looking.");
}));

$("reveal").addEventListener("click", (event) => {
  const shown = event.currentTarget.getAttribute("aria-expanded") === "true";
  $("phrase").textContent = shown ? "" : phrase;
  $("phrase").hidden = shown;
  event.currentTarget.setAttribute("aria-expanded", String(!shown));
  event.currentTarget.textContent = shown ? "Reveal phrase" : "Hide phrase";
});

$("rules-form").addEventListener("submit", (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const post = (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const deny = $("deny").value.split(",").map((s) => s.trim()).filter(Boolean);
    await post("/platform/admin/rules", { maxValueWei: toWei($("max-value").value || "0").toString(), denyRecipients: deny });
    await post("/platform/admin/billing", { subOrganizationId: user.subOrganizationId, status: $("billing").checked ? "active" : "suspended" });
    say("The platform's rules are saved.");
  });
});

await render();
