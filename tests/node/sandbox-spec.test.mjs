// The sandbox against Turnkey's published API spec. Turnkey's own TurnkeyClient (@turnkey/http
// with @turnkey/api-key-stamper) drives the wallet-as-a-service flow through a recording proxy:
// sign-up with the staged root quorum (sub-org at threshold 1 with the end user and the
// platform as root users, the user's export policy, then threshold 2), 2-of-2 sign_transaction
// and sign_raw_payload approved and rejected, export, a read-write session, and every list/get
// read. EVERY response body the sandbox returns under Turnkey's paths (success and error) is
// validated against the spec's schema for that path and status (scripts/turnkey-spec.mjs).
// The end user's root credential is an API key in the staged flow driven here, and a (software)
// passkey in the platform backend's own sign-up, where the co-signer approves and rejects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { TurnkeyClient } from "@turnkey/http";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { generateP256KeyPair, decryptExportBundle, decryptCredentialBundle, getPublicKey } from "@turnkey/crypto";
import { startSandbox, recordingProxy, invalidResponses } from "./sandbox.mjs";
import { SoftPasskey } from "./soft-passkey.mjs";
import { responseValidator, loadSpec } from "../../scripts/turnkey-spec.mjs";

const spec = loadSpec();
const validate = responseValidator(spec);
/** Every response the proxy saw under a Turnkey path: `{path, status, body}`. */
let recorded;
let sandbox;
let proxy;
let proxyUrl;

before(async () => {
  sandbox = await startSandbox();
  proxy = await recordingProxy(sandbox.baseUrl);
  proxyUrl = proxy.url;
  recorded = proxy.recorded;
});

after(() => {
  proxy?.close();
  sandbox?.stop();
});

const client = ({ publicKey, privateKey }) =>
  new TurnkeyClient({ baseUrl: proxyUrl }, new ApiKeyStamper({ apiPublicKey: publicKey, apiPrivateKey: privateKey }));
const now = () => String(Date.now());
const envelope = (type, organizationId, parameters) => ({ type, timestampMs: now(), organizationId, parameters });

/** A Turnkey error from TurnkeyClient, with its gRPC code. */
async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, "TurnkeyRequestError", String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** Minimal RLP for an unsigned EIP-1559 transfer (every item shorter than 56 bytes). */
function unsignedTransfer(to, wei) {
  const big = (n) => (n === 0n ? Buffer.alloc(0) : Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, "0"), "hex"));
  const item = (b) => (b.length === 1 && b[0] < 0x80 ? b : Buffer.concat([Buffer.of(0x80 + b.length), b]));
  const list = (items) => {
    const payload = Buffer.concat(items);
    assert.ok(payload.length < 56);
    return Buffer.concat([Buffer.of(0xc0 + payload.length), payload]);
  };
  const fields = [1n, 0n, 1_000_000_000n, 30_000_000_000n, 21_000n].map((n) => item(big(n)));
  const tx = list([...fields, item(Buffer.from(to, "hex")), item(big(wei)), item(Buffer.alloc(0)), list([])]);
  return "02" + tx.toString("hex");
}

// The flow's state, built up test by test.
const user = generateP256KeyPair();
let platform;
let me;
let subOrg;
let walletId;
let address;
let endUserId;
let platformUserId;
let exportPolicyId;

test("sign-up with the staged quorum: threshold 1, export policy, then 2-of-2", async () => {
  platform = client(sandbox.platformKey);
  me = client(user);
  const parent = sandbox.info.organizationId;
  const created = await platform.createSubOrganization(
    envelope("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8", parent, {
      subOrganizationName: "alice",
      rootUsers: [
        {
          userName: "alice",
          userEmail: "alice@example.com",
          apiKeys: [{ apiKeyName: "alice key", publicKey: user.publicKey, curveType: "API_KEY_CURVE_P256", expirationSeconds: "86400" }],
          authenticators: [],
          oauthProviders: [],
        },
        {
          userName: "platform",
          apiKeys: [{ apiKeyName: "platform key", publicKey: sandbox.platformKey.publicKey, curveType: "API_KEY_CURVE_P256" }],
          authenticators: [],
          oauthProviders: [],
        },
      ],
      rootQuorumThreshold: 1,
      wallet: {
        walletName: "alice wallet",
        accounts: [{ curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" }],
      },
    }),
  );
  assert.equal(created.activity.status, "ACTIVITY_STATUS_COMPLETED");
  const r = created.activity.result.createSubOrganizationResultV8;
  subOrg = r.subOrganizationId;
  walletId = r.wallet.walletId;
  [address] = r.wallet.addresses;
  [endUserId, platformUserId] = r.rootUserIds;
  assert.match(address, /^0x[0-9a-fA-F]{40}$/);

  const policy = await platform.createPolicy(
    envelope("ACTIVITY_TYPE_CREATE_POLICY_V3", subOrg, {
      policyName: "the end user exports alone",
      effect: "EFFECT_ALLOW",
      consensus: `approvers.any(user, user.id == '${endUserId}')`,
      condition: `activity.type == 'ACTIVITY_TYPE_EXPORT_WALLET' && wallet.id == '${walletId}'`,
      notes: "wallet-as-a-service export policy",
    }),
  );
  assert.equal(policy.activity.status, "ACTIVITY_STATUS_COMPLETED");
  exportPolicyId = policy.activity.result.createPolicyResult.policyId;

  const quorum = await platform.updateRootQuorum(
    envelope("ACTIVITY_TYPE_UPDATE_ROOT_QUORUM", subOrg, { threshold: 2, userIds: [endUserId, platformUserId] }),
  );
  assert.equal(quorum.activity.status, "ACTIVITY_STATUS_COMPLETED");
  const configs = await me.getOrganizationConfigs({ organizationId: subOrg });
  assert.deepEqual(configs.configs.quorum, { threshold: 2, userIds: [endUserId, platformUserId] });
});

/** The user submits; the activity waits for the platform, which approves or rejects it. */
async function twoOfTwo(submit, approve) {
  const pending = await submit();
  assert.equal(pending.activity.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
  assert.equal(pending.activity.votes.length, 1);
  assert.equal(pending.activity.votes[0].userId, endUserId);
  const vote = approve ? platform.approveActivity : platform.rejectActivity;
  const voted = await vote({
    ...envelope(approve ? "ACTIVITY_TYPE_APPROVE_ACTIVITY" : "ACTIVITY_TYPE_REJECT_ACTIVITY", subOrg, {
      fingerprint: pending.activity.fingerprint,
    }),
  });
  assert.equal(voted.activity.id, pending.activity.id);
  assert.equal(voted.activity.status, approve ? "ACTIVITY_STATUS_COMPLETED" : "ACTIVITY_STATUS_REJECTED");
  const again = await me.getActivity({ organizationId: subOrg, activityId: pending.activity.id });
  assert.equal(again.activity.status, voted.activity.status);
  assert.equal(again.activity.votes.length, 2);
  return again.activity;
}

test("2-of-2 sign_transaction and sign_raw_payload, approved and rejected", async () => {
  const tx = () =>
    me.signTransaction(
      envelope("ACTIVITY_TYPE_SIGN_TRANSACTION_V2", subOrg, {
        signWith: address,
        unsignedTransaction: unsignedTransfer("11".repeat(20), 10n ** 15n),
        type: "TRANSACTION_TYPE_ETHEREUM",
      }),
    );
  const signed = await twoOfTwo(tx, true);
  assert.match(signed.result.signTransactionResult.signedTransaction, /^02[0-9a-f]+$/);
  const refused = await twoOfTwo(tx, false);
  assert.equal(refused.votes[1].selection, "VOTE_SELECTION_REJECTED");

  const raw = () =>
    me.signRawPayload(
      envelope("ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2", subOrg, {
        signWith: address,
        payload: "68656c6c6f",
        encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
        hashFunction: "HASH_FUNCTION_KECCAK256",
      }),
    );
  const sig = (await twoOfTwo(raw, true)).result.signRawPayloadResult;
  assert.match(sig.r, /^[0-9a-f]{64}$/);
  assert.match(sig.s, /^[0-9a-f]{64}$/);
  const rejected = await twoOfTwo(raw, false);
  // A vote on a finished activity is refused (gRPC 9, FAILED_PRECONDITION).
  await rejectsWith(
    platform.approveActivity(envelope("ACTIVITY_TYPE_APPROVE_ACTIVITY", subOrg, { fingerprint: rejected.fingerprint })),
    9,
  );
});

test("export: the user alone under the export policy; an account export needs both", async () => {
  const target = generateP256KeyPair();
  const exported = await me.exportWallet(
    envelope("ACTIVITY_TYPE_EXPORT_WALLET", subOrg, { walletId, targetPublicKey: target.publicKeyUncompressed }),
  );
  assert.equal(exported.activity.status, "ACTIVITY_STATUS_COMPLETED", "the export policy lets the user export alone");
  const mnemonic = await decryptExportBundle({
    exportBundle: exported.activity.result.exportWalletResult.exportBundle,
    embeddedKey: target.privateKey,
    organizationId: subOrg,
    dangerouslyOverrideSignerPublicKey: sandbox.info.signerPublicKey,
    returnMnemonic: true,
  });
  assert.equal(mnemonic.trim().split(/\s+/).length, 12);

  const account = await twoOfTwo(
    () =>
      me.exportWalletAccount(
        envelope("ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT", subOrg, { address, targetPublicKey: target.publicKeyUncompressed }),
      ),
    true,
  );
  assert.equal(account.result.exportWalletAccountResult.address, address);
});

test("create_read_write_session: approved by the platform, the session key then stamps", async () => {
  const target = generateP256KeyPair();
  const session = await twoOfTwo(
    () =>
      me.createReadWriteSession(
        envelope("ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2", subOrg, {
          targetPublicKey: target.publicKeyUncompressed,
          expirationSeconds: "900",
        }),
      ),
    true,
  );
  const r = session.result.createReadWriteSessionResultV2;
  assert.equal(r.userId, endUserId);
  const privateKey = decryptCredentialBundle(r.credentialBundle, target.privateKey);
  const publicKey = Buffer.from(getPublicKey(Buffer.from(privateKey, "hex"), true)).toString("hex");
  const who = await client({ publicKey, privateKey }).getWhoami({ organizationId: subOrg });
  assert.equal(who.userId, endUserId);
  assert.equal(who.organizationId, subOrg);
});

test("TurnkeyClient's reads return what the flow created", async () => {
  const wallets = await me.getWallets({ organizationId: subOrg });
  assert.deepEqual(wallets.wallets.map((w) => [w.walletId, w.walletName, w.exported]), [[walletId, "alice wallet", true]]);
  const wallet = await me.getWallet({ organizationId: subOrg, walletId });
  assert.equal(wallet.wallet.walletId, walletId);

  const accounts = await me.getWalletAccounts({ organizationId: subOrg, walletId, includeWalletDetails: true });
  assert.deepEqual(accounts.accounts.map((a) => [a.address, a.walletId, a.path]), [[address, walletId, "m/44'/60'/0'/0/0"]]);
  assert.equal(accounts.accounts[0].walletDetails.walletId, walletId);
  const all = await me.getWalletAccounts({ organizationId: subOrg });
  assert.equal(all.accounts.length, 1);

  const users = await me.getUsers({ organizationId: subOrg });
  const byId = Object.fromEntries(users.users.map((u) => [u.userId, u]));
  assert.deepEqual(Object.keys(byId).sort(), [endUserId, platformUserId].sort());
  assert.equal(byId[endUserId].userEmail, "alice@example.com");
  assert.equal(byId[endUserId].apiKeys[0].credential.publicKey, user.publicKey);
  assert.equal(byId[endUserId].apiKeys[0].expirationSeconds, "86400");
  assert.ok(!("userEmail" in byId[platformUserId]), "an absent email is omitted, not null");
  assert.ok(!("expirationSeconds" in byId[platformUserId].apiKeys[0]));
  const alice = await me.getUser({ organizationId: subOrg, userId: endUserId });
  assert.deepEqual(alice.user.mfaPolicies, []);

  const policies = await me.getPolicies({ organizationId: subOrg });
  assert.deepEqual(policies.policies.map((p) => [p.policyId, p.effect]), [[exportPolicyId, "EFFECT_ALLOW"]]);
  const policy = await me.getPolicy({ organizationId: subOrg, policyId: exportPolicyId });
  assert.match(policy.policy.consensus, new RegExp(endUserId));

  const ids = await platform.getSubOrgIds({ organizationId: sandbox.info.organizationId });
  assert.deepEqual(ids.organizationIds, [subOrg]);
  const byName = await platform.getSubOrgIds({ organizationId: sandbox.info.organizationId, filterType: "USERNAME", filterValue: "alice" });
  assert.deepEqual(byName.organizationIds, [subOrg]);
  const none = await platform.getSubOrgIds({ organizationId: sandbox.info.organizationId, filterType: "EMAIL", filterValue: "nobody@example.com" });
  assert.deepEqual(none.organizationIds, []);

  const org = (await me.getOrganization({ organizationId: subOrg })).organizationData;
  assert.equal(org.organizationId, subOrg);
  assert.equal(org.name, "alice");
  assert.deepEqual(org.rootQuorum, { threshold: 2, userIds: [endUserId, platformUserId] });
  assert.deepEqual(org.wallets.map((w) => w.walletId), [walletId]);
  assert.deepEqual(org.users.map((u) => u.userId).sort(), [endUserId, platformUserId].sort());
  assert.deepEqual(org.policies.map((p) => p.policyId), [exportPolicyId]);

  const who = await me.getWhoami({ organizationId: subOrg });
  assert.deepEqual([who.userId, who.username, who.organizationName], [endUserId, "alice", "alice"]);

  const activities = await me.getActivities({ organizationId: subOrg });
  // policy, quorum, 2 transactions, 2 raw payloads, 2 exports, 1 session (the sub-org was created in the parent).
  const types = activities.activities.map((a) => a.type);
  assert.equal(types.filter((t) => t === "ACTIVITY_TYPE_SIGN_TRANSACTION_V2").length, 2);
  assert.equal(types.filter((t) => t === "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2").length, 2);
  const rejected = await me.getActivities({ organizationId: subOrg, filterByStatus: ["ACTIVITY_STATUS_REJECTED"] });
  assert.equal(rejected.activities.length, 2);
});

/** Follows an activity with `get_activity` until it is no longer awaiting consensus. */
async function settle(tk, organizationId, activity) {
  for (let i = 0; i < 200 && activity.status === "ACTIVITY_STATUS_CONSENSUS_NEEDED"; i += 1) {
    await new Promise((r) => setTimeout(r, 50));
    ({ activity } = await tk.getActivity({ organizationId, activityId: activity.id }));
  }
  return activity;
}

test("passkey sign-up through the platform backend; its co-signer approves and rejects 2-of-2", async () => {
  const passkey = new SoftPasskey(sandbox.info.origins[0], sandbox.info.rpId);
  const post = async (path, body) => {
    const headers = { "content-type": "application/json" };
    if (path.startsWith("/platform/admin/")) headers["x-platform-admin-token"] = sandbox.adminToken;
    const r = await fetch(sandbox.baseUrl + path, { method: "POST", headers, body: JSON.stringify(body) });
    assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
    return r.json();
  };
  const bob = await post("/platform/signup", { userName: "bob", ...passkey.register(Buffer.from("a registration challenge")) });
  const deny = "22".repeat(20);
  await post("/platform/admin/rules", { denyRecipients: [`0x${deny}`], maxValueWei: "1000000000000000000" });
  const tk = new TurnkeyClient({ baseUrl: proxyUrl }, passkey);
  const org = bob.subOrganizationId;

  const me = await tk.getUser({ organizationId: org, userId: bob.endUserId });
  assert.equal(me.user.authenticators[0].credentialId, Buffer.from(passkey.credentialId).toString("base64url"));
  assert.deepEqual(me.user.authenticators[0].transports, ["AUTHENTICATOR_TRANSPORT_INTERNAL"]);
  const quorum = (await tk.getOrganization({ organizationId: org })).organizationData.rootQuorum;
  assert.deepEqual(quorum, { threshold: 2, userIds: [bob.endUserId, bob.platformUserId] });

  const send = (to) =>
    tk.signTransaction(
      envelope("ACTIVITY_TYPE_SIGN_TRANSACTION_V2", org, {
        signWith: bob.addresses[0],
        unsignedTransaction: unsignedTransfer(to, 10n ** 15n),
        type: "TRANSACTION_TYPE_ETHEREUM",
      }),
    );
  const ok = await send("11".repeat(20));
  assert.equal(ok.activity.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
  const approved = await settle(tk, org, ok.activity);
  assert.equal(approved.status, "ACTIVITY_STATUS_COMPLETED");
  assert.deepEqual(approved.votes.map((v) => [v.userId, v.selection]), [
    [bob.endUserId, "VOTE_SELECTION_APPROVED"],
    [bob.platformUserId, "VOTE_SELECTION_APPROVED"],
  ]);
  const denied = await settle(tk, org, (await send(deny)).activity);
  assert.equal(denied.status, "ACTIVITY_STATUS_REJECTED");
  assert.equal(denied.votes[1].selection, "VOTE_SELECTION_REJECTED");

  const target = generateP256KeyPair();
  const exported = await tk.exportWallet(
    envelope("ACTIVITY_TYPE_EXPORT_WALLET", org, { walletId: bob.walletId, targetPublicKey: target.publicKeyUncompressed }),
  );
  assert.equal(exported.activity.status, "ACTIVITY_STATUS_COMPLETED", "the sign-up's export policy lets the user export alone");
});

test("errors come back in Turnkey's shape, and unsupported spec paths answer 501", async () => {
  await rejectsWith(client(generateP256KeyPair()).getWhoami({ organizationId: subOrg }), 16);
  await rejectsWith(me.getActivity({ organizationId: subOrg, activityId: "00000000-0000-0000-0000-000000000000" }), 5);
  await rejectsWith(me.getWallet({ organizationId: subOrg, walletId: "no-such-wallet" }), 5);
  await rejectsWith(
    me.createWallet({ type: "ACTIVITY_TYPE_CREATE_WALLET", timestampMs: "1000", organizationId: subOrg, parameters: { walletName: "late", accounts: [] } }),
    3,
  );
  // The user's key is not the parent organization's: 401 there.
  await rejectsWith(me.getWhoami({ organizationId: sandbox.info.organizationId }), 16);
  // Paths of the spec that the sandbox does not implement.
  for (const call of [
    () => me.getApiKeys({ organizationId: subOrg }),
    () => me.getAuthenticators({ organizationId: subOrg, userId: endUserId }),
    () => me.createUsers(envelope("ACTIVITY_TYPE_CREATE_USERS_V3", subOrg, { users: [] })),
    () => me.deleteSubOrganization(envelope("ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION", subOrg, { deleteWithoutExport: true })),
  ]) {
    await assert.rejects(call(), (e) => {
      assert.equal(e.code, 12, e.message);
      assert.match(e.message, /not supported by the sandbox/);
      return true;
    });
  }
  const unsupported = recorded.filter((r) => r.status === 501);
  assert.equal(unsupported.length, 4);
  // A path outside the spec stays a plain 404 (and is not a Turnkey path to validate).
  const typo = await fetch(`${proxyUrl}/public/v1/query/get_walets`, { method: "POST", body: "{}" });
  assert.equal(typo.status, 404);
  assert.equal((await typo.json()).code, 5);
});

test("every response of the flow is valid against Turnkey's spec", () => {
  const inSpec = recorded.filter((r) => spec.paths[r.path]);
  const failures = invalidResponses(recorded, spec, validate);
  const paths = new Set(inSpec.map((r) => r.path));
  const statuses = new Set(inSpec.map((r) => r.status));
  console.log(`# ${inSpec.length - failures.length}/${inSpec.length} responses valid against the spec (${paths.size} paths; statuses ${[...statuses].sort().join(", ")})`);
  assert.deepEqual(failures, []);
  // The flow really exercised what it claims.
  for (const p of [
    "create_sub_organization", "create_policy", "update_root_quorum", "sign_transaction", "sign_raw_payload",
    "approve_activity", "reject_activity", "export_wallet", "export_wallet_account", "create_read_write_session",
  ]) assert.ok(paths.has(`/public/v1/submit/${p}`), p);
  for (const p of [
    "whoami", "get_activity", "list_activities", "list_wallets", "get_wallet", "list_wallet_accounts", "list_users",
    "get_user", "list_policies", "get_policy", "list_suborgs", "get_organization", "get_organization_configs",
  ]) assert.ok(paths.has(`/public/v1/query/${p}`), p);
  for (const s of [200, 400, 401, 404, 501]) assert.ok(statuses.has(s), `status ${s}`);
  assert.ok(inSpec.length >= 45, `${inSpec.length} responses`);
});

test("the validator rejects the sandbox's old shapes (it really checks nested required, type and enum)", () => {
  const done = recorded.find((r) => r.path === "/public/v1/query/get_activity" && r.status === 200 && r.body.activity.votes.length === 2);
  assert.ok(done, "a 2-vote activity was read");
  assert.deepEqual(validate(done.path, 200, done.body).errors, []);
  const broken = structuredClone(done.body);
  delete broken.activity.votes[1].user.mfaPolicies;
  broken.activity.votes[0].user.userEmail = null;
  broken.activity.failure = null;
  broken.activity.status = "ACTIVITY_STATUS_SOMETHING";
  broken.activity.createdAt.seconds = 1;
  const errors = validate(done.path, 200, broken).errors.join("\n");
  for (const expected of [
    "/activity/votes/1/user must have required property 'mfaPolicies'",
    "/activity/votes/0/user/userEmail must be string",
    "/activity/failure must be object",
    "/activity/status must be equal to one of the allowed values",
    "/activity/createdAt/seconds must be string",
  ]) assert.ok(errors.includes(expected), `${expected} in:\n${errors}`);
  // Lists are checked item by item.
  const wallets = recorded.find((r) => r.path === "/public/v1/query/list_wallets" && r.status === 200);
  const noName = structuredClone(wallets.body);
  delete noName.wallets[0].walletName;
  assert.deepEqual(validate(wallets.path, 200, noName).errors, ["/wallets/0 must have required property 'walletName'"]);
});
