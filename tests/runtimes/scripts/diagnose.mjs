// The diagnose entry (`contextio-signer/diagnose`) under this runtime, imported by name: a
// published vector signed by the signing entry, a server's answer to it (built by the driver),
// and every recorded refusal of tests/support/refusals.json. Prints the diagnoses.
//
// input: { published, apiChecks, refusals, vector, answer } (paths; the name of the vector to
// sign; the server's answer to it: { status, headers, body })
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Signer, isOAuthSignError } from 'contextio-signer';
import { diagnoseRefusal } from 'contextio-signer/diagnose';
import { runtime, input, resolved, thrown, print } from './child.mjs';

const args = input();
const published = JSON.parse(readFileSync(args.published, 'utf8'));
const { cases } = JSON.parse(readFileSync(args.refusals, 'utf8'));
const { vectorOptions, vectorRequest } = await import(new URL('vectors.js', pathToFileURL(args.apiChecks)).href);

const v = published.vectors.find((x) => x.name === args.vector);
const signed = new Signer(vectorOptions(v)).signRequest(vectorRequest(v));

print({
  runtime: runtime(),
  resolved: resolved(['contextio-signer/diagnose']),
  signed: { baseString: signed.baseString, signature: signed.signature },
  answered: diagnoseRefusal(signed, args.answer),
  answeredWithHeaders: diagnoseRefusal(signed, { ...args.answer, headers: new Headers(args.answer.headers) }),
  recorded: cases.map((c) => diagnoseRefusal(
    { baseString: c.sent.baseString, oauthParameters: c.sent.timestamp === undefined ? {} : { oauth_timestamp: String(c.sent.timestamp) } },
    c.answer)),
  badInput: thrown(() => diagnoseRefusal(signed, { status: 42 }), isOAuthSignError),
});
