// The suite run in Node (bench/node.mjs) and in the page (bench/page/bench.mjs): prove that
// every contender signs every request the same, then time them side by side per request,
// interleaved round by round (bench/lib/timing.mjs).
import { crossCheck } from './contenders.mjs';
import { timeSideBySide, sinkValue } from './timing.mjs';

/**
 * @param {object} o
 * @param {any} o.fx the fixture (bench/requests.json)
 * @param {Record<string, (req: any) => any>} o.contenders id -> prepare(request)
 * @param {Set<string>} [o.unchecked] ids whose signature is random (own nonce): run, not compared
 * @param {(req: any) => number} o.baseStringBytes
 * @param {number} o.rounds measured rounds (bench/lib/timing.mjs)
 * @param {number} o.roundMs one contender's batch, in ms
 * @param {number} o.warmupMs each contender's warm-up, in ms
 * @param {(o?: {type: 'minor'}) => void} [o.gc] the engine's gc (bench/lib/timing.mjs says when it runs)
 * @param {(line: string) => void} [o.log]
 * @returns {Promise<{requests: Record<string, any>, mismatches: string[], sink: number}>}
 */
export async function runSuite({ fx, contenders, unchecked = new Set(), baseStringBytes, rounds, roundMs, warmupMs, gc, log = () => {} }) {
  const prepareAll = async (req) => {
    const entries = [];
    for (const [id, prepare] of Object.entries(contenders)) {
      try {
        entries.push({ id, sign: await prepare(req), check: !unchecked.has(id) });
      } catch (e) {
        entries.push({ id, sign: () => { throw e; } });
      }
    }
    return entries;
  };

  const requests = {};
  const mismatches = [];
  for (const req of fx.requests) {
    const check = await crossCheck(req, await prepareAll(req));
    mismatches.push(...check.mismatches);
    requests[req.id] = { signatures: check.signatures, baseStringBytes: baseStringBytes(req) };
  }
  if (mismatches.length) return { requests, mismatches, sink: 0 };

  for (const req of fx.requests) {
    log(`timing ${req.id}`);
    requests[req.id].results = await timeSideBySide(await prepareAll(req), { rounds, roundMs, warmupMs, gc });
  }
  return { requests, mismatches, sink: sinkValue() };
}
