// A server that verifies OAuth 1.0a requests with contextio-signer/verify (node:http only): two
// consumers, each with one user's token. Answers 200 with the verified parameters, or the
// refusal as OAuth Problem Reporting has it (status, WWW-Authenticate challenge, form body).
//
//   node examples/verify-server.mjs [PORT]      # 0 (the default): a free port; loopback only
import { createServer } from 'node:http';
import { verifyRequest } from 'contextio-signer/verify';

const consumers = new Map([
  ['ck', { secret: 'cs', signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'] }],
  ['ck1', { secret: 'cs1' }], // the defaults: HMAC-SHA1 only, every request with a token
]);
const tokens = new Map([['ck t', { secret: 'ts' }], ['ck1 t1', { secret: 'ts1' }]]);
const nonces = new Set(); // a real server keeps them, for longer than the window, in its store

async function answer(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const v = await verifyRequest(
    { method: req.method, url: `http://${req.headers.host}${req.url}`, headers: req.headers, body: Buffer.concat(chunks) },
    {
      consumer: (key) => consumers.get(key) ?? null,
      token: (key, token) => tokens.get(`${key} ${token}`) ?? null,
      nonce: ({ consumerKey, token, timestamp, nonce }) => {
        const seen = JSON.stringify([consumerKey, token, timestamp, nonce]);
        if (nonces.has(seen)) return false;
        nonces.add(seen);
        return true;
      },
      realm: 'example',
    },
  );
  if (!v.ok) return res.writeHead(v.status, v.headers).end(v.body);
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`verified ${v.consumerKey} ${v.signatureMethod}\n${v.parameters.map(([n, x]) => `${n}=${x}\n`).join('')}`);
}

const server = createServer((req, res) => answer(req, res).catch(() => res.writeHead(500).end()));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
