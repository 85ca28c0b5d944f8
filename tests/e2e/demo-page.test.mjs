// The demo (www/index.html) walked as a new user would, in headless Chromium with a CDP virtual
// passkey authenticator against the sandbox: sign up, a transaction pending the platform's vote,
// approved; the platform's rules changed in the admin panel, the next one rejected with the reason;
// export with reveal. The page is served with the strict CSP it is written for, and a screenshot
// of each step is saved under target/e2e-screens/demo/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { hmac } from "@noble/hashes/hmac";
import { pbkdf2 } from "@noble/hashes/pbkdf2";
import { sha512 } from "@noble/hashes/sha512";
import { keccak_256 } from "@noble/hashes/sha3";
import { secp256k1 } from "@noble/curves/secp256k1";
import { CSP } from "./csp.mjs";
import { ROOT, startSandbox, launchBrowser, recoverEip1559Signer, rlpEncode } from "./helpers.mjs";

const SHOTS = join(ROOT, "target", "e2e-screens", "demo");
const RECIPIENT = "0x000000000000000000000000000000000000dEaD";

let sandbox;
let browser;
let page;
const pageErrors = [];

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sandbox = await startSandbox();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e));
  // Serve every HTML page with the CSP the sandbox will send, and record any violation.
  await page.route((url) => url.pathname === "/" || url.pathname.endsWith(".html"), async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": CSP } });
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${sandbox.baseUrl}/`);
  await page.locator("body[data-ready=true]").waitFor({ timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const approveEl = () => page.locator("quorum-approve-transaction");
const waitState = (locator, state, timeout = 30_000) =>
  page.waitForFunction(([sel, s]) => document.querySelector(sel)?.getAttribute("state") === s, [locator, state], { timeout });

/** The transfer the demo should build (Sepolia), encoded here independently of www/eth.js. */
function expectedUnsigned(nonce, wei) {
  const int = (n) => { const h = BigInt(n).toString(16); return n == 0 ? new Uint8Array() : Uint8Array.from(Buffer.from(h.length % 2 ? `0${h}` : h, "hex")); };
  const fields = [11_155_111n, nonce, 1_000_000_000n, 30_000_000_000n, 21_000n].map(int);
  return "02" + Buffer.from(rlpEncode([...fields, Uint8Array.from(Buffer.from(RECIPIENT.slice(2), "hex")), int(wei), new Uint8Array(), []])).toString("hex");
}

/** The first Ethereum address of a BIP-39 phrase (m/44'/60'/0'/0/0), computed here without the kit. */
function firstAddress(mnemonic) {
  const seed = pbkdf2(sha512, new TextEncoder().encode(mnemonic.normalize("NFKD")), new TextEncoder().encode("mnemonic"), { c: 2048, dkLen: 64 });
  let I = hmac(sha512, new TextEncoder().encode("Bitcoin seed"), seed);
  let key = I.slice(0, 32), chain = I.slice(32);
  const N = secp256k1.CURVE.n;
  for (const index of [0x8000002c, 0x8000003c, 0x80000000, 0, 0]) {
    const data = new Uint8Array(37);
    if (index >= 0x80000000) data.set(key, 1);
    else data.set(secp256k1.getPublicKey(key, true), 0);
    new DataView(data.buffer).setUint32(33, index);
    I = hmac(sha512, chain, data);
    const k = (BigInt("0x" + Buffer.from(I.slice(0, 32)).toString("hex")) + BigInt("0x" + Buffer.from(key).toString("hex"))) % N;
    key = Uint8Array.from(Buffer.from(k.toString(16).padStart(64, "0"), "hex"));
    chain = I.slice(32);
  }
  const pub = secp256k1.getPublicKey(key, false);
  return "0x" + Buffer.from(keccak_256(pub.slice(1)).slice(12)).toString("hex");
}

let address;

test("1. a new user signs up with a passkey and sees the address", async () => {
  assert.match(await page.locator("#status").textContent(), /Create a wallet to begin/);
  assert.match(await page.locator(".note").textContent(), /local sandbox[\s\S]*api\.turnkey\.com/);
  await shot("01-start");
  await page.getByLabel("Your name").fill("dana");
  await page.getByRole("button", { name: "Create wallet with a passkey" }).click();
  await page.locator("#step-wallet:not([hidden])").waitFor({ timeout: 30_000 });
  address = (await page.locator("#address").textContent()).trim();
  assert.match(address, /^0x[0-9a-fA-F]{40}$/);
  const { users } = await (await fetch(`${sandbox.baseUrl}/platform/users`)).json();
  assert.equal(users.length, 1);
  assert.deepEqual(users[0].addresses, [address]);
  assert.equal(await page.locator("#suborg").textContent(), users[0].subOrganizationId);
  await shot("02-signed-up");
});

test("2. a transaction waits for the platform's vote, then is signed by both", async () => {
  // Hold the element's polls for a moment so the pending state can be seen and photographed.
  let held = 0;
  await page.route("**/public/v1/query/get_activity", async (route) => {
    if (held++ < 2) await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
  });
  await page.getByRole("button", { name: "Prepare transaction" }).click();
  await approveEl().getByText("0.01 ETH").waitFor();
  await approveEl().getByText(RECIPIENT).waitFor();
  await approveEl().getByText("Sepolia").waitFor();
  await page.getByRole("button", { name: "Approve with passkey" }).click();
  await waitState("quorum-approve-transaction", "pending-approval");
  await approveEl().getByText("Pending platform approval").waitFor();
  await approveEl().getByText("1 of 2 approvals").waitFor();
  assert.match(await page.locator("#status").textContent(), /Waiting for the platform's vote/);
  await shot("03-pending-approval");
  await waitState("quorum-approve-transaction", "approved");
  await page.unroute("**/public/v1/query/get_activity");
  await approveEl().getByText("Transaction signed").waitFor();
  const signed = (await approveEl().locator("[part=signed-transaction]").textContent()).trim().replace(/^0x/, "");
  assert.equal(await approveEl().getAttribute("unsigned-transaction"), expectedUnsigned(0n, 10n ** 16n));
  assert.equal(recoverEip1559Signer(signed, expectedUnsigned(0n, 10n ** 16n)).toLowerCase(), address.toLowerCase());
  await page.locator("#decisions li.ok").first().waitFor();
  const events = await page.locator("#events li").evaluateAll((lis) => lis.map((l) => l.dataset.event));
  for (const e of ["quorum-pending-approval", "quorum-approved"]) assert.ok(events.includes(e), `${e} in ${events}`);
  await shot("04-approved");
});

test("3. after the platform lowers its limit in the admin panel, the next transaction is rejected with the reason", async () => {
  await page.getByLabel("Largest transaction (ETH)").fill("0.001");
  await page.getByRole("button", { name: "Save rules" }).click();
  await page.getByText("Rules saved.").waitFor();
  const rules = await (await fetch(`${sandbox.baseUrl}/platform/admin/rules`)).json();
  assert.equal(rules.maxValueWei, "1000000000000000");
  await page.getByRole("button", { name: "Prepare transaction" }).click();
  await waitState("quorum-approve-transaction", "idle");
  await page.getByRole("button", { name: "Approve with passkey" }).click();
  await waitState("quorum-approve-transaction", "rejected");
  await approveEl().getByText("The platform declined this transaction").waitFor();
  const reason = await approveEl().locator("[part=reason]").textContent();
  assert.match(reason, /^Reason: value 10000000000000000 wei exceeds the per-transaction limit of 1000000000000000 wei$/);
  assert.equal(await approveEl().getAttribute("unsigned-transaction"), expectedUnsigned(1n, 10n ** 16n));
  assert.match(await page.locator("#status").textContent(), /The platform declined: value .* exceeds/);
  await page.locator("#decisions li.no").first().waitFor();
  await shot("05-rejected");
});

test("4. export: confirmed, approved with the passkey, the phrase revealed only when asked, and it is this wallet's", async () => {
  const exporter = page.locator("quorum-export-wallet");
  await exporter.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Export with passkey" }).click();
  await waitState("quorum-export-wallet", "done");
  const phraseList = exporter.locator("[part=phrase]");
  assert.equal(await phraseList.count(), 0, "no phrase in the DOM before Reveal");
  await shot("06-export-ready");
  await page.getByRole("button", { name: "Reveal phrase" }).click();
  await waitState("quorum-export-wallet", "revealed");
  const words = await phraseList.locator("li").allTextContents();
  assert.ok([12, 15, 18, 21, 24].includes(words.length), words.join(" "));
  assert.equal(firstAddress(words.join(" ")), address.toLowerCase(), "the phrase derives the wallet's address");
  await shot("07-export-revealed");
  await page.getByRole("button", { name: "Hide phrase" }).click();
  await waitState("quorum-export-wallet", "idle");
  assert.equal(await phraseList.count(), 0);
});

test("the walk raised no page error and no CSP violation", async () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});
