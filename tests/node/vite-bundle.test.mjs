// The package works in a bundler: Vite builds an app that imports "quorum-kit",
// "quorum-kit/headless" and "quorum-kit/crypto" by name, the three wasm files are emitted as
// assets, and the app runs in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { launchBrowser } from "../e2e/helpers.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

test("a Vite app that imports quorum-kit, quorum-kit/headless and quorum-kit/crypto builds and runs in Chromium", async () => {
  const app = mkdtempSync(join(tmpdir(), "qk-vite-"));
  try {
    cpSync(join(root, "tests/fixtures/vite-app"), app, { recursive: true });
    mkdirSync(join(app, "node_modules"));
    symlinkSync(join(root, "pkg"), join(app, "node_modules", "quorum-kit"), "dir");
    await build({ root: app, logLevel: "error", build: { outDir: "dist", target: "es2022" } });
    const assets = readdirSync(join(app, "dist", "assets"));
    assert.equal(assets.filter((f) => f.endsWith(".wasm")).length, 3, `every entry's wasm is emitted: ${assets}`);

    const server = createServer((req, res) => {
      const path = new URL(req.url, "http://x").pathname;
      const file = normalize(join(app, "dist", path === "/" ? "index.html" : path));
      if (!file.startsWith(join(app, "dist")) || !existsSync(file)) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e));
      await page.goto(`http://localhost:${server.address().port}/`);
      await page.waitForFunction(() => document.getElementById("out").textContent !== "loading", null, { timeout: 30_000 });
      const out = JSON.parse(await page.locator("#out").textContent());
      assert.deepEqual(errors, []);
      assert.match(out.publicKey, /^0[23][0-9a-f]{64}$/);
      assert.equal(out.header, "X-Stamp");
      assert.equal(out.cryptoHeader, "X-Stamp");
      assert.match(out.headlessTarget, /^04[0-9a-f]{128}$/);
      assert.equal(out.headlessClient, "function");
      assert.equal(out.mnemonic, "leaf lady until indicate praise final route toast cake minimum insect unknown");
      assert.equal(out.fingerprint, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
