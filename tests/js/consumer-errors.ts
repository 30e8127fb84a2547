// The declarations are precise: each line below must be a type error. `tsc` fails on an unused
// `@ts-expect-error`, so this file fails to check if any of them were accepted (say, as `any`).
import { Signer, type SignedRequest, type OAuthSignErrorCode } from 'contextio-signer';

// @ts-expect-error consumerSecret is required
new Signer({ consumerKey: 'ck' });
// @ts-expect-error placement is a closed set
new Signer({ consumerKey: 'ck', consumerSecret: 'cs', placement: 'cookie' });
const s = new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 's' });
// @ts-expect-error method is required
s.signRequest({ url: 'https://h/' });
// @ts-expect-error timestamp is a number
s.signRequest({ method: 'GET', url: 'https://h/', timestamp: {} });
const r: SignedRequest = s.signRequest({ method: 'GET', url: 'https://h/' });
// @ts-expect-error signature is a string
const n: number = r.signature;
// @ts-expect-error codes are a closed set
const c: OAuthSignErrorCode = 'NOT_A_CODE';
// @ts-expect-error secrets cannot be read back
void s.consumerSecret;
void [n, c];
// @ts-expect-error a misspelled field is refused (and refused at run time too: INVALID_OPTIONS)
s.signRequest({ method: 'GET', url: 'https://h/', qurey: { a: 'b' } });
// @ts-expect-error timestamp is a number, not a digit string
s.signRequest({ method: 'GET', url: 'https://h/', timestamp: '1191242096' });
// @ts-expect-error nonce is a string
s.signRequest({ method: 'GET', url: 'https://h/', nonce: 12345 });
// @ts-expect-error signature methods are a closed set
new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 's', signatureMethod: 'RSA-SHA1' });
// @ts-expect-error the method is spelled as OAuth spells it
new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 's', signatureMethod: 'hmac-sha256' });
// @ts-expect-error bodyHash is a boolean
s.signRequest({ method: 'PUT', url: 'https://h/', body: 'x', contentType: 'text/plain', bodyHash: 'yes' });
// @ts-expect-error callback is a string
s.signRequest({ method: 'POST', url: 'https://h/', callback: new URL('https://h/cb') });
// @ts-expect-error verifier is a string
s.signRequest({ method: 'POST', url: 'https://h/', verifier: 1234 });
// @ts-expect-error forNewUser takes no token
Signer.forNewUser({ consumerKey: 'ck', consumerSecret: 'cs', token: 't' });
const p = s.signRequest({ method: 'GET', url: 'https://h/' }).oauthParameters;
// @ts-expect-error the signature method of a result is one of the four
const m: 'RSA-SHA1' = p.oauth_signature_method;
void m;
