// The demo page (www/index.html) used as a person would: type, click, read what it says.
// Headless Chromium with a CDP virtual passkey authenticator against the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, launchBrowser, recoverEip1559Signer, rlpEncode } from "./helpers.mjs";

const bytesOf = (n) => {
  const h = n.toString(16);
  return n === 0n ? new Uint8Array() : Uint8Array.from(Buffer.from(h.length % 2 ? `0${h}` : h, "hex"));
};
/** The transfer the demo builds (chain 31337, nonce 0, 1/30 gwei, 21000 gas), encoded independently here. */
function expectedUnsigned(to, wei) {
  const fields = [31337n, 0n, 1_000_000_000n, 30_000_000_000n, 21_000n].map(bytesOf);
  const body = rlpEncode([...fields, Uint8Array.from(Buffer.from(to.slice(2), "hex")), bytesOf(wei), new Uint8Array(), []]);
  return "02" + Buffer.from(body).toString("hex");
}

let sandbox;
let browser;
let page;
let cdp;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (e) => { throw e; });
  cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${sandbox.baseUrl}/`);
  await page.getByText("Create a wallet to begin.").waitFor();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const status = () => page.locator("#status").textContent();

test("sign up with a passkey creates a 2-of-2 sub-organization with a wallet", async () => {
  await page.getByLabel("Your name").fill("dana");
  await page.getByRole("button", { name: "Create wallet with a passkey" }).click();
  await page.getByText("Wallet created.").waitFor({ timeout: 30_000 });
  const address = await page.locator("#address").textContent();
  assert.match(address, /^0x[0-9a-fA-F]{40}$/);
  const users = await (await fetch(`${sandbox.baseUrl}/platform/users`)).json();
  assert.ok(JSON.stringify(users).includes(address), "the platform backend knows the new wallet");
});

test("unlocking creates a session; a transfer shows pending platform approval, then is signed", async () => {
  await page.getByRole("button", { name: /Unlock for 15 minutes/ }).click();
  await page.getByText("Unlocked: actions no longer prompt").waitFor({ timeout: 30_000 });
  assert.match(await page.locator("#session").textContent(), /unlocked until/);

  const seen = [];
  await page.exposeFunction("__statusSeen", (t) => seen.push(t));
  await page.evaluate(() => new MutationObserver(() => window.__statusSeen(document.getElementById("status").textContent))
    .observe(document.getElementById("status"), { childList: true, characterData: true, subtree: true }));
  await page.getByRole("button", { name: "Approve and send" }).click();
  await page.getByText(/^Signed transaction: 0x02/).waitFor({ timeout: 30_000 });
  assert.ok(seen.some((t) => t.includes("Pending the platform's approval")), `statuses seen: ${seen.join(" | ")}`);
  for (const step of ["you", "platform", "done"]) {
    assert.equal(await page.locator(`[data-step=${step}]`).getAttribute("data-state"), "ok");
  }
  const signed = (await page.locator("#send-result").textContent()).replace("Signed transaction: ", "");
  assert.equal(signed.slice(0, 4), "0x02");
  const address = await page.locator("#address").textContent();
  const unsigned = expectedUnsigned("0x000000000000000000000000000000000000dEaD", 10n ** 16n);
  assert.equal(recoverEip1559Signer(signed.slice(2), unsigned).toLowerCase(), address.toLowerCase());
});

test("the platform's deny list makes it decline, and the page says why", async () => {
  await page.getByLabel("Blocked recipients (comma-separated)").fill("0x000000000000000000000000000000000000dEaD");
  await page.getByRole("button", { name: "Save rules" }).click();
  await page.getByText("The platform's rules are saved.").waitFor();
  await page.getByRole("button", { name: "Approve and send" }).click();
  await page.getByText(/^Declined by the platform: /).waitFor({ timeout: 30_000 });
  assert.match(await page.locator("#send-result").textContent(), /is on the deny list/i);
  assert.equal(await page.locator("[data-step=platform]").getAttribute("data-state"), "failed");
  assert.notEqual(await page.locator("[data-step=done]").getAttribute("data-state"), "ok");
});

test("export: the phrase reaches the DOM only when revealed, and hides again", async () => {
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByText("Exported and verified.").waitFor({ timeout: 30_000 });
  const before = await page.content();
  assert.equal(await page.locator("#phrase").textContent(), "");
  const reveal = page.getByRole("button", { name: "Reveal phrase" });
  await reveal.click();
  const phrase = await page.locator("#phrase").textContent();
  const words = phrase.trim().split(/\s+/);
  assert.ok([12, 15, 18, 21, 24].includes(words.length), phrase);
  assert.ok(!before.includes(words.slice(0, 4).join(" ")), "not in the DOM before reveal");
  await page.getByRole("button", { name: "Hide phrase" }).click();
  assert.equal(await page.locator("#phrase").textContent(), "");
  assert.match(await status(), /Reveal it when nobody is looking/);
});
