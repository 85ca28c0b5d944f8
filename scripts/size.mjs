// Size of the npm package as a browser downloads it: gzip -9 of the wasm and the JS glue.
// `--check` fails when over the budget (deterministic: same build, same bytes).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

// Measured 217 KiB (wasm 206 KiB + JS 11 KiB) with the browser layer; the budget stops regressions.
const BUDGET_GZIP_BYTES = 230 * 1024;
const files = ["pkg/quorum_kit_bg.wasm", "pkg/quorum_kit.js"];
const rows = files.map((f) => {
  const raw = readFileSync(f);
  return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
});
const total = rows.reduce((n, r) => n + r.gzip, 0);
for (const r of rows) console.log(`${r.file}: ${r.raw} B raw, ${r.gzip} B gzip`);
console.log(`total gzip: ${total} B (budget ${BUDGET_GZIP_BYTES} B)`);
if (process.argv.includes("--check") && total > BUDGET_GZIP_BYTES) {
  console.error(`size budget exceeded by ${total - BUDGET_GZIP_BYTES} B`);
  process.exit(1);
}
