// `make demo` as a person runs it: the command the Makefile's demo target runs (scripts/demo.sh,
// after building the package and the sandbox) prints the address and what to try, serves the
// demo page, and stops on a signal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, PKG_DIR, startSandbox, launchBrowser } from "./helpers.mjs";

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

test("make demo runs scripts/demo.sh after building the package and the sandbox", () => {
  const makefile = readFileSync(join(ROOT, "Makefile"), "utf8");
  assert.match(makefile, /^demo: pkg sandbox\n\t@bash scripts\/demo\.sh$/m);
});

test("the demo command prints where to go and what to try, serves the page, and stops", async () => {
  // The sandbox binary is built (a no-op when up to date) the way every e2e test builds it.
  await (await startSandbox()).stop();
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "quorum-demo-"));
  const child = spawn("bash", [join(ROOT, "scripts", "demo.sh")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), QUORUM_SANDBOX_DATA: data, QUORUM_SANDBOX_PKG: PKG_DIR },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c) => { out += c; });
  child.stderr.on("data", (c) => { out += c; });
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  const browser = await launchBrowser();
  try {
    await new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (out.includes("listening on")) { clearInterval(poll); resolve(); }
        else if (child.exitCode !== null || Date.now() - started > 30_000) { clearInterval(poll); reject(new Error(`the demo did not start:\n${out}`)); }
      }, 100);
    });
    assert.ok(out.includes(`quorum-kit demo: http://localhost:${port}\n`), out);
    assert.match(out, /Try first:\n\s+1\. Create a wallet/);
    assert.ok(out.includes(`http://localhost:${port}/playground/`), out);
    const page = await browser.newPage();
    await page.goto(`http://localhost:${port}/`);
    await page.locator("body[data-ready=true]").waitFor({ timeout: 30_000 });
    assert.equal(await page.title(), "quorum-kit demo: a 2-of-2 embedded wallet on the kit's own elements");
    await page.getByRole("button", { name: "Create wallet with a passkey" }).waitFor();
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    rmSync(data, { recursive: true, force: true });
    assert.ok(code === 0 || signal === "SIGTERM", `stopped cleanly (code ${code}, signal ${signal})`);
  }
});
