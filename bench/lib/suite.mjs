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
 * @param {Record<string, string>} [o.groups] id -> the signature method it signs with, when not
 *   HMAC-SHA1: each contender is compared with the others of its method
 * @param {(req: any) => number} o.baseStringBytes
 * @param {number} o.rounds measured rounds (bench/lib/timing.mjs)
 * @param {number} o.roundMs one contender's batch, in ms
 * @param {number} o.warmupMs each contender's warm-up, in ms
 * @param {(o?: {type: 'minor'}) => void} [o.gc] the engine's gc (bench/lib/timing.mjs says when it runs)
 * @param {(line: string) => void} [o.log]
 * @returns {Promise<{requests: Record<string, any>, mismatches: string[], groups: Record<string, string>, sink: number}>}
 */
export async function runSuite({ fx, contenders, unchecked = new Set(), groups = {}, baseStringBytes, rounds, roundMs, warmupMs, gc, log = () => {} }) {
  // A prepare() may return {skip, sign}: a contender that cannot sign this request right
  // (bench/lib/contenders.mjs, oauth1Request), run once for the record and not timed.
  const prepareAll = async (req) => {
    const entries = [];
    for (const [id, prepare] of Object.entries(contenders)) {
      const group = groups[id] ?? 'HMAC-SHA1';
      try {
        const prepared = await prepare(req);
        if (typeof prepared === 'function') entries.push({ id, sign: prepared, check: !unchecked.has(id), group });
        else entries.push({ id, sign: prepared.sign, skip: prepared.skip, group });
      } catch (e) {
        entries.push({ id, sign: () => { throw e; }, group });
      }
    }
    return entries;
  };

  const requests = {};
  const mismatches = [];
  for (const req of fx.requests) {
    const check = await crossCheck(req, await prepareAll(req));
    mismatches.push(...check.mismatches);
    requests[req.id] = { signatures: check.signatures, references: check.references, skipped: check.skipped, baseStringBytes: baseStringBytes(req) };
  }
  if (mismatches.length) return { requests, mismatches, groups, sink: 0 };

  for (const req of fx.requests) {
    log(`timing ${req.id}`);
    const timed = (await prepareAll(req)).filter((e) => !e.skip);
    requests[req.id].results = await timeSideBySide(timed, { rounds, roundMs, warmupMs, gc });
  }
  return { requests, mismatches, groups, sink: sinkValue() };
}
