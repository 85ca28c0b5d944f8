// The kit's Client (the built package, in Node, stamping with its ApiKeyStamper) against the
// sandbox under injected faults (README: fault injection): a lost submission is re-sent
// identically and creates exactly one activity; reads are retried with backoff; an HTTP error
// on a submission is reported, not retried. Counts are read back from the sandbox afterwards.
// QUORUM_E2E_PKG points at another built package (default: pkg/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { startSandbox, root } from "./sandbox.mjs";

const pkgDir = process.env.QUORUM_E2E_PKG ? resolve(process.env.QUORUM_E2E_PKG) : join(root, "pkg");
assert.ok(existsSync(join(pkgDir, "quorum_kit.js")), `${pkgDir}/quorum_kit.js is missing: run \`make pkg\``);
const { default: init, ...kit } = await import(join(pkgDir, "quorum_kit.js"));
await init({ module_or_path: readFileSync(join(pkgDir, "quorum_kit_bg.wasm")) });

const account = { curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" };
const fast = { initialIntervalMs: 50, maxIntervalMs: 200, backoff: 1.5, deadlineMs: 30_000 };

let sandbox, platform, keyA, keyB, sub, clientA, clientB;

const admin = async (method, body) => {
  const r = await fetch(`${sandbox.baseUrl}/sandbox/v1/faults`, {
    method,
    headers: { "content-type": "application/json", "x-platform-admin-token": sandbox.adminToken },
    body: body && JSON.stringify(body),
  });
  const v = await r.json();
  assert.equal(r.status, 200, JSON.stringify(v));
  return v;
};
const fault = (rule) => admin("POST", rule);
const clearFaults = () => admin("DELETE");
const faults = async () => (await (await fetch(`${sandbox.baseUrl}/sandbox/v1/faults`)).json()).faults;

/** Every activity of the sub-organization, as the sandbox has them (read as the platform). */
async function activities(type) {
  const all = [];
  for (const a of (await platform.query("list_activities", { organizationId: sub })).activities) {
    if (!type || a.type === type) all.push(a);
  }
  return all;
}

before(async () => {
  sandbox = await startSandbox();
  const stamper = (k) => new kit.ApiKeyStamper({ apiPublicKey: k.publicKey, apiPrivateKey: k.privateKey });
  const p = sandbox.platformKey;
  const platformClient = new kit.Client({ baseUrl: sandbox.baseUrl, organizationId: p.organizationId, stamper: stamper(p), poll: fast });
  const platformStamper = stamper(p);
  platform = {
    async query(name, body) {
      const text = JSON.stringify(body);
      const s = await platformStamper.stamp(text);
      const r = await fetch(`${sandbox.baseUrl}/public/v1/query/${name}`, { method: "POST", headers: { [s.stampHeaderName]: s.stampHeaderValue }, body: text });
      assert.equal(r.status, 200);
      return r.json();
    },
  };
  keyA = kit.generateP256KeyPair();
  keyB = kit.generateP256KeyPair();
  const rootUser = (name, k) => ({ userName: name, apiKeys: [{ apiKeyName: name, publicKey: k.publicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [] });
  const h = await platformClient.createSubOrganization({ subOrganizationName: "faults", rootUsers: [rootUser("a", keyA), rootUser("b", keyB)], rootQuorumThreshold: 1 });
  sub = (await h.wait()).subOrganizationId;
  clientA = new kit.Client({ baseUrl: sandbox.baseUrl, organizationId: sub, stamper: stamper(keyA), poll: fast });
  clientB = new kit.Client({ baseUrl: sandbox.baseUrl, organizationId: sub, stamper: stamper(keyB), poll: fast });
});

after(() => sandbox?.stop());

const lostResponses = [
  { kind: "drop", count: 1 },
  { kind: "drop", count: 2 },
  { kind: "truncate", count: 1 },
  { kind: "drop", when: "before", count: 1 },
  { kind: "latency", ms: 300, count: 1 },
  { kind: "slow", ms: 300, count: 1 },
];

for (const [i, rule] of lostResponses.entries()) {
  test(`submission under ${JSON.stringify(rule)}: the kit re-sends it identically, exactly one activity`, async () => {
    const name = `w-${i}-${rule.kind}`;
    await fault({ path: "/public/v1/submit/create_wallet", ...rule });
    const h = await clientA.createWallet({ walletName: name, accounts: [account] });
    const result = await h.wait();
    assert.equal(result.addresses.length, 1);
    const [spent] = await faults();
    assert.equal(spent.hits, rule.count, "every injected fault was hit");
    await clearFaults();
    const mine = (await activities("ACTIVITY_TYPE_CREATE_WALLET")).filter((a) => a.intent.createWalletIntent.walletName === name);
    assert.equal(mine.length, 1, "exactly one activity for one intended submission");
    assert.equal(mine[0].id, h.id);
    assert.equal(mine[0].status, "ACTIVITY_STATUS_COMPLETED");
    const wallets = (await platform.query("list_wallets", { organizationId: sub })).wallets.filter((w) => w.walletName === name);
    assert.equal(wallets.length, 1, "executed once");
  });
}

test("a 5xx on a submission is reported (not retried); nothing is executed twice", async () => {
  for (const when of ["before", "after"]) {
    const name = `w-503-${when}`;
    await fault({ path: "/public/v1/submit/create_wallet", kind: "status", status: 503, when, count: 1 });
    await assert.rejects(clientA.createWallet({ walletName: name, accounts: [account] }), (e) => e.name === "TurnkeyRequestError" && e.status === 503);
    assert.equal((await faults())[0].hits, 1, "sent once");
    await clearFaults();
    const mine = (await activities("ACTIVITY_TYPE_CREATE_WALLET")).filter((a) => a.intent.createWalletIntent.walletName === name);
    // before: not executed; after: executed once (the kit cannot know: see the README's faults section).
    assert.equal(mine.length, when === "before" ? 0 : 1);
  }
});

test("reads are retried with backoff on 5xx and lost responses, and give up after three attempts", async () => {
  const h = await clientA.createWallet({ walletName: "read-retries", accounts: [account] });
  await h.wait();
  // The kit's activity object is the server's: intent, result and timestamps as JSON.parse reads them.
  const kitView = await clientA.getActivity(h.id);
  const raw = (await activities("ACTIVITY_TYPE_CREATE_WALLET")).find((x) => x.id === h.id);
  for (const k of ["id", "organizationId", "status", "type", "intent", "result", "fingerprint", "canApprove", "canReject", "createdAt", "updatedAt"]) {
    assert.deepEqual(kitView[k], raw[k], k);
  }
  assert.equal(typeof kitView.result.createWalletResult.walletId, "string");
  assert.deepEqual(kitView.votes, raw.votes.map(({ id, userId, selection }) => ({ id, userId, selection })));
  assert.equal("failure" in kitView, false);
  for (const rule of [{ kind: "status", status: 503 }, { kind: "drop" }, { kind: "truncate" }]) {
    await fault({ path: "/public/v1/query/get_activity", ...rule, count: 2 });
    const a = await clientA.getActivity(h.id);
    assert.equal(a.id, h.id);
    const [r] = await faults();
    assert.equal(r.hits, 2);
    await clearFaults();
  }
  // The gaps between attempts grow (backoff): 5xx answers are retried after 200 ms, then 400 ms.
  await fault({ path: "/public/v1/query/get_activity", kind: "status", status: 503, count: 3 });
  const started = Date.now();
  await assert.rejects(clientA.getActivity(h.id), (e) => e.name === "TurnkeyRequestError" && e.status === 503);
  const [r] = await faults();
  await clearFaults();
  assert.equal(r.hits, 3, "three attempts in all");
  const [t0, t1, t2] = r.hitTimesMs;
  assert.ok(t1 - t0 >= 150, `first gap ${t1 - t0} ms`);
  assert.ok(t2 - t1 >= 350 && t2 - t1 > t1 - t0, `second gap ${t2 - t1} ms after ${t1 - t0} ms`);
  assert.ok(Date.now() - started < 10_000);
});

test("2-of-2 under faults: a lost submission, lost polls and a lost approval still make one activity executed once with both votes", async () => {
  // Raise the quorum to 2 (A and B), as the platform's sign-up does.
  const users = (await platform.query("list_users", { organizationId: sub })).users.map((u) => u.userId);
  const q = await clientA.updateRootQuorum({ threshold: 2, userIds: users });
  await q.wait();
  await fault({ faults: [
    { path: "/public/v1/submit/create_wallet", kind: "drop", count: 1 },
    { path: "/public/v1/query/get_activity", kind: "drop", probability: 0.3 },
  ] });
  const h = await clientA.createWallet({ walletName: "two-of-two", accounts: [account] });
  assert.equal(h.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
  assert.equal(h.pendingApproval, true);
  const waiting = h.wait();
  await fault({ path: "/public/v1/submit/approve_activity", kind: "drop", count: 1 });
  const vote = await clientB.approveActivity({ fingerprint: h.fingerprint });
  await vote.wait();
  const result = await waiting;
  assert.equal(result.addresses.length, 1);
  await clearFaults();
  const mine = (await activities("ACTIVITY_TYPE_CREATE_WALLET")).filter((a) => a.intent.createWalletIntent.walletName === "two-of-two");
  assert.equal(mine.length, 1);
  assert.equal(mine[0].status, "ACTIVITY_STATUS_COMPLETED");
  assert.equal(mine[0].votes.length, 2);
  assert.equal((await activities("ACTIVITY_TYPE_APPROVE_ACTIVITY")).length, 1, "one approval despite the re-send");
});
