// Timing loops, for Node and the browser (only `performance.now()`), and the statistics of
// their rounds.
//
// The contenders of one request are timed together, interleaved round by round: round 1 runs
// one batch of every contender (A B C ...), round 2 one batch of every contender again, and so
// on, for many short rounds. Each contender's batch size is pinned after a warm-up so that one
// batch takes about `roundMs` for every contender: a round is a few milliseconds of each, back
// to back, so a slow moment of the machine (another process, steal time) lands on a round, and
// hits the contenders of that round alike. Batches of the same length are equally likely to
// be interrupted, so the interruptions push a per-round ratio up as often as down. The order
// within a round rotates (round r starts with contender r mod k), so no contender always runs
// first, or always after the same neighbour.
//
// A ratio between two contenders is computed per round (A's time per call in round r ÷ B's in
// round r), and reported as the median of those per-round ratios with their interquartile
// range (`ratioStats`): a round that a pause has hit moves one ratio, not the median. A time
// per call is the median of the rounds, with half the interquartile range as its spread.
//
// Garbage collection: one full GC before a request's warm-up, then only a minor GC before
// each batch. Not a full GC per round: after a forced full GC, V8 runs allocation-heavy code
// slowly for the next 50-100 ms (oauth-1.0a + crypto-js, listing: 36-45 µs a call in steady
// state, 60-250 µs in the windows right after `gc()`), which the old 150 ms rounds, each
// after a full GC, counted against such contenders (crypto-js ÷ this package read 9-14x
// where the steady state is ~7x).

let sink = 0;

async function runN(sign, isAsync, n, gc) {
  // A minor GC first (when the engine exposes gc), so that each batch starts with an empty
  // young generation and pays only for the scavenges its own garbage triggers, not for those
  // the garbage of the contender before it would trigger.
  gc?.({ type: 'minor' });
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

/** The q-quantile of sorted numbers (linear interpolation between closest ranks). */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, quartiles and range of numbers. */
export function summarize(xs) {
  const sorted = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

/**
 * The per-call times of a contender's rounds (µs): their median, quartiles and range, and the
 * spread, half the interquartile range in percent of the median.
 */
export function stats(usPerCall, iterations) {
  const s = summarize(usPerCall);
  return {
    ...s,
    spreadPct: s.median > 0 ? ((s.q3 - s.q1) / 2 / s.median) * 100 : 0,
    rounds: usPerCall,
    iterations,
  };
}

/**
 * The ratio of two contenders timed in the same rounds: per round, `a`'s time per call ÷ `b`'s;
 * then the median of those ratios, their quartiles and their range. `perRound` is false (and
 * the figure the ratio of the two medians) when the two were not timed in the same rounds
 * (`paired: false`, or rounds of different counts).
 * @param {{median: number, rounds?: number[]}} a
 * @param {{median: number, rounds?: number[]}} b
 */
export function ratioStats(a, b, { paired = true } = {}) {
  if (!a || !b) return null;
  const ra = a.rounds;
  const rb = b.rounds;
  if (paired && Array.isArray(ra) && Array.isArray(rb) && ra.length === rb.length && ra.length > 0) {
    return { ...summarize(ra.map((x, i) => x / rb[i])), perRound: true };
  }
  const m = a.median / b.median;
  return { median: m, q1: m, q3: m, min: m, max: m, n: 1, perRound: false };
}

/**
 * Times several contenders on one request, interleaved round by round.
 * @param {{id: string, sign: () => string | Promise<string>}[]} entries
 * @param {{rounds?: number, roundMs?: number, warmupMs?: number, gc?: (o?: {type: 'minor'}) => void}} [opts]
 *   `rounds` measured rounds; `roundMs` the time of one contender's batch; `warmupMs` how long
 *   each contender runs (interleaved too) before its batch size is pinned; `gc` the engine's
 *   `gc` when it exposes one (`--expose-gc`): a full GC before the warm-up, a minor GC
 *   before each batch.
 * @returns {Promise<Record<string, ReturnType<typeof stats>>>}
 */
export async function timeSideBySide(entries, { rounds = 201, roundMs = 2, warmupMs = 300, gc } = {}) {
  gc?.();
  const plan = [];
  for (const { id, sign } of entries) {
    const isAsync = typeof sign()?.then === 'function';
    // A first batch size: double until one batch takes a round.
    let n = 1;
    let ms = await runN(sign, isAsync, n);
    while (ms < roundMs) {
      n *= 2;
      ms = await runN(sign, isAsync, n);
    }
    plan.push({ id, sign, isAsync, n: Math.max(1, Math.round((n * roundMs) / ms)), us: [] });
  }
  // Warm-up, interleaved like the measured rounds (the JIT tiers up, the caches settle), in
  // two halves; after each, every batch size is pinned so that each contender's batch takes
  // about roundMs: from the 10th percentile of the half's per-call times, since a busy machine
  // only ever adds time. Batches that take the same time when nothing interrupts them are
  // equally likely to be interrupted, which keeps the per-round ratios unbiased.
  const halfRounds = Math.max(4, Math.ceil(warmupMs / roundMs / 2));
  for (let half = 0; half < 2; half++) {
    const warm = plan.map(() => []);
    for (let r = 0; r < halfRounds; r++) {
      for (let j = 0; j < plan.length; j++) {
        const k = (r + j) % plan.length;
        const p = plan[k];
        warm[k].push((await runN(p.sign, p.isAsync, p.n, gc)) / p.n);
      }
    }
    plan.forEach((p, k) => {
      const perCall = quantile(warm[k].sort((a, b) => a - b), 0.1);
      p.n = Math.max(1, Math.round(roundMs / Math.max(perCall, 1e-6)));
    });
  }
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < plan.length; j++) {
      const p = plan[(r + j) % plan.length];
      const ms = await runN(p.sign, p.isAsync, p.n, gc);
      p.us.push((ms * 1000) / p.n);
    }
  }
  return Object.fromEntries(plan.map((p) => [p.id, stats(p.us, p.n)]));
}

/** Keeps the results of the loops observable (so no engine can drop the calls). */
export function sinkValue() {
  return sink;
}
