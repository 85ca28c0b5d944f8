// `make bench`: speed and size of quorum-kit side by side with Turnkey's JS packages, in one run.
//   1. esbuild bundles of Turnkey's packages (size comparison, and the Chromium bench page);
//   2. sizes: raw, gzip -9, brotli 11;
//   3. Node: bench/node.mjs in a child process (the kit and Turnkey's packages in one process);
//   4. Chromium (playwright-core, /usr/bin/chromium): the same cases in a cross-origin-isolated page,
//      then init()/import time over fresh browser contexts;
//   5. a table on stdout, everything in bench/results.json.
// Options: --quick (about a quarter of the iterations), --no-browser, --only stamp,fingerprint,
//          --out FILE (default bench/results.json), --loads N (page loads per variant, default 15).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { cpus, loadavg, totalmem, platform, arch } from "node:os";
import { dirname, join, resolve, normalize, extname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, brotliCompressSync, constants as zlibConstants } from "node:zlib";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as esbuild from "esbuild";
import { measureEntries, sizeOf } from "../scripts/size.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BENCH = join(ROOT, "bench");
const OUT = join(BENCH, "out");
const PKG = join(ROOT, "pkg");
const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d; };
const QUICK = flag("--quick");
const SCALE = Number(opt("--scale", QUICK ? 0.25 : 1));
const LOADS = Number(opt("--loads", QUICK ? 5 : 15));
const ONLY = opt("--only");
const RESULTS = resolve(ROOT, opt("--out", "bench/results.json"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const log = (s) => process.stderr.write(`${s}\n`);

for (const f of ["quorum_kit.js", "quorum_kit_bg.wasm", "headless/quorum_kit_headless.js", "crypto/quorum_kit_crypto.js"]) {
  if (!existsSync(join(PKG, f))) {
    console.error(`pkg/${f} is missing: run \`make pkg\` (bash scripts/build-pkg.sh) first`);
    process.exit(1);
  }
}
mkdirSync(OUT, { recursive: true });
const started = new Date();
const loadAtStart = loadavg().map((x) => +x.toFixed(2));

// ---------------------------------------------------------------- 1. bundles
/** Forces `sideEffects: false` on every package: the smallest bundle tree-shaking could give. */
const assumeNoSideEffects = {
  name: "assume-no-side-effects",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (a) => {
      if (a.pluginData === "inner" || a.kind === "entry-point") return undefined;
      const r = await build.resolve(a.path, { resolveDir: a.resolveDir, kind: a.kind, importer: a.importer, pluginData: "inner" });
      if (r.errors.length || r.namespace !== "file" || !r.path.startsWith("/") || !/node_modules/.test(r.path)) return undefined;
      return { path: r.path, namespace: r.namespace, sideEffects: false };
    });
  },
};
const EWK = join(BENCH, "ewk");
const sizeBundles = [
  { id: "turnkeyA", entry: "turnkey-a.mjs", label: "Turnkey (a) crypto + api-key-stamper" },
  { id: "turnkeyB", entry: "turnkey-b.mjs", label: "Turnkey (b) = (a) + webauthn-stamper + http" },
  { id: "turnkeyA_noSideEffects", entry: "turnkey-a.mjs", label: "Turnkey (a), sideEffects:false forced", plugin: assumeNoSideEffects },
  { id: "turnkeyB_noSideEffects", entry: "turnkey-b.mjs", label: "Turnkey (b), sideEffects:false forced", plugin: assumeNoSideEffects },
  // Turnkey's Embedded Wallet Kit (bench/ewk, installed by `make bench`): JS + CSS, React included.
  ...(existsSync(join(EWK, "node_modules", "@turnkey", "react-wallet-kit"))
    ? [
        { id: "ewk", entryPath: join(EWK, "entry.jsx"), label: "Turnkey EWK react-wallet-kit 2.4.3 + React 19 (JS + CSS)" },
        { id: "ewk_noSideEffects", entryPath: join(EWK, "entry.jsx"), label: "Turnkey EWK, sideEffects:false forced", plugin: assumeNoSideEffects },
      ]
    : (log("bench/ewk is not installed (make bench installs it): no EWK row"), [])),
];
const common = { bundle: true, format: "esm", platform: "browser", treeShaking: true, logLevel: "warning", define: { "process.env.NODE_ENV": '"production"' } };
log("esbuild: bundling Turnkey's packages for the browser");
for (const b of sizeBundles) {
  const outdir = join(OUT, b.id);
  const r = await esbuild.build({
    ...common, entryPoints: [b.entryPath ?? join(BENCH, "entries", b.entry)], minify: true, metafile: true, outdir,
    jsx: "automatic", loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".svg": "file", ".png": "file" },
    plugins: b.plugin ? [b.plugin] : [],
  });
  // Everything the build emits counts (the EWK's stylesheet too; Turnkey's other bundles are one file).
  b.files = Object.keys(r.metafile.outputs).filter((f) => !f.endsWith(".map")).map((f) => resolve(ROOT, f));
  b.file = b.files.find((f) => f.endsWith(".js"));
  const byPackage = {};
  for (const output of Object.values(r.metafile.outputs)) {
    for (const [p, v] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
      const k = m ? m[1] : relative(ROOT, p);
      byPackage[k] = (byPackage[k] || 0) + v.bytesInOutput;
    }
  }
  b.byPackage = Object.fromEntries(Object.entries(byPackage).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]));
}
await esbuild.build({ ...common, entryPoints: [join(BENCH, "browser", "page.mjs")], minify: false, outfile: join(OUT, "browser-bench.js") });
await esbuild.stop?.();

// ---------------------------------------------------------------- 2. sizes
// Each entry as a browser downloads it (wasm + glue + snippets; scripts/size.mjs, which also holds
// the budgets `make test` checks), its wasm alone, then Turnkey's bundles.
const sizes = [
  ...measureEntries(ROOT).flatMap((e) => [
    { id: e.id, label: `kit ${e.id}: wasm + glue + snippets`, ...e.total, targetGzip: e.targetGzip, budgetGzip: e.budgetGzip },
    { id: `${e.id} wasm`, label: `  of which ${e.files[0].file}`, raw: e.files[0].raw, gzip: e.files[0].gzip, brotli: e.files[0].brotli },
  ]),
  ...sizeBundles.map((b) => {
    const total = b.files.map((f) => sizeOf(readFileSync(f))).reduce((t, x) => ({ raw: t.raw + x.raw, gzip: t.gzip + x.gzip, brotli: t.brotli + x.brotli }));
    return { id: b.id, label: b.label, ...total, byPackage: b.byPackage };
  }),
];

// ---------------------------------------------------------------- 3. Node
function runNode() {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(BENCH, "node.mjs"), "--scale", String(SCALE), ...(ONLY ? ["--only", ONLY] : [])], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("exit", (code) => (code === 0 ? resolveRun(JSON.parse(out.trim().split("\n").pop())) : reject(new Error(`bench/node.mjs exited ${code}`))));
  });
}
log(`node ${process.version}: benchmarks (scale ${SCALE})`);
const nodeRun = await runNode();

// ---------------------------------------------------------------- 4. Chromium
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain" };
const kitLoadPage = (glue) => `<!doctype html><meta charset="utf-8"><script type="module">
const t0 = performance.now();
const { default: init } = await import("${glue}");
const t1 = performance.now();
await init();
const t2 = performance.now();
window.__load = { importMs: t1 - t0, initMs: t2 - t1, totalMs: t2 - t0 };
</script>`;
/** Cold start to first render of each element: the attributes its first (idle) state needs, no network. */
const ELEMENTS = {
  "quorum-sign-up": { "rp-id": "localhost", "signup-url": "/platform/signup" },
  "quorum-approve-transaction": {
    "base-url": "http://localhost:9", "organization-id": "org", "rp-id": "localhost",
    "sign-with": "0x3535353535353535353535353535353535353535",
    // EIP-1559, 0.01 ETH to 0x3535…, chain 1 (tests/tx.rs).
    "unsigned-transaction": "02f86c0107843b9aca008506fc23ac00825208943535353535353535353535353535353535353535872386f26fc1000084a9059cbbf838f7940a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0ae1a00101010101010101010101010101010101010101010101010101010101010101",
  },
  "quorum-export-wallet": { "base-url": "http://localhost:9", "organization-id": "org", "rp-id": "localhost", "wallet-id": "w" },
};
// Times from the navigation's start (performance.now()): the glue imported, init() done, the element
// defined and appended, its \`state\` attribute "idle" (its first screen is in the DOM), then the
// next frame after that (painted).
const renderPage = (tag) => `<!doctype html><meta charset="utf-8"><body><script type="module">
const t0 = performance.now();
const kit = await import("/pkg/quorum_kit.js");
await kit.default();
const t1 = performance.now();
kit.defineQuorumElements();
const el = document.createElement("${tag}");
for (const [k, v] of Object.entries(${JSON.stringify(ELEMENTS[tag])})) el.setAttribute(k, v);
const idle = new Promise((r) => new MutationObserver(() => el.getAttribute("state") === "idle" && r()).observe(el, { attributes: true }));
document.body.append(el);
await idle;
const t2 = performance.now();
if (!el.shadowRoot?.querySelector("[part~=primary-button]")) throw new Error("no primary button");
await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
const t3 = performance.now();
window.__load = { startMs: t0, initMs: t1 - t0, renderMs: t2 - t1, idleMs: t2, paintedMs: t3, totalMs: t3 };
</script>`;
const LOAD_PAGES = {
  "/load-kit.html": kitLoadPage("/pkg/quorum_kit.js"),
  "/load-kitHeadless.html": kitLoadPage("/pkg/headless/quorum_kit_headless.js"),
  "/load-kitCrypto.html": kitLoadPage("/pkg/crypto/quorum_kit_crypto.js"),
  ...Object.fromEntries(Object.keys(ELEMENTS).map((tag) => [`/load-${tag}.html`, renderPage(tag)])),
  ...Object.fromEntries(["turnkeyA", "turnkeyB"].map((id) => [`/load-${id}.html`, `<!doctype html><meta charset="utf-8"><script type="module">
const t0 = performance.now();
const m = await import("/out/${relative(OUT, sizeBundles.find((b) => b.id === id).file)}");
const t1 = performance.now();
if (typeof m.decryptExportBundle !== "function") throw new Error("bundle did not load");
window.__load = { importMs: t1 - t0, initMs: 0, totalMs: t1 - t0 };
</script>`])),
};
function serve() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "no-store",
    };
    if (path === "/" || LOAD_PAGES[path]) {
      res.writeHead(200, { ...headers, "Content-Type": TYPES[".html"] });
      return res.end(path === "/" ? readFileSync(join(BENCH, "browser", "index.html")) : LOAD_PAGES[path]);
    }
    const [base, dir] = path.startsWith("/pkg/") ? ["/pkg/", PKG] : path.startsWith("/out/") ? ["/out/", OUT] : [null, null];
    const file = dir && normalize(join(dir, path.slice(base.length)));
    if (!file || !file.startsWith(dir + "/") || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers);
      return res.end("not found");
    }
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

let browserRun = null;
let loads = null;
let chromiumVersion = null;
if (!flag("--no-browser")) {
  const { chromium } = await import("playwright-core");
  const server = await serve();
  const url = `http://localhost:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  chromiumVersion = browser.version();
  try {
    log(`chromium ${chromiumVersion}: benchmarks at ${url}/`);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("console", (m) => log(m.text()));
    page.on("pageerror", (e) => log(`[chromium] page error: ${e.message}`));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => window.__ready === true, null, { timeout: 60_000 });
    browserRun = await page.evaluate((o) => window.__bench.run(o), { scale: SCALE, only: ONLY?.split(",") });
    await context.close();

    log(`chromium: load and init timing, ${LOADS} fresh contexts per variant`);
    const variants = ["kit", "kitHeadless", "kitCrypto", "turnkeyA", "turnkeyB", ...Object.keys(ELEMENTS)];
    const samples = Object.fromEntries(variants.map((v) => [v, []]));
    for (let i = 0; i < LOADS; i++) {
      for (const v of variants) {
        const ctx = await browser.newContext();
        const p = await ctx.newPage();
        await p.goto(`${url}/load-${v}.html`);
        samples[v].push(await (await p.waitForFunction(() => window.__load, null, { timeout: 30_000 })).jsonValue());
        await ctx.close();
      }
    }
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
    // Every timing a page reports, as median, min and max over the loads.
    loads = Object.fromEntries(variants.map((v) => {
      const keys = Object.keys(samples[v][0] ?? {});
      const stat = {};
      for (const k of keys) {
        const xs = samples[v].map((x) => x[k]);
        stat[`${k}Median`] = median(xs);
        stat[`${k}Min`] = Math.min(...xs);
        stat[`${k}Max`] = Math.max(...xs);
      }
      return [v, { n: samples[v].length, ...stat }];
    }));
  } finally {
    await browser.close();
    server.close();
  }
}

// ---------------------------------------------------------------- 5. report
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const git = (...a) => { try { return execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim(); } catch { return null; } };
const results = {
  recordedAt: started.toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  options: { scale: SCALE, loads: LOADS, only: ONLY ?? null },
  machine: { platform: platform(), arch: arch(), cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)) },
  versions: {
    kitCommit: git("rev-parse", "--short", "HEAD"),
    kitWasmSha256: createHash("sha256").update(readFileSync(join(PKG, "quorum_kit_bg.wasm"))).digest("hex"),
    kitTreeDirty: (git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock") || "") !== "",
    node: process.version,
    chromium: chromiumVersion,
    esbuild: esbuild.version,
    "@turnkey/crypto": pkgVersion("@turnkey/crypto"),
    "@turnkey/api-key-stamper": pkgVersion("@turnkey/api-key-stamper"),
    "@turnkey/webauthn-stamper": pkgVersion("@turnkey/webauthn-stamper"),
    "@turnkey/http": pkgVersion("@turnkey/http"),
  },
  node: nodeRun.cases,
  chromium: browserRun ? { crossOriginIsolated: browserRun.crossOriginIsolated, cases: browserRun.cases, loads } : null,
  sizes,
};
writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");

const fmt = (n, d = 1) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
function speedTable(title, cases) {
  const lines = [title, `${pad("case / implementation", 58)}${lpad("µs/op", 11)}${lpad("ops/s", 10)}${lpad("÷ kit", 8)}  rounds (µs/op)`];
  for (const c of cases) {
    lines.push(`${c.title}`);
    const kit = c.results.find((r) => r.id === "kit");
    for (const r of c.results) {
      if (r.error) { lines.push(`  ${pad(r.name, 56)}  unavailable: ${r.error}`); continue; }
      const ratio = kit && !kit.error ? `${(r.meanUs / kit.meanUs).toFixed(2)}×` : "";
      lines.push(`  ${pad(r.name, 56)}${lpad(fmt(r.meanUs), 11)}${lpad(fmt(r.opsPerSec, 0), 10)}${lpad(ratio, 8)}  ${fmt(r.bestRoundUs)}–${fmt(r.worstRoundUs)}`);
    }
  }
  return lines.join("\n");
}
const out = [];
out.push(`quorum-kit bench, ${results.recordedAt} (${results.machine.cpu}, ${results.machine.cores} cores, load average ${loadAtStart[0]} at start, ${results.machine.loadAverageAtEnd[0]} at end)`);
out.push(`kit ${results.versions.kitCommit}${results.versions.kitTreeDirty ? " (+ uncommitted src changes)" : ""}; @turnkey/crypto ${results.versions["@turnkey/crypto"]}, api-key-stamper ${results.versions["@turnkey/api-key-stamper"]}; scale ${SCALE}`);
out.push("'÷ kit' = this row's time / the first kit row's time (for stamps the kit's wasm RFC 6979 path); above 1: slower than the kit.");
out.push("");
out.push(speedTable(`Node ${process.version}`, nodeRun.cases));
if (browserRun) {
  out.push("");
  out.push(speedTable(`Chromium ${chromiumVersion} (crossOriginIsolated: ${browserRun.crossOriginIsolated})`, browserRun.cases));
  out.push("");
  out.push(`Chromium: ready time, median of ${LOADS} fresh contexts (localhost, no cache)   init() ms   import ms   total ms (min–max)`);
  const names = {
    kit: "kit quorum-kit: import glue, then init() (fetch + compile + instantiate wasm)",
    kitHeadless: "kit quorum-kit/headless: the same",
    kitCrypto: "kit quorum-kit/crypto: the same",
    turnkeyA: "Turnkey (a) bundle: import (fetch + parse + evaluate)",
    turnkeyB: "Turnkey (b) bundle: import (fetch + parse + evaluate)",
  };
  for (const [k, v] of Object.entries(loads)) {
    if (!names[k]) continue;
    out.push(`  ${pad(names[k], 76)}${lpad(k.startsWith("kit") ? fmt(v.initMsMedian, 2) : "–", 10)}${lpad(fmt(v.importMsMedian, 2), 12)}${lpad(fmt(v.totalMsMedian, 2), 11)} (${fmt(v.totalMsMin, 1)}–${fmt(v.totalMsMax, 1)})`);
  }
  out.push("");
  out.push(`Chromium: cold start to first render, median of ${LOADS} fresh contexts; ms since navigation start   import+init   render   idle in DOM   painted (min–max)`);
  for (const tag of Object.keys(ELEMENTS)) {
    const v = loads[tag];
    out.push(`  ${pad(`<${tag}>: define, append, first state "idle"`, 76)}${lpad(fmt(v.initMsMedian, 2), 12)}${lpad(fmt(v.renderMsMedian, 2), 9)}${lpad(fmt(v.idleMsMedian, 2), 14)}${lpad(fmt(v.paintedMsMedian, 2), 10)} (${fmt(v.paintedMsMin, 1)}–${fmt(v.paintedMsMax, 1)})`);
  }
}
out.push("");
out.push(`${pad("Size (bytes)", 58)}${lpad("raw", 11)}${lpad("gzip -9", 11)}${lpad("brotli 11", 11)}`);
for (const s of sizes) out.push(`  ${pad(s.label, 56)}${lpad(s.raw.toLocaleString("en-US"), 11)}${lpad(s.gzip.toLocaleString("en-US"), 11)}${lpad(s.brotli.toLocaleString("en-US"), 11)}`);
for (const s of sizes.filter((x) => x.targetGzip)) {
  out.push(`  ${s.id}: ${s.gzip.toLocaleString("en-US")} B gzip; target ${s.targetGzip.toLocaleString("en-US")} B ${s.gzip <= s.targetGzip ? "met" : "not met"}; budget in make test ${s.budgetGzip.toLocaleString("en-US")} B`);
}
const b = sizes.find((s) => s.id === "turnkeyB");
out.push(`  Turnkey (b) largest inputs (minified bytes): ${Object.entries(b.byPackage).slice(0, 8).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}`);
const ewk = sizes.find((s) => s.id === "ewk");
if (ewk) out.push(`  Turnkey EWK largest inputs (minified bytes): ${Object.entries(ewk.byPackage).slice(0, 8).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}`);
out.push("");
out.push(`written ${relative(ROOT, RESULTS)} in ${results.durationSeconds} s`);
console.log(out.join("\n"));
