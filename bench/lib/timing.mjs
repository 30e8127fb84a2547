// Timing loops, for Node and the browser (only `performance.now()`).
//
// Each contender is warmed up and calibrated so that one round takes about `roundMs`; then the
// rounds are interleaved (round 1 of every contender, round 2 of every contender, ...), so a
// slow phase of the machine hits every contender alike. The figure is the median of the
// rounds' per-call times; the spread is half the min-max range of the rounds, in percent of
// the median.

let sink = 0;

async function runN(sign, isAsync, n) {
  let acc = 0;
  const t0 = performance.now();
  if (isAsync) {
    for (let i = 0; i < n; i++) acc += (await sign()).length;
  } else {
    for (let i = 0; i < n; i++) acc += sign().length;
  }
  const ms = performance.now() - t0;
  sink = (sink + acc) | 0;
  return ms;
}

/** Median, min, max and spread of per-call times in µs. */
export function stats(usPerCall, iterations) {
  const sorted = [...usPerCall].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return {
    median,
    min,
    max,
    spreadPct: median > 0 ? ((max - min) / 2 / median) * 100 : 0,
    rounds: usPerCall,
    iterations,
  };
}

/**
 * Times several contenders on one request, side by side.
 * @param {{id: string, sign: () => string | Promise<string>}[]} entries
 * @param {{rounds?: number, roundMs?: number, gc?: () => void}} [opts]
 * @returns {Promise<Record<string, ReturnType<typeof stats>>>}
 */
export async function timeSideBySide(entries, { rounds = 7, roundMs = 150, gc } = {}) {
  const plan = [];
  for (const { id, sign } of entries) {
    const isAsync = typeof sign()?.then === 'function';
    // Warm up (let the JIT tier up) and calibrate.
    let n = 1;
    let ms = await runN(sign, isAsync, n);
    while (ms < roundMs / 4) {
      n *= 2;
      ms = await runN(sign, isAsync, n);
    }
    n = Math.max(1, Math.round((n * roundMs) / ms));
    await runN(sign, isAsync, n);
    plan.push({ id, sign, isAsync, n, us: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (const p of plan) {
      gc?.();
      const ms = await runN(p.sign, p.isAsync, p.n);
      p.us.push((ms * 1000) / p.n);
    }
  }
  return Object.fromEntries(plan.map((p) => [p.id, stats(p.us, p.n)]));
}

/** Keeps the results of the loops observable (so no engine can drop the calls). */
export function sinkValue() {
  return sink;
}
