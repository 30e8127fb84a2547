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
