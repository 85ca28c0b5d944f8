// Timing harness shared by the Node and the browser runs (no Node or DOM APIs here).
// Each case's implementations are timed in interleaved rounds (kit, Turnkey, kit, Turnkey, …)
// so that drift (thermal, GC, a neighbour process) spreads over all of them alike. A round is
// timed as a whole batch, so Chromium's coarse `performance.now()` does not matter either.

/** Keeps results alive so that no engine can drop a call whose result is unused. */
let sink = 0;
const consume = (v) => {
  if (typeof v === "string") sink = (sink + v.length) | 0;
  else if (v && typeof v.length === "number") sink = (sink + v.length) | 0;
  else if (v && typeof v === "object") sink = (sink + 1) | 0;
};
export const sinkValue = () => sink;

async function batch(fn, isAsync, start, n) {
  const t0 = performance.now();
  if (isAsync) for (let i = start; i < start + n; i++) consume(await fn(i));
  else for (let i = start; i < start + n; i++) consume(fn(i));
  return performance.now() - t0;
}

/**
 * Runs one case: `setup()` of every implementation (untimed), its `check` (untimed), warm-up,
 * then `rounds` interleaved batches. Returns per implementation the mean µs/op over all rounds,
 * ops/s, and the fastest and slowest round (µs/op) as a spread indicator.
 */
export async function runCase(c, { scale = 1, rounds = 5, log = () => {} } = {}) {
  const impls = [];
  for (const impl of c.impls) {
    let fn;
    try {
      fn = await impl.setup();
    } catch (e) {
      impls.push({ impl, error: `${e && e.name}: ${e && e.message}` });
      log(`  ${impl.name}: unavailable (${e && e.message})`);
      continue;
    }
    impls.push({ impl, fn });
  }
  if (c.check) await c.check(Object.fromEntries(impls.filter((x) => x.fn).map((x) => [x.impl.id, x.fn])));
  const perRound = Math.max(1, Math.ceil((c.iters * scale) / rounds));
  const warmup = Math.max(1, Math.ceil(c.warmup * Math.min(1, scale * 2)));
  for (const x of impls) if (x.fn) await batch(x.fn, x.impl.async, 0, warmup);
  for (const x of impls) x.times = [];
  let offset = warmup;
  for (let r = 0; r < rounds; r++) {
    for (const x of impls) if (x.fn) x.times.push(await batch(x.fn, x.impl.async, offset, perRound));
    offset += perRound;
  }
  const out = [];
  for (const x of impls) {
    const row = { id: x.impl.id, lib: x.impl.lib, name: x.impl.name };
    if (x.error) {
      row.error = x.error;
    } else {
      const total = x.times.reduce((a, b) => a + b, 0);
      const n = perRound * rounds;
      row.iterations = n;
      row.meanUs = (total / n) * 1000;
      row.opsPerSec = n / (total / 1000);
      row.bestRoundUs = (Math.min(...x.times) / perRound) * 1000;
      row.worstRoundUs = (Math.max(...x.times) / perRound) * 1000;
    }
    out.push(row);
    if (!x.error) log(`  ${row.name}: ${row.meanUs.toFixed(1)} µs/op`);
  }
  return { id: c.id, title: c.title, note: c.note, warmup, rounds, results: out };
}

export async function runAll(cases, opts = {}) {
  const only = opts.only ? new Set(opts.only) : null;
  const out = [];
  for (const c of cases) {
    if (only && !only.has(c.id)) continue;
    (opts.log || (() => {}))(`${c.title}`);
    out.push(await runCase(c, opts));
  }
  return out;
}
