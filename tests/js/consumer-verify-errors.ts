// The verifier's declarations are precise: each line below must be a type error (`tsc` fails on
// an unused `@ts-expect-error`).
import { verifyRequest, type VerifyOptions } from 'contextio-signer/verify';

const options: VerifyOptions = { consumer: () => null, token: () => null, nonce: () => true };
// @ts-expect-error the nonce lookup is required
const noNonce: VerifyOptions = { consumer: () => null, token: () => null };
// @ts-expect-error a consumer's secret is a string
const badSecret: VerifyOptions = { ...options, consumer: () => ({ secret: 42 }) };
// @ts-expect-error signature methods are the four
const badMethod: VerifyOptions = { ...options, consumer: () => ({ secret: 's', signatureMethods: ['RSA-SHA1'] }) };
// @ts-expect-error the nonce lookup answers a boolean
const badNonce: VerifyOptions = { ...options, nonce: () => 'yes' };
// @ts-expect-error the window is seconds
const badWindow: VerifyOptions = { ...options, window: '300' };
// @ts-expect-error method is required
void verifyRequest({ url: 'https://h/' }, options);
// @ts-expect-error a body is text or bytes
void verifyRequest({ method: 'GET', url: 'https://h/', body: 42 }, options);
async function use() {
  const v = await verifyRequest({ method: 'GET', url: 'https://h/' }, options);
  // @ts-expect-error a refusal has no consumerKey until ok is checked
  void v.consumerKey;
  if (!v.ok) {
    // @ts-expect-error a refusal's status is 400 or 401
    const s: 403 = v.status;
    void s;
  }
}
void [noNonce, badSecret, badMethod, badNonce, badWindow, use];
