// Verifications per second beside signatures per second (issue 23): for each request of
// bench/requests.json, this package's signature (`signer.signRequest`, as in the speed tables)
// and the verify entry's `verifyRequest` of that signed request as a server receives it (its
// lookups answered at once from memory, so the figure is the package's own cost), timed
// side by side in interleaved rounds (bench/lib/timing.mjs). Every verification is checked to
// accept before timing. Prints one JSON line.
//
//   node --expose-gc bench/verify.mjs --pkg pkg [--rounds 201] [--round-ms 2] [--warmup-ms 300]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { timeSideBySide } from './lib/timing.mjs';
import { ours } from './lib/contenders.mjs';

const { values: args } = parseArgs({
  options: {
    pkg: { type: 'string', default: 'pkg' },
    rounds: { type: 'string', default: '201' },
    'round-ms': { type: 'string', default: '2' },
    'warmup-ms': { type: 'string', default: '300' },
  },
});
const fx = JSON.parse(readFileSync(resolve(import.meta.dirname, 'requests.json'), 'utf8'));
const pkg = await import(pathToFileURL(resolve(args.pkg, 'node.js')).href);
const { verifyRequest } = await import(pathToFileURL(resolve(args.pkg, 'verify-node.js')).href);

const threeLegged = (req) => req.signer !== 'new-user';
const out = {};
for (const req of fx.requests) {
  const sign = ours(pkg, fx)(req);
  // The request as a server receives it: the signed URL, headers and body.
  const creds = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
  const signer = threeLegged(req)
    ? new pkg.Signer({ ...creds, token: fx.token.key, tokenSecret: fx.token.secret })
    : pkg.Signer.forNewUser(creds);
  const request = { method: req.method, url: req.url, nonce: fx.nonce, timestamp: fx.timestamp };
  if (req.query.length) request.query = Object.fromEntries(req.query);
  if (req.form.length) request.body = new URLSearchParams(req.form);
  const s = signer.signRequest(request);
  const received = { method: s.method, url: s.url, headers: s.headers, body: s.body };
  const options = {
    consumer: (key) => (key === fx.consumer.key ? { secret: fx.consumer.secret, requireToken: threeLegged(req) } : null),
    token: (key, token) => (token === fx.token.key ? { secret: fx.token.secret } : null),
    nonce: () => true,
    now: fx.timestamp,
  };
  const check = await verifyRequest(received, options);
  if (!check.ok) throw new Error(`${req.id}: the verifier refused the package's own signature: ${JSON.stringify(check)}`);
  const verify = async () => (await verifyRequest(received, options)).signatureMethod;
  const timed = await timeSideBySide([{ id: 'sign', sign }, { id: 'verify', sign: verify }], {
    rounds: Number(args.rounds),
    roundMs: Number(args['round-ms']),
    warmupMs: Number(args['warmup-ms']),
    gc: globalThis.gc,
  });
  out[req.id] = { sign: timed.sign.median, verify: timed.verify.median, signSpread: timed.sign.spreadPct, verifySpread: timed.verify.spreadPct };
}
console.log(JSON.stringify(out));
