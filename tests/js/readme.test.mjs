// Every ```js example of the README runs, so the docs cannot rot. Examples import
// 'contextio-signer', 'contextio-signer/diagnose' and 'contextio-signer/verify' (resolved here to
// the built pkg/node.js, pkg/diagnose-node.js and pkg/verify-node.js), talk to 'https://provider.example' (oauthlib's provider endpoints,
// started here) and print only `true` lines:
// each printed line is a check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startProvider } from '../oauthlib/provider.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const entry = pathToFileURL(join(root, 'pkg/node.js')).href;
const diagnoseEntry = pathToFileURL(join(root, 'pkg/diagnose-node.js')).href;
const verifyEntry = pathToFileURL(join(root, 'pkg/verify-node.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'readme-'));

// The RFC 5849 §2 flow example talks to a real provider: oauthlib's endpoints
// (tests/oauthlib/provider.py, Debian's python3-oauthlib), started with the example's consumer;
// its URL replaces the example's 'https://provider.example'.
let provider;
before(async () => {
  provider = await startProvider({ consumerKey: 'readmeConsumerKey0001', consumerSecret: 'readme-consumer-secret' });
});
after(() => provider?.close());

test('the README has JavaScript examples', () => assert.ok(examples.length >= 2));

for (const [i, code] of examples.entries()) {
  test(`README example ${i + 1}`, () => {
    const file = join(dir, `example-${i + 1}.mjs`);
    writeFileSync(file, code
      .replaceAll("'contextio-signer/diagnose'", JSON.stringify(diagnoseEntry))
      .replaceAll("'contextio-signer/verify'", JSON.stringify(verifyEntry))
      .replaceAll("'contextio-signer'", JSON.stringify(entry))
      .replaceAll("'https://provider.example'", JSON.stringify(provider.url)));
    const out = execFileSync('node', [file], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(out.length >= 1 && out[0] !== '', `example ${i + 1} printed nothing`);
    assert.deepEqual(out, out.map(() => 'true'), `example ${i + 1} printed a false check`);
  });
}
