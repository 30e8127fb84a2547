// Tiers 3 of issue 16: the package's diagnose entry (`contextio-signer/diagnose`) as users get it.
//
// - Node: installed from the packed tarball and imported by name (no init), on every recorded
//   refusal of tests/support/refusals.json: the expectations written there, and the same answer
//   as the Rust core gives (`cargo run --example diagnose`, the core natively);
// - headless Chromium and Firefox pages: `await init()`, the same refusals, the same answers;
// - the local server's real refusals: a wrong secret (105, identical base strings), a host the
//   server sees otherwise (105, a difference), an unknown token (103), an unknown consumer
//   (102), a stale timestamp (106, the clock offset to use) and a replay (107, a new nonce),
//   each diagnosed by the JS entry and, recorded, by the Rust core natively, alike;
// - a page that only signs loads none of the diagnose entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.mjs';
import { METHODS_PATH, VECTORS_PATH } from './vectors.mjs';
import { launchFirefox } from '../support/firefox.mjs';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '../support/chromium.mjs';
import { waitFor } from '../support/net.mjs';
import { installPackage } from '../support/installed.mjs';
import { Signer } from '../../pkg/node.js';
import { diagnoseRefusal } from '../../pkg/diagnose-node.js';
import { startServer } from '../../devserver/app.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkgDir = join(root, 'pkg');
const { cases } = JSON.parse(readFileSync(join(root, 'tests/support/refusals.json'), 'utf8'));
let rust;
let scratch;
let files;

before(() => {
  assert.ok(existsSync(join(pkgDir, 'diagnose.js')), 'pkg/ is not built: run node scripts/build-pkg.mjs');
  // The Rust core's answers, natively.
  rust = execFileSync('cargo', ['run', '--quiet', '--example', 'diagnose', '--', 'tests/support/refusals.json'], { cwd: root, encoding: 'utf8' })
    .trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(rust.length, cases.length);
  ({ dir: scratch } = installPackage({ prefix: 'contextio-diagnose-consumer-' }));
  files = serveStatic({ '/pkg/': `${pkgDir}/`, '/support/': `${root}/tests/support/`, '/vectors.json': VECTORS_PATH, '/methods.json': METHODS_PATH, '/': `${root}/tests/js/page/` });
});
after(async () => (await files)?.close());

const signedOf = (c) => ({ baseString: c.sent.baseString, oauthParameters: c.sent.timestamp === undefined ? {} : { oauth_timestamp: String(c.sent.timestamp) } });

/** Checks a case's written expectations against a diagnosis (the fields it names). */
function meetsExpectations(c, d) {
  for (const [key, want] of Object.entries(c.expect)) {
    if (key === 'differences') {
      assert.deepEqual(d.differences.map((x) => Object.fromEntries(Object.entries(x).filter(([k, v]) => want.some((w) => k in w) && (k !== 'name' || v !== null)).filter(([k]) => ['component', 'kind', 'name'].includes(k)))), want, `${c.name}: differences`);
    } else if (key === 'lookedFor') {
      assert.equal(d.lookedFor.length, want, c.name);
    } else if (key === 'notContaining') {
      assert.ok(!JSON.stringify(d).includes(want), `${c.name}: a secret in the diagnosis`);
    } else {
      assert.deepEqual(d[key], want, `${c.name}: ${key}`);
    }
  }
}

test('Node, by name, no init: every recorded refusal as written, and as the Rust core answers', () => {
  const script = `
    import { diagnoseRefusal } from 'contextio-signer/diagnose';
    import { readFileSync } from 'node:fs';
    const { cases } = JSON.parse(readFileSync(${JSON.stringify(join(root, 'tests/support/refusals.json'))}, 'utf8'));
    console.log(JSON.stringify(cases.map((c) => diagnoseRefusal(
      { baseString: c.sent.baseString, oauthParameters: c.sent.timestamp === undefined ? {} : { oauth_timestamp: String(c.sent.timestamp) } },
      c.answer))));
  `;
  writeFileSync(join(scratch, 'diagnose.mjs'), script);
  const js = JSON.parse(execFileSync('node', ['diagnose.mjs'], { cwd: scratch, encoding: 'utf8' }));
  assert.equal(js.length, cases.length);
  cases.forEach((c, i) => {
    meetsExpectations(c, js[i]);
    assert.deepEqual(js[i], rust[i], `${c.name}: JS and Rust answer alike`);
  });
});

test('headers as Headers, pairs or an object read alike; bad input is a typed error', () => {
  const c = cases.find((x) => x.shape === 'header');
  const asPairs = diagnoseRefusal(signedOf(c), c.answer);
  const asHeaders = diagnoseRefusal(signedOf(c), { ...c.answer, headers: new Headers(c.answer.headers) });
  const asObject = diagnoseRefusal(signedOf(c), { ...c.answer, headers: Object.fromEntries(c.answer.headers) });
  assert.deepEqual(asHeaders, asPairs);
  assert.deepEqual(asObject, asPairs);
  for (const [what, signed, response] of [
    ['no signed request', null, c.answer],
    ['no base string', {}, c.answer],
    ['a status out of range', signedOf(c), { status: 42 }],
    ['a body that is not text', signedOf(c), { status: 401, body: new Uint8Array(2) }],
    ['headers of numbers', signedOf(c), { status: 401, headers: 5 }],
  ]) {
    assert.throws(() => diagnoseRefusal(signed, response), (e) => e.name === 'OAuthSignError' && e.code === 'INVALID_OPTIONS' && e.message.length > 0, what);
  }
});

async function inChromium(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const loaded = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(url);
    return { result: await page.evaluate(() => window.__result), loaded };
  } finally {
    await browser.close();
  }
}

test('Chromium page: init(), every recorded refusal, the Rust answers', async () => {
  const { result } = await inChromium(`${(await files).url}/diagnose.html`);
  assert.ok(!result.error, result.error);
  assert.deepEqual(result.diagnoses, rust);
});

test('Firefox page: init(), every recorded refusal, the Rust answers', async () => {
  const firefox = await launchFirefox();
  try {
    await firefox.navigate(`${(await files).url}/diagnose.html`);
    let result;
    await waitFor(async () => {
      result = await firefox.evaluate('return window.__result ? await window.__result : null');
      return result !== null;
    }, { timeout: 20_000, what: 'the page to report' });
    assert.ok(!result.error, result.error);
    assert.deepEqual(result.diagnoses, rust);
  } finally {
    await firefox.quit();
  }
});

test('a page that only signs loads none of the diagnose entry', async () => {
  const { result, loaded } = await inChromium(`${(await files).url}/index.html`);
  assert.ok(!result.error, result.error);
  assert.ok(loaded.some((p) => p.endsWith('/contextio_signer_bg.wasm')), 'the page signed');
  assert.deepEqual(loaded.filter((p) => p.includes('diagnose')), []);
});

// ---- The local server's real refusals -------------------------------------------------------

test("the local server's real refusals are diagnosed, alike by the JS entry and the native core", async (t) => {
  const server = await startServer();
  // Every real refusal and its JS diagnosis, handed to the Rust core natively at the end.
  const recorded = [];
  const diagnoseReal = (signed, res) => {
    const d = diagnoseRefusal(signed, res);
    recorded.push({
      case: {
        sent: { baseString: signed.baseString, timestamp: Number(signed.oauthParameters.oauth_timestamp) },
        answer: { status: res.status, headers: [...res.headers], body: res.body },
      },
      js: d,
    });
    return d;
  };
  try {
    const demo = { consumerKey: 'contextio-demo', consumerSecret: 'demo-secret-loopback-only' };
    const send = async (signed) => {
      const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const created = await send(Signer.forNewUser(demo).signRequest({ method: 'POST', url: `${server.url}/lite/users`, body: { email: 'diag@example.com' } }));
    assert.equal(created.status, 201, created.body);
    const user = JSON.parse(created.body);
    const token = { token: user.access_token, tokenSecret: user.access_token_secret };
    const url = `${server.url}/lite/users/${user.id}/email_accounts`;
    const ok = new Signer({ ...demo, ...token });
    assert.equal((await send(ok.signRequest({ method: 'GET', url }))).status, 200, 'a good request goes through');

    await t.test('105, a wrong consumer secret: identical base strings point to the secrets', async () => {
      const signed = new Signer({ ...demo, consumerSecret: 'not-the-secret', ...token }).signRequest({ method: 'GET', url });
      const d = diagnoseReal(signed, await send(signed));
      assert.equal(d.problem, 'SIGNATURE_INVALID');
      assert.equal(d.identical, true);
      assert.deepEqual(d.differences, []);
      assert.match(d.cause, /secret/);
      assert.ok(!JSON.stringify(d).includes('not-the-secret') && !JSON.stringify(d).includes(token.tokenSecret));
    });
    await t.test('105, signed for another host than the server sees: the host is named', async () => {
      const signed = ok.signRequest({ method: 'GET', url: url.replace('127.0.0.1', 'localhost') });
      const res = await send({ ...signed, url: signed.url.replace('localhost', '127.0.0.1') });
      const d = diagnoseReal(signed, res);
      assert.equal(d.problem, 'SIGNATURE_INVALID');
      assert.deepEqual(d.differences.map((x) => [x.component, x.kind, x.ours, x.theirs]), [['host', 'host', 'localhost', '127.0.0.1']]);
    });
    await t.test('103, an unknown token', async () => {
      const signed = new Signer({ ...demo, token: 'nope', tokenSecret: 'nope' }).signRequest({ method: 'GET', url });
      const d = diagnoseReal(signed, await send(signed));
      assert.equal(d.problem, 'TOKEN_REFUSED');
      assert.equal(d.retry, null);
    });
    await t.test('102, an unknown consumer key', async () => {
      const signed = new Signer({ consumerKey: 'who', consumerSecret: 'x', ...token }).signRequest({ method: 'GET', url });
      const d = diagnoseReal(signed, await send(signed));
      assert.equal(d.problem, 'CONSUMER_KEY_REFUSED');
    });
    await t.test('106, a clock an hour behind: the clock offset to use, then a retry succeeds', async () => {
      const behind = new Signer({ ...demo, ...token, clockOffset: -3600 });
      const signed = behind.signRequest({ method: 'GET', url });
      const d = diagnoseReal(signed, await send(signed));
      assert.equal(d.problem, 'TIMESTAMP_REFUSED');
      assert.equal(d.retry, 'clock');
      assert.ok(Math.abs(d.clockOffset - 3600) <= 5, `clockOffset ${d.clockOffset}`);
      const healed = new Signer({ ...demo, ...token, clockOffset: -3600 + d.clockOffset });
      assert.equal((await send(healed.signRequest({ method: 'GET', url }))).status, 200);
    });
    await t.test('107, a replay: a fresh nonce will do', async () => {
      const signed = ok.signRequest({ method: 'GET', url });
      assert.equal((await send(signed)).status, 200);
      const d = diagnoseReal(signed, await send(signed));
      assert.equal(d.problem, 'NONCE_USED');
      assert.equal(d.retry, 'nonce');
      assert.equal((await send(ok.signRequest({ method: 'GET', url }))).status, 200);
    });
    await t.test('the native core gives the same diagnosis of every real refusal', () => {
      assert.equal(recorded.length, 6);
      const file = join(scratch, 'real-refusals.json');
      writeFileSync(file, JSON.stringify({ cases: recorded.map((r) => r.case) }));
      const native = execFileSync('cargo', ['run', '--quiet', '--example', 'diagnose', '--', file], { cwd: root, encoding: 'utf8' })
        .trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(native, recorded.map((r) => r.js));
    });
  } finally {
    await server.close();
  }
});
