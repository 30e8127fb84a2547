// A typed server of `contextio-signer/verify` (a worker's fetch handler): `tsc --noEmit --strict` must accept it as it is.
import {
  verifyRequest,
  type ConsumerRecord,
  type NonceClaim,
  type OAuthProblem,
  type VerifyOptions,
  type Verified,
  type Refused,
} from 'contextio-signer/verify';

const consumers = new Map<string, ConsumerRecord>([
  ['ck', { secret: 'cs', signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256'], requireToken: false }],
]);
const seen = new Set<string>();
const options: VerifyOptions = {
  consumer: async (key) => consumers.get(key) ?? null,
  token: (key, token) => (key === 'ck' && token === 't' ? { secret: 'ts' } : null),
  nonce: ({ consumerKey, token, timestamp, nonce }: NonceClaim) => {
    const k = `${consumerKey} ${token ?? ''} ${timestamp} ${nonce}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  },
  now: new Date(),
  window: 300,
  realm: 'api',
  debugBaseString: false,
};

// A worker's fetch handler (Request and Response: no Node types needed).
export async function handle(request: Request): Promise<Response> {
  const v = await verifyRequest(
    { method: request.method, url: request.url, headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) },
    options,
  );
  if (!v.ok) {
    const refused: Refused = v;
    const problem: OAuthProblem = refused.problem;
    const status: 400 | 401 = refused.status;
    void problem;
    return new Response(refused.body, { status, headers: refused.headers });
  }
  const ok: Verified = v;
  const params: Array<[string, string]> = ok.parameters;
  const token: string | null = ok.token;
  return new Response(`${ok.consumerKey} ${ok.signatureMethod} ${token} ${params.length}`);
}

// Node's req.headers shape: values string, string[] or undefined.
const nodeHeaders: Record<string, string | string[] | undefined> = { authorization: 'OAuth x', 'x-many': ['a', 'b'], none: undefined };
void verifyRequest({ method: 'POST', url: 'http://127.0.0.1/x', headers: nodeHeaders, body: 'a=1' }, options);
// Also with a Headers object and text, as a worker has them.
void verifyRequest({ method: 'GET', url: new URL('https://h/x'), headers: new Headers(), body: '' }, options);
