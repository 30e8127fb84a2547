// A typed consumer of the package: `tsc --noEmit --strict` must accept it as it is.
import {
  Signer,
  signRequest,
  isOAuthSignError,
  type SignerOptions,
  type SignableRequest,
  type SignedRequest,
  type OAuthSignErrorCode,
  type Placement,
  type SignerJSON,
  type SignerMode,
  type SignatureMethod,
  type OAuthParameters,
} from 'contextio-signer';

const options: SignerOptions = {
  consumerKey: 'ck',
  consumerSecret: 'cs',
  token: 'tok',
  tokenSecret: 'ts',
  placement: 'header',
  clockOffset: 0,
};
const signer: Signer = new Signer(options);
const placement: Placement = 'query';
const request: SignableRequest = {
  method: 'GET',
  url: new URL('https://api.context.io/lite/users/u1/email_accounts'),
  query: { limit: 10, include_body: false, label: ['a', 'b'], skipped: undefined },
  placement,
};
const signed: SignedRequest = signer.signRequest(request);
const header: string | undefined = signed.headers['Authorization'];
const params: Record<string, string> = signed.oauthParameters;
const init: RequestInit = { method: signed.method, headers: signed.headers, body: signed.body };
void fetch;
void [header, params, init];

const mode: SignerMode = signer.mode;
const json: SignerJSON = signer.toJSON();
const forNew: Signer = Signer.forNewUser({ consumerKey: 'ck', consumerSecret: 'cs' });
const once: SignedRequest = signRequest(options, {
  method: 'POST',
  url: 'https://api.context.io/lite/users',
  body: new URLSearchParams({ email: 'a@example.com' }),
});

try {
  forNew.signRequest({ method: 'GET', url: 'https://api.context.io/lite/users' });
} catch (e: unknown) {
  if (isOAuthSignError(e)) {
    const code: OAuthSignErrorCode = e.code;
    const name: 'OAuthSignError' = e.name;
    void [code, name];
  }
}
void [mode, json, once];

// Issue 22: the signature methods, the body hash and RFC 5849 §2's protocol parameters.
const method: SignatureMethod = 'HMAC-SHA256';
const sha256 = new Signer({ ...options, signatureMethod: method });
const used: SignatureMethod = sha256.signatureMethod;
const hashed: SignedRequest = sha256.signRequest({
  method: 'PUT',
  url: 'https://api.example.com/lti/outcomes',
  body: '<imsx_POXEnvelopeRequest/>',
  contentType: 'application/xml',
  bodyHash: true,
});
const bodyHash: string | undefined = hashed.oauthParameters.oauth_body_hash;
const signedWith: SignatureMethod = hashed.oauthParameters.oauth_signature_method;
const temporary = Signer.forNewUser({ consumerKey: 'ck', consumerSecret: 'cs', signatureMethod: 'PLAINTEXT' })
  .signRequest({ method: 'POST', url: 'https://api.example.com/oauth/request_token', callback: 'oob' });
const token = new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 'tmp', tokenSecret: 'tmps', signatureMethod: 'HMAC-SHA512' })
  .signRequest({ method: 'POST', url: 'https://api.example.com/oauth/access_token', verifier: 'v' });
const oauth: OAuthParameters = token.oauthParameters;
const verifier: string | undefined = oauth.oauth_verifier;
const callback: string | undefined = temporary.oauthParameters.oauth_callback;
try {
  sha256.signRequest({ method: 'GET', url: 'http://api.example.com/' });
} catch (e: unknown) {
  if (isOAuthSignError(e) && e.code === 'PLAINTEXT_NEEDS_HTTPS') void e.message;
}
void [used, bodyHash, signedWith, verifier, callback];
