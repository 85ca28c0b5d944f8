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
import { createServer } from "node:http";

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
 * Starts a sandbox. Resolves to `{baseUrl, info, platformKey, adminToken, dataDir, stop}`: `info` is
 * `GET /sandbox/v1/info`, `platformKey` the `{publicKey, privateKey, organizationId}` of
 * `platform-api-key.json`, `adminToken` the `X-Platform-Admin-Token` admin routes require;
 * `stop()` kills it and removes its data directory.
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
    // Admin routes (`/platform/admin/*` writes, `/sandbox/v1/faults`) need this token.
    const { token: adminToken } = await (await fetch(`${baseUrl}/platform/admin/token`)).json();
    return { baseUrl, info, platformKey, adminToken, dataDir, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/**
 * A proxy in front of `target` that records every response under Turnkey's paths
 * (`/public/…`, `/tkhq/…`) as `{path, status, body}` in `recorded`, so a test can validate all
 * that Turnkey's unchanged clients received. Resolves to `{url, recorded, close}`.
 */
export async function recordingProxy(target) {
  const recorded = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)),
    );
    const upstream = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: ["GET", "HEAD"].includes(req.method) ? undefined : Buffer.concat(chunks),
    });
    const text = await upstream.text();
    const path = new URL(req.url, "http://x").pathname;
    if (path.startsWith("/public/") || path.startsWith("/tkhq/")) {
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      recorded.push({ path, status: upstream.status, body });
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(text);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, recorded, close: () => server.close() };
}

/**
 * The recorded responses under the spec's paths that do not match the spec's schema for their
 * path and status, as messages; error bodies must also carry Turnkey's `{code, message, details}`.
 * `validate` is from scripts/turnkey-spec.mjs `responseValidator`.
 */
export function invalidResponses(recorded, spec, validate) {
  const failures = [];
  for (const { path, status, body } of recorded.filter((r) => spec.paths[r.path])) {
    const { schema, errors } = validate(path, status, body);
    if (status !== 200) {
      if (!Number.isInteger(body?.code)) errors.push("/ code must be an integer");
      if (typeof body?.message !== "string") errors.push("/ message must be a string");
      if (!Array.isArray(body?.details)) errors.push("/ details must be an array");
    }
    if (errors.length) failures.push(`${path} ${status} (${schema}): ${errors.join("; ")}`);
  }
  return failures;
}
