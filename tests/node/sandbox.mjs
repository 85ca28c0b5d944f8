// Starts the sandbox binary on a free port of 127.0.0.1 with a fresh data directory, for the
// Node tests and scripts. The binary is built with `cargo build -p quorum-sandbox` (a no-op when
// fresh; respects CARGO_TARGET_DIR), or taken from QUORUM_SANDBOX_BIN when set.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** The path of the sandbox binary, built if needed. */
export function sandboxBinary() {
  if (process.env.QUORUM_SANDBOX_BIN) return process.env.QUORUM_SANDBOX_BIN;
  const built = spawnSync("cargo", ["build", "-p", "quorum-sandbox", "--quiet"], { cwd: root, stdio: "inherit" });
  assert.equal(built.status, 0, "cargo build -p quorum-sandbox failed");
  const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
  const bin = join(targetDir, "debug", process.platform === "win32" ? "quorum-sandbox.exe" : "quorum-sandbox");
  assert.ok(existsSync(bin), `no sandbox binary at ${bin}`);
  return bin;
}

/**
 * Starts a sandbox. Resolves to `{baseUrl, info, platformKey, stop}`: `info` is
 * `GET /sandbox/v1/info`, `platformKey` the `{publicKey, privateKey, organizationId}` of
 * `platform-api-key.json`; `stop()` kills it and removes its data directory.
 */
export async function startSandbox() {
  const bin = sandboxBinary();
  const dataDir = mkdtempSync(join(tmpdir(), "quorum-sandbox-node-"));
  const server = spawn(bin, [], {
    env: { ...process.env, PORT: "0", QUORUM_SANDBOX_DATA: dataDir },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () => {
    server.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the sandbox did not start within 60 s")), 60_000);
      server.once("exit", (code) => reject(new Error(`the sandbox exited early (${code})`)));
      createInterface({ input: server.stdout }).on("line", (line) => {
        const m = /http:\/\/localhost:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const info = await (await fetch(`${baseUrl}/sandbox/v1/info`)).json();
    const platformKey = JSON.parse(readFileSync(join(dataDir, "platform-api-key.json"), "utf8"));
    return { baseUrl, info, platformKey, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
