// The theme playground (/playground): every state of every element rendered with the mock client
// (no passkey, no server), tokens changing what the shadow roots render, theme and language
// switches, and the "Copy CSS" stylesheet. Served with the strict CSP; screenshots under
// target/e2e-screens/playground/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startSandbox, launchBrowser } from "./helpers.mjs";
import { CSP } from "./csp.mjs";
import { readFileSync } from "node:fs";

const SHOTS = join(ROOT, "target", "e2e-screens", "playground");
const STATES = {
  "quorum-sign-up": ["idle", "awaiting-passkey", "creating-wallet", "done", "error"],
  "quorum-approve-transaction": ["idle", "submitting", "pending-approval", "approved", "rejected", "failed"],
  "quorum-export-wallet": ["idle", "submitting", "done", "revealed", "error"],
};

let sandbox;
let browser;
let context;
let page;
const pageErrors = [];
let apiCalls;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sandbox = await startSandbox();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, colorScheme: "light" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: sandbox.baseUrl });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e));
  // The page carries the strict CSP in a <meta> (Playwright's request routing would bypass the
  // Service Worker, so the header is not injected here as in the demo's test).
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // Nothing may reach the sandbox's Turnkey API: the playground's elements use the mock only.
  const realApi = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/public/v1/")) realApi.push(r.url()); });
  apiCalls = () => realApi;
  await page.goto(`${sandbox.baseUrl}/playground`);
  await page.locator("body[data-ready=true]").waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const cell = (tag, state) => page.locator(`${tag}[data-target="${state}"]`);

test("every state of every element renders with the mock client", async () => {
  assert.equal(new URL(page.url()).pathname, "/playground/");
  for (const [tag, states] of Object.entries(STATES)) {
    for (const state of states) assert.equal(await cell(tag, state).getAttribute("state"), state, `${tag} ${state}`);
  }
  // What a person sees in each state, from the strings table, inside the shadow roots.
  await cell("quorum-sign-up", "done").getByText("0x9858EfFD232B4033E47d90003D41EC34EcaEda94").waitFor();
  await cell("quorum-sign-up", "error").getByText(/billing is not set up/).waitFor();
  await cell("quorum-approve-transaction", "pending-approval").getByText("1 of 2 approvals").waitFor();
  await cell("quorum-approve-transaction", "idle").getByText("0.025 ETH").waitFor();
  await cell("quorum-approve-transaction", "rejected").getByText(/^Reason: value 0\.025 ETH exceeds/).waitFor();
  await cell("quorum-approve-transaction", "failed").getByText(/no funds/).waitFor();
  await cell("quorum-export-wallet", "error").getByText("The exported data could not be verified and was discarded.").waitFor();
  // The mock bundle really was sealed to the element's fresh key and decrypted by the kit.
  const words = await cell("quorum-export-wallet", "revealed").locator("[part=phrase] li").allTextContents();
  assert.deepEqual(words, [...Array(11).fill("abandon"), "about"]);
  assert.equal(await cell("quorum-export-wallet", "done").locator("[part=phrase]").count(), 0);
  await shot("01-light.png");
});

/** A full-page screenshot scrolled to the top: the control panel is sticky, so a page scrolled by a
 * focused element would show it halfway down, where no reader sees it. */
async function shot(name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

const shadowStyle = (tag, state, selector, prop) =>
  cell(tag, state).evaluate((el, [sel, p]) => getComputedStyle(el.shadowRoot.querySelector(sel))[p], [selector, prop]);

test("changing a token changes what the shadow roots render", async () => {
  const before = await shadowStyle("quorum-sign-up", "idle", "[part=primary-button]", "backgroundColor");
  assert.equal(before, "rgb(47, 69, 196)"); // the default accent, #2f45c4
  await page.getByRole("textbox", { name: /^Accent \(buttons, links\)/ }).fill("#c2185b");
  assert.equal(await shadowStyle("quorum-sign-up", "idle", "[part=primary-button]", "backgroundColor"), "rgb(194, 24, 91)");
  assert.equal(await shadowStyle("quorum-export-wallet", "done", "[part=primary-button]", "backgroundColor"), "rgb(194, 24, 91)");
  await page.getByRole("slider", { name: /^Corner radius/ }).fill("4");
  assert.equal(await shadowStyle("quorum-approve-transaction", "idle", "[part=root]", "borderTopLeftRadius"), "4px");
  await page.locator('[data-token="--qk-font-family"]').selectOption({ label: "Serif" });
  assert.match(await shadowStyle("quorum-approve-transaction", "idle", "[part=root]", "fontFamily"), /^Charter/);
  await shot("02-tokens.png");

  // "Copy CSS" puts the set tokens, as a stylesheet, on the clipboard and in the text area.
  await page.getByRole("button", { name: "Copy CSS" }).click();
  await page.getByText("Copied 3 tokens as a stylesheet.").waitFor();
  const css = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(css, await page.locator("#css-out").inputValue());
  assert.match(css, /quorum-export-wallet \{[^}]*--qk-color-accent: #c2185b;[^}]*--qk-radius: 4px;/);
  assert.match(css, /--qk-font-family: Charter/);
  assert.match(css, /\/\* --qk-color-bg: #ffffff \(light\); default \*\//);

  await page.getByRole("button", { name: "Reset all" }).click();
  assert.equal(await shadowStyle("quorum-sign-up", "idle", "[part=primary-button]", "backgroundColor"), "rgb(47, 69, 196)");
});

test("dark theme and a language switch (Arabic, right to left) apply to every element", async () => {
  await page.getByLabel("Dark", { exact: true }).check();
  assert.equal(await shadowStyle("quorum-sign-up", "idle", "[part=root]", "backgroundColor"), "rgb(21, 23, 28)");
  await page.getByLabel("Language").selectOption("ar");
  await cell("quorum-sign-up", "idle").getByText("أنشئ محفظتك").waitFor();
  assert.equal(await cell("quorum-approve-transaction", "pending-approval").evaluate((el) => el.shadowRoot.querySelector("[part=root]").getAttribute("dir")), "rtl");
  await shot("03-dark-arabic.png");
  await page.getByLabel("Language").selectOption("de");
  await cell("quorum-sign-up", "idle").getByText("Wallet erstellen").waitFor();
  await page.getByLabel("Preset").selectOption("forest");
  await page.getByLabel("Light", { exact: true }).check();
  await page.getByLabel("Language").selectOption("en");
  assert.equal(await shadowStyle("quorum-sign-up", "idle", "[part=primary-button]", "backgroundColor"), "rgb(31, 111, 74)");
  await shot("04-brand.png");
});

test("axe-core: no WCAG 2.2 AA violation in any state of any element, light and dark, English and Arabic", async () => {
  const axe = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axe);
  // The default tokens (a brand's own tokens are the brand's to check).
  await page.getByRole("button", { name: "Reset all" }).click();
  for (const [theme, lang] of [["light", "en"], ["dark", "en"], ["dark", "ar"], ["light", "ar"]]) {
    await page.getByLabel(theme === "light" ? "Light" : "Dark", { exact: true }).check();
    await page.getByLabel("Language").selectOption(lang);
    await page.waitForTimeout(100);
    const violations = await page.evaluate(async (tags) => {
      const r = await window.axe.run({ include: tags.map((t) => [t]) }, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"] },
      });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    }, Object.keys(STATES));
    assert.deepEqual(violations, [], `${theme}/${lang}`);
    const checked = await page.evaluate((tags) => tags.flatMap((t) => [...document.querySelectorAll(t)]).map((e) => e.getAttribute("state")), Object.keys(STATES));
    for (const s of Object.values(STATES).flat()) assert.ok(checked.includes(s), `state ${s} was on the page`);
  }
  await page.getByLabel("Light", { exact: true }).check();
  await page.getByLabel("Language").selectOption("en");
});

test("the page declares the strict CSP it is written for", () => {
  const html = readFileSync(join(ROOT, "www", "playground", "index.html"), "utf8");
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, "a CSP meta element");
  assert.equal(`${meta[1]}; frame-ancestors 'none'`, CSP);
  assert.doesNotMatch(html, /<style|style=|<script(?![^>]*\ssrc=)/, "no inline style or script");
});

test("the playground raised no page error and no CSP violation", async () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(apiCalls(), [], "the playground never calls the sandbox's Turnkey API");
});
