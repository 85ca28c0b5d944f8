// The demo's wiring: the kit's elements do sign-up, approval (with the platform's pending vote)
// and export; this file only passes identifiers between them, builds the unsigned transaction,
// and drives the demo platform's admin endpoints.
import init, { defineQuorumElements } from "/pkg/quorum_kit.js";
import { isAddress, parseEther, unsignedTransfer } from "/eth.js";

const $ = (id) => document.getElementById(id);
const STORE = "quorum-kit-demo:user"; // public identifiers only: no secret is ever stored here
const CHAIN_ID = 11_155_111n; // Sepolia
const origin = location.origin;

const say = (text) => { $("status").textContent = text; };

await init();
defineQuorumElements();

const sandbox = await (await fetch("/sandbox/v1/info")).json();
let user = JSON.parse(localStorage.getItem(STORE) ?? "null");

// Every element talks to the same API; the export trusts the sandbox's enclave key (see the note).
for (const el of document.querySelectorAll("quorum-sign-up, quorum-export-wallet")) el.setAttribute("base-url", origin);
$("export").setAttribute("dangerously-override-signer-public-key", sandbox.signerPublicKey);

/** The platform's reason for its vote on an activity (the co-signer records one per decision). */
async function reasonFor(activityId) {
  const r = await fetch(`/platform/decisions?subOrganizationId=${encodeURIComponent(user.subOrganizationId)}`);
  if (!r.ok) return undefined;
  const { decisions = [] } = await r.json();
  return decisions.find((d) => d.activityId === activityId)?.reason;
}

function showWallet() {
  const signedUp = Boolean(user);
  $("step-signup").hidden = signedUp;
  for (const id of ["step-wallet", "step-send", "step-export"]) $(id).hidden = !signedUp;
  if (!signedUp) return;
  $("address").textContent = user.addresses[0];
  $("suborg").textContent = user.subOrganizationId;
  $("export").setAttribute("organization-id", user.subOrganizationId);
  $("export").setAttribute("wallet-id", user.walletId);
}

// 1. Sign-up: the element registers the passkey and calls /platform/signup; we keep the ids.
$("signup").addEventListener("quorum-signed-up", (e) => {
  const { subOrganizationId, userId, walletId, addresses } = e.detail;
  user = { subOrganizationId, userId, walletId, addresses };
  localStorage.setItem(STORE, JSON.stringify(user));
  showWallet();
  say("Wallet created. Send a transaction: you approve with your passkey, then the platform votes.");
  refreshDecisions();
});

$("forget").addEventListener("click", () => {
  localStorage.removeItem(STORE);
  user = null;
  $("approve-slot").replaceChildren();
  showWallet();
  say("Forgotten on this device. Create a new wallet to start again.");
});

// 3. A transaction: a fresh <quorum-approve-transaction> per transaction (its end states are final).
let nonce = Number(localStorage.getItem(`${STORE}:nonce`) ?? 0);
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const to = $("to").value.trim();
  let valueWei;
  try {
    if (!isAddress(to)) throw new RangeError("Enter the recipient as a 0x address of 40 hex digits.");
    valueWei = parseEther($("amount").value);
  } catch (err) {
    say(err.message.startsWith("not an amount") ? "Enter an amount in ETH, e.g. 0.01." : err.message);
    return;
  }
  const approve = document.createElement("quorum-approve-transaction");
  approve.setAttribute("base-url", origin);
  approve.setAttribute("organization-id", user.subOrganizationId);
  approve.setAttribute("sign-with", user.addresses[0]);
  approve.setAttribute("unsigned-transaction", unsignedTransfer({ chainId: CHAIN_ID, nonce: nonce++, to, valueWei }));
  approve.reasonFor = reasonFor;
  localStorage.setItem(`${STORE}:nonce`, String(nonce));
  $("approve-slot").replaceChildren(approve);
  say("Check the transaction below and approve it with your passkey.");
});

// What the elements report, in plain words, plus a visible log of the events themselves.
const EVENTS = ["quorum-signed-up", "quorum-pending-approval", "quorum-approved", "quorum-rejected", "quorum-exported", "quorum-error", "quorum-state"];
const log = $("events");
for (const name of EVENTS) {
  document.addEventListener(name, (e) => {
    const tag = e.target.localName.replace("quorum-", "");
    const detail = name === "quorum-state" ? e.detail.state : summary(name, e.detail);
    const li = document.createElement("li");
    li.dataset.event = name;
    const code = document.createElement("code");
    code.textContent = name;
    li.append(code, ` ${tag}: ${detail}`);
    log.querySelector(".empty")?.remove();
    log.prepend(li);
    while (log.children.length > 30) log.lastElementChild.remove();
  });
}

function summary(name, d) {
  switch (name) {
    case "quorum-signed-up": return d.addresses[0];
    case "quorum-pending-approval": return `${d.approvals.length} of 2 approvals, activity ${d.activityId}`;
    case "quorum-approved": return `signed ${d.signedTransaction.slice(0, 18)}…`;
    case "quorum-rejected": return d.reason ?? "no reason given";
    case "quorum-exported": return `wallet ${d.walletId}`;
    case "quorum-error": return `${d.name}: ${d.message}`;
    default: return "";
  }
}

document.addEventListener("quorum-pending-approval", () => say("You approved. Waiting for the platform's vote…"));
document.addEventListener("quorum-approved", () => { say("Both approved: the transaction is signed."); refreshDecisions(); });
document.addEventListener("quorum-rejected", (e) => {
  say(`The platform declined${e.detail.reason ? `: ${e.detail.reason}` : "."}`);
  refreshDecisions();
});
document.addEventListener("quorum-exported", () => say("Exported and verified on this device. Reveal the phrase when nobody is looking."));

// The platform's admin panel (demo only). The admin routes may require a token the sandbox hands
// out same-origin; without that endpoint (404) they take the request as it is.
async function adminHeaders() {
  const headers = { "content-type": "application/json" };
  const r = await fetch("/platform/admin/token");
  if (r.ok) headers["X-Platform-Admin-Token"] = (await r.json()).token;
  else if (r.status !== 404) throw new Error(`the admin token endpoint answered ${r.status}`);
  return headers;
}

async function post(path, body, headers) {
  const r = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${(await r.text()).slice(0, 200)}`);
  return r.json();
}

async function loadRules() {
  const r = await fetch("/platform/admin/rules");
  if (!r.ok) return;
  const rules = await r.json();
  const wei = BigInt(rules.maxValueWei);
  const whole = wei / 10n ** 18n;
  const frac = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  $("max-value").value = frac ? `${whole}.${frac}` : `${whole}`;
  $("deny").value = rules.denyRecipients.join("\n");
}

$("rules-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const button = e.submitter;
  button.disabled = true;
  $("admin-status").textContent = "Saving…";
  try {
    const maxValueWei = parseEther($("max-value").value || "0").toString();
    const denyRecipients = $("deny").value.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = denyRecipients.find((a) => !isAddress(a));
    if (bad) throw new Error(`${bad} is not an address`);
    const headers = await adminHeaders();
    await post("/platform/admin/rules", { maxValueWei, denyRecipients }, headers);
    if (user) {
      await post("/platform/admin/billing", { subOrganizationId: user.subOrganizationId, status: $("billing").checked ? "active" : "suspended" }, headers);
    }
    $("admin-status").textContent = "Rules saved. The co-signer applies them to the next transaction.";
  } catch (err) {
    $("admin-status").textContent = `Not saved: ${err.message}`;
  } finally {
    button.disabled = false;
  }
});

async function refreshDecisions() {
  if (!user) return;
  const r = await fetch(`/platform/decisions?subOrganizationId=${encodeURIComponent(user.subOrganizationId)}`);
  if (!r.ok) return;
  const { decisions = [] } = await r.json();
  const list = $("decisions");
  if (decisions.length === 0) return;
  list.replaceChildren(...decisions.slice(0, 10).map((d) => {
    const li = document.createElement("li");
    const approved = d.decision === "APPROVED";
    li.className = approved ? "ok" : "no";
    const badge = document.createElement("strong");
    badge.textContent = approved ? "Approved" : d.decision === "REJECTED" ? "Rejected" : "Not cast";
    const kind = d.activityType.replace(/^ACTIVITY_TYPE_/, "").replace(/_V\d+$/, "").toLowerCase().replaceAll("_", " ");
    li.append(badge, ` ${kind}: ${d.reason}`);
    return li;
  }));
}

showWallet();
await loadRules();
await refreshDecisions();
say(user ? "Welcome back. Send a transaction or export your wallet." : "Create a wallet to begin: pick a name, then follow your browser's passkey prompt.");
document.body.dataset.ready = "true";
