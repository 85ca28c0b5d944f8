// The package's entries split one API: `quorum-kit` is `quorum-kit/headless` plus the UI, and
// `quorum-kit/crypto` is within both. The headless entry works on its own: its Client, stamped by
// its ApiKeyStamper, drives a sub-organization to a 2-of-2 co-signed transaction in the sandbox,
// and the signature recovers (with noble, independently) to the wallet's address.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import kit, { headless, crypto } from "./kit.mjs";
import { startSandbox } from "./sandbox.mjs";
import { unsignedEip1559, recoverEip1559Signer } from "../e2e/helpers.mjs";

/** What only `quorum-kit` has: the custom elements, the isolated export frame, the UI strings. */
const UI_ONLY = [
  "ElementClient",
  "ElementFactory",
  "ElementHandle",
  "ExportFrame",
  // wasm-streams' classes, which Leptos links (scripts/trim-dts.mjs hides them from the types).
  "IntoUnderlyingByteSource",
  "IntoUnderlyingSink",
  "IntoUnderlyingSource",
  "defineQuorumElements",
  "mountExportFrame",
  "setLocale",
  "setStrings",
];

const names = (entry) => Object.keys(entry).sort();

test("quorum-kit is quorum-kit/headless plus the UI; quorum-kit/crypto is within both", () => {
  assert.deepEqual(names(kit).filter((k) => !(k in headless)), UI_ONLY);
  assert.deepEqual(names(headless).filter((k) => !(k in kit)), []);
  assert.deepEqual(names(crypto).filter((k) => !(k in headless)), []);
  for (const k of ["Client", "WebauthnStamper", "WebCryptoStamper", "registerPasskey", "assertPasskey", "createExportTarget"]) {
    assert.equal(typeof headless[k], "function", `quorum-kit/headless has ${k}`);
  }
});

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

test("quorum-kit/headless alone: a transaction pending the second root user's approval, approved, signed by the wallet", async () => {
  const poll = { initialIntervalMs: 50, maxIntervalMs: 200, backoff: 1.5, deadlineMs: 30_000 };
  const stamper = (k) => new headless.ApiKeyStamper({ apiPublicKey: k.publicKey, apiPrivateKey: k.privateKey });
  const client = (org, k) => new headless.Client({ baseUrl: sandbox.baseUrl, organizationId: org, stamper: stamper(k), poll });
  const p = sandbox.platformKey;
  const platform = client(p.organizationId, p);

  const [user, cosigner] = [headless.generateP256KeyPair(), headless.generateP256KeyPair()];
  const rootUser = (name, k) => ({ userName: name, apiKeys: [{ apiKeyName: name, publicKey: k.publicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [] });
  const created = await platform.createSubOrganization({
    subOrganizationName: "headless",
    rootUsers: [rootUser("user", user), rootUser("co-signer", cosigner)],
    rootQuorumThreshold: 2,
    wallet: { walletName: "main", accounts: [{ curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" }] },
  });
  const { subOrganizationId, wallet } = await created.wait();
  const address = wallet.addresses[0];
  const [asUser, asCosigner] = [client(subOrganizationId, user), client(subOrganizationId, cosigner)];

  const unsigned = unsignedEip1559({ to: "0x" + "11".repeat(20), valueWei: 1_000n });
  const updates = [];
  const handle = await asUser.signTransaction(
    { signWith: address, unsignedTransaction: unsigned, type: "TRANSACTION_TYPE_ETHEREUM" },
    { onUpdate: (u) => updates.push(u.status) },
  );
  assert.equal(handle.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
  assert.equal(handle.pendingApproval, true);
  const signed = handle.wait();
  const vote = await asCosigner.approveActivity({ fingerprint: handle.fingerprint });
  await vote.wait();
  const { signedTransaction } = await signed;
  assert.equal(recoverEip1559Signer(signedTransaction, unsigned), address.toLowerCase());
  assert.equal(handle.activity.votes.length, 2);
  assert.deepEqual([updates[0], updates.at(-1)], ["ACTIVITY_STATUS_CONSENSUS_NEEDED", "ACTIVITY_STATUS_COMPLETED"]);
});
