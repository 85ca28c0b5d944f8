// Shared pieces of the end-to-end suite: the sandbox process, Chromium with a CDP virtual
// authenticator, the harness page, and Ethereum helpers to check signatures independently.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { keccak_256 } from "@noble/hashes/sha3";
import { secp256k1 } from "@noble/curves/secp256k1";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
export const SANDBOX_BIN = join(TARGET, "debug", "quorum-sandbox");
/** The built npm package the sandbox serves at /pkg/ (QUORUM_E2E_PKG overrides, e.g. a debug build). */
export const PKG_DIR = process.env.QUORUM_E2E_PKG ? resolve(process.env.QUORUM_E2E_PKG) : join(ROOT, "pkg");

/**
 * Starts the sandbox: on a free port (or `port`) with a fresh data directory (or `dataDir`, which
 * is then kept); `env` adds variables.
 */
export async function startSandbox({ env = {}, port: fixedPort = 0, dataDir: keptDir } = {}) {
  // Build (a no-op when up to date) so a stale binary never answers for new sources.
  if (!process.env.QUORUM_E2E_NO_BUILD || !existsSync(SANDBOX_BIN)) {
    const r = spawnSync("cargo", ["build", "-q", "-p", "quorum-sandbox"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error("cargo build -p quorum-sandbox failed");
  }
  for (const glue of ["quorum_kit.js", "headless/quorum_kit_headless.js"]) {
    if (!existsSync(join(PKG_DIR, glue))) {
      throw new Error(`${PKG_DIR}/${glue} is missing: run \`make pkg\` (scripts/build-pkg.sh) first`);
    }
  }
  const dataDir = keptDir ?? mkdtempSync(join(tmpdir(), "quorum-e2e-"));
  const child = spawn(SANDBOX_BIN, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(fixedPort),
      QUORUM_SANDBOX_DATA: dataDir,
      QUORUM_SANDBOX_PKG: PKG_DIR,
      QUORUM_SANDBOX_WWW: join(ROOT, "www"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${log}`)), 30_000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on http:\/\/localhost:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => { log += c; });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`sandbox exited ${code}:\n${log}`)); });
  });
  child.stderr.on("data", (c) => { if (process.env.E2E_VERBOSE) process.stderr.write(c); });
  const baseUrl = `http://localhost:${port}`;
  const info = await (await fetch(`${baseUrl}/sandbox/v1/info`)).json();
  // Admin routes need the token the sandbox serves same-origin (README: admin token).
  const { token: adminToken } = await (await fetch(`${baseUrl}/platform/admin/token`)).json();
  return {
    baseUrl,
    port,
    info,
    dataDir,
    /** kill -9: no graceful shutdown, the data directory stays. */
    async kill9() {
      child.removeAllListeners("exit");
      child.kill("SIGKILL");
      await new Promise((r) => { if (child.exitCode !== null || child.signalCode) r(); else child.once("exit", r); });
    },
    adminToken,
    async post(path, body) {
      const admin = path.startsWith("/platform/admin/") || path.startsWith("/sandbox/v1/faults");
      const r = await fetch(baseUrl + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...(admin ? { "x-platform-admin-token": adminToken } : {}) },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${path} → ${r.status} ${text}`);
      return JSON.parse(text);
    },
    async stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.once("exit", r); setTimeout(r, 5_000); });
      if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium, as the brief for this machine prescribes. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

const SHIMS = {
  "/e2e-shims/cross-fetch.mjs":
    "export const fetch = (...a) => globalThis.fetch(...a); export default fetch;",
  "/e2e-shims/api-key-stamper.mjs":
    "export function signWithApiKey() { throw new Error('not used by the WebAuthn path'); }",
  "/e2e-shims/encoding.mjs":
    "export function stringToBase64urlString() { throw new Error('not used by the WebAuthn path'); }",
};

/** The harness page's query for each entry it can load (www/e2e/harness.js). */
const HARNESS_QUERY = { "quorum-kit": "", "quorum-kit/headless": "?entry=headless" };

/**
 * A page on the harness with a virtual passkey authenticator, loading `entry`'s glue as
 * `window.qk`; counts WebAuthn ceremonies in `window.__ceremonies` and serves `/node_modules/…`
 * (for `@turnkey/http`) from the repository.
 */

export async function openHarness(browser, sandbox, { context: existing, entry = "quorum-kit" } = {}) {
  if (!(entry in HARNESS_QUERY)) throw new Error(`the harness cannot load ${entry}`);
  const context = existing ?? (await browser.newContext());
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.addInitScript(() => {
    window.__ceremonies = { create: 0, get: 0 };
    const c = navigator.credentials;
    const create = c.create.bind(c);
    const get = c.get.bind(c);
    c.create = (o) => { window.__ceremonies.create++; return create(o); };
    c.get = (o) => { window.__ceremonies.get++; return get(o); };
  });
  await page.route(/\/(node_modules|e2e-shims)\//, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (SHIMS[path]) {
      return route.fulfill({ contentType: "text/javascript", body: SHIMS[path] });
    }
    const file = normalize(join(ROOT, decodeURIComponent(path)));
    if (!file.startsWith(join(ROOT, "node_modules")) || !existsSync(file)) {
      return route.fulfill({ status: 404, body: "not found" });
    }
    return route.fulfill({ contentType: "text/javascript", body: readFileSync(file) });
  });
  // The sandbox serves pages under a strict CSP (no inline scripts); the harness's inline import
  // map is admitted by its hash, everything else keeps the sandbox's policy.
  await page.route(/\/e2e\/harness\.html(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    const csp = headers["content-security-policy"];
    if (!csp || !csp.includes("script-src 'self' 'wasm-unsafe-eval'")) throw new Error(`unexpected CSP: ${csp}`);
    const body = await response.text();
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(body)[1];
    const hash = createHash("sha256").update(map).digest("base64");
    headers["content-security-policy"] = csp.replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`);
    return route.fulfill({ response, headers, body });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${sandbox.baseUrl}/e2e/harness.html${HARNESS_QUERY[entry]}`);
  await page.waitForFunction(() => window.qkReady === true, null, { timeout: 30_000 });
  return {
    page,
    context,
    cdp,
    authenticatorId,
    errors,
    ceremonies: () => page.evaluate(() => ({ ...window.__ceremonies })),
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    close: () => page.close(),
  };
}

/** Registers a passkey in the page and signs up through the platform backend. */
export function signUp(h, userName) {
  return h.page.evaluate(async (userName) => {
    const reg = await window.qk.registerPasskey({ rpName: "quorum-kit e2e", rpId: "localhost", userName });
    const r = await fetch("/platform/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        userName,
        authenticatorName: reg.authenticatorName,
        challenge: reg.challenge,
        attestation: reg.attestation,
      }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`signup ${r.status}: ${text}`);
    return { registration: reg, user: JSON.parse(text) };
  }, userName);
}

// ---- Ethereum, checked independently of the kit and the sandbox -------------------------------

const hex = (b) => Buffer.from(b).toString("hex");
const fromHex = (h) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ""), "hex"));
const concat = (parts) => Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(p))));

function intBytes(n) {
  n = BigInt(n);
  if (n === 0n) return new Uint8Array();
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  return fromHex(h);
}

function rlpLength(len, offset) {
  if (len < 56) return Uint8Array.of(offset + len);
  const l = intBytes(len);
  return concat([Uint8Array.of(offset + 55 + l.length), l]);
}

export function rlpEncode(x) {
  if (Array.isArray(x)) {
    const payload = concat(x.map(rlpEncode));
    return concat([rlpLength(payload.length, 0xc0), payload]);
  }
  if (x.length === 1 && x[0] < 0x80) return x;
  return concat([rlpLength(x.length, 0x80), x]);
}

function rlpDecodeItem(buf, pos) {
  const b = buf[pos];
  const read = (lenOfLen, at) => Number(BigInt("0x" + (hex(buf.subarray(at, at + lenOfLen)) || "0")));
  if (b < 0x80) return { item: buf.subarray(pos, pos + 1), end: pos + 1 };
  if (b < 0xb8) return { item: buf.subarray(pos + 1, pos + 1 + b - 0x80), end: pos + 1 + b - 0x80 };
  if (b < 0xc0) {
    const ll = b - 0xb7, len = read(ll, pos + 1), start = pos + 1 + ll;
    return { item: buf.subarray(start, start + len), end: start + len };
  }
  let start, len;
  if (b < 0xf8) { start = pos + 1; len = b - 0xc0; } else { const ll = b - 0xf7; len = read(ll, pos + 1); start = pos + 1 + ll; }
  const items = [];
  let p = start;
  while (p < start + len) { const d = rlpDecodeItem(buf, p); items.push(d.item); p = d.end; }
  return { item: items, end: start + len };
}

/** An unsigned EIP-1559 transaction (chain 1) as hex, as the platform's co-signer reads it. */
export function unsignedEip1559({ to, valueWei, nonce = 0 }) {
  const fields = [intBytes(1), intBytes(nonce), intBytes(1_000_000_000), intBytes(30_000_000_000), intBytes(21_000), fromHex(to), intBytes(valueWei), new Uint8Array(), []];
  return hex(concat([Uint8Array.of(2), rlpEncode(fields)]));
}

/** The address that signed a signed EIP-1559 transaction whose unsigned form is `unsignedHex`. */
export function recoverEip1559Signer(signedHex, unsignedHex) {
  const signed = fromHex(signedHex);
  if (signed[0] !== 2) throw new Error("not an EIP-1559 transaction");
  const fields = rlpDecodeItem(signed, 1).item;
  if (fields.length !== 12) throw new Error(`expected 12 fields, got ${fields.length}`);
  const unsignedFields = rlpDecodeItem(fromHex(unsignedHex), 1).item;
  for (let i = 0; i < 8; i++) {
    if (hex(fields[i]) !== hex(unsignedFields[i])) throw new Error(`field ${i} differs from the unsigned transaction`);
  }
  const v = fields[9].length ? fields[9][0] : 0;
  const r = BigInt("0x" + (hex(fields[10]) || "0"));
  const s = BigInt("0x" + (hex(fields[11]) || "0"));
  const digest = keccak_256(fromHex(unsignedHex));
  const pub = new secp256k1.Signature(r, s).addRecoveryBit(v).recoverPublicKey(digest).toRawBytes(false);
  return "0x" + hex(keccak_256(pub.subarray(1)).subarray(12));
}
