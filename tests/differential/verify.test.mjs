// The verifier's differential test (issue 23): the same stream of requests, valid and mutated
// one way each, sent to the local server (devserver/, its own verifier over oauth-sign: the
// referee) over HTTP and to the package's `verifyRequest` (pkg/verify-node.js) in this process;
// both must give the same verdict and the same oauth_problem (and the same parameters absent or
// rejected, acceptable timestamps and versions, realm), and the verdict the mutation means.
// Where the two differ by design (verify-stream.mjs DIFFERENCES) each side is held to its own
// documented verdict. See verify-stream.mjs for the stream.
//
// VERIFY_DIFFERENTIAL_COUNT (default 600) and VERIFY_DIFFERENTIAL_SEED (default DEFAULT_SEED)
// change the run; a failure prints its seed, index and the command that replays the stream up to
// it. Measured 2026-12-08 on the 2-core machine: the whole file 3.2 s wall, 1.5 s of CPU (the
// rest is the edge-of-window cases waiting to start early in a second).
//
// The findings (verify-stream.mjs FINDINGS: disagreements not explained by design, reported to
// the lead) are TODO tests: shown with their cases, not failing the run until they are decided.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SEED, DIFFERENCES, FINDINGS, MUTATION_NAMES, generateCase, mirror, report, runCase, startReferee } from './verify-stream.mjs';

const COUNT = Number(process.env.VERIFY_DIFFERENTIAL_COUNT ?? 600);
const SEED = Number(process.env.VERIFY_DIFFERENTIAL_SEED ?? DEFAULT_SEED);

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Waits, when the clock is late in its second, for the next one to begin. */
async function earlyInASecond() {
  const ms = Date.now() % 1000;
  if (ms > 400) await new Promise((done) => setTimeout(done, 1010 - ms));
}

let referee;
let results;
const stats = { cases: 0, accepted: 0, refused: new Map(), differences: new Map(), mutations: new Map(), ticked: 0 };
const failures = [];
/** @type {Map<string, string[]>} finding -> the reports of its cases that disagreed */
const findings = new Map(Object.keys(FINDINGS).map((f) => [f, []]));

before(async () => {
  const pkg = await import('../../pkg/node.js');
  const { verifyRequest } = await import('../../pkg/verify-node.js');
  referee = await startReferee(pkg);
  const ctx = { pkg, verifyRequest, users: referee.users, host: referee.host, port: referee.port, mirror: mirror(referee.tokens), accepted: [], now: 0, edge: false };
  results = [];
  for (let i = 0; i < COUNT; i++) {
    ctx.now = nowSeconds();
    let c = generateCase(SEED, i, ctx);
    if (c.needsEdge) {
      await earlyInASecond();
      ctx.now = nowSeconds();
      ctx.edge = true;
      c = generateCase(SEED, i, ctx);
      ctx.edge = false;
    }
    const r = await runCase(c, ctx);
    if (r.ticked) {
      stats.ticked += 1;
      continue;
    }
    stats.cases += 1;
    stats.mutations.set(r.mutation, (stats.mutations.get(r.mutation) ?? 0) + 1);
    if (r.problems.length) {
      (r.finding ? findings.get(r.finding) : failures).push(report(SEED, r));
      continue;
    }
    if (r.difference) stats.differences.set(r.difference, (stats.differences.get(r.difference) ?? 0) + 1);
    else if (r.verdicts.package === 'accepted') stats.accepted += 1;
    else stats.refused.set(r.verdicts.package, (stats.refused.get(r.verdicts.package) ?? 0) + 1);
    if (r.mutation === 'valid' && r.problems.length === 0) {
      ctx.accepted.push(r);
      if (ctx.accepted.length > 64) ctx.accepted.shift();
    }
  }
});

after(() => referee?.server.close());

test(`${COUNT} requests, valid and mutated one way each: the devserver and verifyRequest give the same verdict and oauth_problem`, (t) => {
  const refused = [...stats.refused].sort().map(([k, v]) => `${k} ${v}`).join(', ');
  const differences = [...stats.differences].sort().map(([k, v]) => `${k} ${v}`).join(', ');
  const found = [...findings].filter(([, v]) => v.length).map(([k, v]) => `${k} ${v.length}`).join(', ') || 'none';
  t.diagnostic(`seed ${SEED}: ${stats.cases} cases, ${stats.accepted} accepted by both, refused by both: ${refused}; documented differences: ${differences}; findings (TODO tests below): ${found}; ${failures.length} failed${stats.ticked ? `, ${stats.ticked} edge cases not compared (the clock ticked)` : ''}`);
  assert.equal(failures.length, 0, `${failures.length} case(s) failed:\n\n${failures.slice(0, 20).join('\n\n')}\n`);
  assert.equal(stats.cases + stats.ticked, COUNT);
  assert.ok(stats.ticked <= 10, `${stats.ticked} edge-of-window cases were not compared (the clock ticked while they were sent)`);
  assert.ok(stats.accepted >= COUNT * 0.2, `only ${stats.accepted} of ${COUNT} cases were accepted by both`);
});

test('every mutation and every documented difference was sent', () => {
  const missing = MUTATION_NAMES.filter((m) => !(stats.mutations.get(m) > 0));
  assert.deepEqual(missing, [], 'mutations never sent');
  const unseen = Object.keys(DIFFERENCES).filter((d) => !(stats.differences.get(d) > 0));
  assert.deepEqual(unseen, [], 'documented differences never sent');
  for (const word of ['parameter_absent', 'parameter_rejected', 'version_rejected', 'signature_method_rejected', 'consumer_key_unknown', 'token_rejected', 'timestamp_refused', 'nonce_used', 'signature_invalid']) {
    assert.ok(stats.refused.get(word) > 0, `no request was refused with ${word} by both`);
  }
});

// The findings: each compared like any case, reported as a TODO until the verifier is fixed or
// the difference is documented (verify-stream.mjs FINDINGS).
for (const [name, why] of Object.entries(FINDINGS)) {
  test(`finding: ${name}`, { todo: why }, () => {
    const cases = findings.get(name);
    assert.equal(cases.length, 0, `${cases.length} case(s) disagree:\n\n${cases.slice(0, 5).join('\n\n')}\n`);
  });
}
