// Turnkey's own clients against the local sandbox, unchanged: @turnkey/http's TurnkeyClient
// with @turnkey/api-key-stamper for whoami, create_sub_organization, get_activity and
// approve_activity, and @turnkey/crypto decrypting the sandbox's export and credential bundles.
// The sandbox is started by ./sandbox.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { TurnkeyClient } from "@turnkey/http";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { generateP256KeyPair, decryptExportBundle, decryptCredentialBundle, getPublicKey } from "@turnkey/crypto";
import { startSandbox, recordingProxy, invalidResponses } from "./sandbox.mjs";
import { loadSpec, responseValidator } from "../../scripts/turnkey-spec.mjs";

let sandbox;
let proxy;
let baseUrl;
let info;
let platform;

before(async () => {
  sandbox = await startSandbox();
  // Every response goes through a recording proxy: the last test validates them all against the spec.
  proxy = await recordingProxy(sandbox.baseUrl);
  baseUrl = proxy.url;
  ({ info } = sandbox);
  platform = client(sandbox.platformKey);
});

after(() => {
  proxy?.close();
  sandbox?.stop();
});

function client({ publicKey, privateKey }) {
  return new TurnkeyClient({ baseUrl }, new ApiKeyStamper({ apiPublicKey: publicKey, apiPrivateKey: privateKey }));
}

const now = () => String(Date.now());

async function subOrg(keys, threshold) {
  const res = await platform.createSubOrganization({
    type: "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7",
    timestampMs: now(),
    organizationId: info.organizationId,
    parameters: {
      subOrganizationName: "node test",
      rootUsers: keys.map((k, i) => ({
        userName: `user ${i}`,
        apiKeys: [{ apiKeyName: `key ${i}`, publicKey: k.publicKey, curveType: "API_KEY_CURVE_P256" }],
        authenticators: [],
        oauthProviders: [],
      })),
      rootQuorumThreshold: threshold,
      wallet: {
        walletName: "node wallet",
        accounts: [
          {
            curve: "CURVE_SECP256K1",
            pathFormat: "PATH_FORMAT_BIP32",
            path: "m/44'/60'/0'/0/0",
            addressFormat: "ADDRESS_FORMAT_ETHEREUM",
          },
        ],
      },
    },
  });
  assert.equal(res.activity.status, "ACTIVITY_STATUS_COMPLETED");
  return res.activity;
}

test("whoami with the platform key", async () => {
  const who = await platform.getWhoami({ organizationId: info.organizationId });
  assert.equal(who.organizationId, info.organizationId);
  assert.equal(who.username, "platform");
  assert.match(info.signerPublicKey, /^04[0-9a-f]{128}$/);
});

test("create_sub_organization, get_activity, and an unknown key refused", async () => {
  const a = generateP256KeyPair();
  const activity = await subOrg([a], 1);
  const result = activity.result.createSubOrganizationResultV7;
  assert.ok(result.subOrganizationId);
  assert.equal(result.wallet.addresses.length, 1);
  assert.match(activity.fingerprint, /^sha256:[0-9a-f]{64}$/);
  const again = await platform.getActivity({ organizationId: info.organizationId, activityId: activity.id });
  assert.equal(again.activity.id, activity.id);
  assert.equal(again.activity.status, "ACTIVITY_STATUS_COMPLETED");
  const who = await client(a).getWhoami({ organizationId: result.subOrganizationId });
  assert.equal(who.organizationId, result.subOrganizationId);
  await assert.rejects(client(generateP256KeyPair()).getWhoami({ organizationId: result.subOrganizationId }), (e) => {
    assert.equal(e.name, "TurnkeyRequestError");
    assert.equal(e.code, 16);
    return true;
  });
});

test("2-of-2: export needs approve_activity, and @turnkey/crypto decrypts the bundle", async () => {
  const [a, b] = [generateP256KeyPair(), generateP256KeyPair()];
  const created = await subOrg([a, b], 2);
  const { subOrganizationId, wallet } = created.result.createSubOrganizationResultV7;
  const target = generateP256KeyPair();
  const pending = await client(a).exportWallet({
    type: "ACTIVITY_TYPE_EXPORT_WALLET",
    timestampMs: now(),
    organizationId: subOrganizationId,
    parameters: { walletId: wallet.walletId, targetPublicKey: target.publicKeyUncompressed },
  });
  assert.equal(pending.activity.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
  const approved = await client(b).approveActivity({
    type: "ACTIVITY_TYPE_APPROVE_ACTIVITY",
    timestampMs: now(),
    organizationId: subOrganizationId,
    parameters: { fingerprint: pending.activity.fingerprint },
  });
  assert.equal(approved.activity.id, pending.activity.id);
  assert.equal(approved.activity.status, "ACTIVITY_STATUS_COMPLETED");
  const done = await client(a).getActivity({ organizationId: subOrganizationId, activityId: pending.activity.id });
  assert.equal(done.activity.votes.length, 2);
  const mnemonic = await decryptExportBundle({
    exportBundle: done.activity.result.exportWalletResult.exportBundle,
    embeddedKey: target.privateKey,
    organizationId: subOrganizationId,
    dangerouslyOverrideSignerPublicKey: info.signerPublicKey,
    returnMnemonic: true,
  });
  assert.equal(mnemonic.trim().split(/\s+/).length, 12);
});

test("create_read_write_session: @turnkey/crypto decrypts the credential bundle, which then stamps", async () => {
  const a = generateP256KeyPair();
  const created = await subOrg([a], 1);
  const { subOrganizationId } = created.result.createSubOrganizationResultV7;
  const target = generateP256KeyPair();
  const res = await client(a).createReadWriteSession({
    type: "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2",
    timestampMs: now(),
    organizationId: subOrganizationId,
    parameters: { targetPublicKey: target.publicKeyUncompressed, expirationSeconds: "900" },
  });
  assert.equal(res.activity.status, "ACTIVITY_STATUS_COMPLETED");
  const r = res.activity.result.createReadWriteSessionResultV2;
  const sessionPrivate = decryptCredentialBundle(r.credentialBundle, target.privateKey);
  const sessionPublic = Buffer.from(getPublicKey(Buffer.from(sessionPrivate, "hex"), true)).toString("hex");
  const who = await client({ publicKey: sessionPublic, privateKey: sessionPrivate }).getWhoami({
    organizationId: subOrganizationId,
  });
  assert.equal(who.userId, r.userId);
});

test("every response above is valid against Turnkey's spec", () => {
  const spec = loadSpec();
  assert.ok(proxy.recorded.length >= 10, `${proxy.recorded.length} responses recorded`);
  assert.deepEqual(invalidResponses(proxy.recorded, spec, responseValidator(spec)), []);
});
