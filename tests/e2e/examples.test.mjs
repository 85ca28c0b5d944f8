// The example apps as a developer would ship them: the React 19 + Vite production build (with
// quorum-kit installed from the packed tarball) and the Leptos CSR app, each served from its own
// origin that forwards the API paths to the sandbox (as an app's own backend would), loaded in
// Chromium with a virtual passkey: sign up, then one transaction co-signed by the platform.
// `make examples` builds both first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { ROOT, startSandbox, launchBrowser, recoverEip1559Signer } from "./helpers.mjs";

const APPS = {
  "react-vite": join(ROOT, "examples", "react-vite", "dist"),
  leptos: join(ROOT, "examples", "leptos", "dist"),
};
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
const API = /^\/(public|platform|sandbox)\//;

/** A static server for `dir` whose API paths go to `upstream()`. */
async function serve(dir, upstream) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (API.test(path)) {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)));
      const r = await fetch(upstream() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" }).end(Buffer.from(await r.arrayBuffer()));
      return;
    }
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

let sandbox;
let browser;
const servers = {};

before(async () => {
  for (const [name, dir] of Object.entries(APPS)) servers[name] = await serve(dir, () => sandbox.baseUrl);
  // The sandbox accepts passkeys made on the apps' origins (its WebAuthn origin allow-list).
  process.env.QUORUM_SANDBOX_ORIGINS = Object.values(servers).map((s) => `http://localhost:${s.address().port}`).join(",");
  sandbox = await startSandbox();
  delete process.env.QUORUM_SANDBOX_ORIGINS;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
  for (const s of Object.values(servers)) s.close();
});

async function walk(name) {
  assert.ok(existsSync(join(APPS[name], "index.html")), `${APPS[name]} is missing: run \`make examples\``);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  try {
    await page.goto(`http://localhost:${servers[name].address().port}/`);
    await page.getByLabel("Your name").fill(`${name} user`);
    await page.getByRole("button", { name: "Create wallet with a passkey" }).click();
    const address = (await page.locator("#address").textContent({ timeout: 30_000 })).trim();
    assert.match(address, /^0x[0-9a-fA-F]{40}$/);
    await page.getByText("0.01 ETH").waitFor();
    await page.getByRole("button", { name: "Approve with passkey" }).click();
    await page.getByText("Transaction signed").waitFor({ timeout: 30_000 });
    const result = await page.locator("#result").textContent();
    const signed = /^signed (?:0x)?([0-9a-f]+)$/.exec(result)?.[1];
    assert.ok(signed, result);
    const unsigned = "02f283aa36a780843b9aca008506fc23ac0082520894000000000000000000000000000000000000dead872386f26fc1000080c0";
    assert.equal(recoverEip1559Signer(signed, unsigned).toLowerCase(), address.toLowerCase());
    // The platform co-signed it: its decision is on record for this user.
    const { users } = await (await fetch(`${sandbox.baseUrl}/platform/users`)).json();
    const user = users.find((u) => u.addresses.includes(address));
    const { decisions } = await (await fetch(`${sandbox.baseUrl}/platform/decisions?subOrganizationId=${user.subOrganizationId}`)).json();
    assert.equal(decisions.filter((d) => d.activityType === "ACTIVITY_TYPE_SIGN_TRANSACTION_V2" && d.decision === "APPROVED").length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

test("the React 19 + Vite example's production build signs up and gets a transaction co-signed", () => walk("react-vite"));
test("the Leptos example signs up and gets a transaction co-signed", () => walk("leptos"));
