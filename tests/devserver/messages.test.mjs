// The seeded mailbox's hostile messages and HTML newsletter (issue 10): where they are, the
// Context.IO Lite body shape they are served in, that they point nowhere real, and that the
// data file stays small (their bodies are built on read, the 2 MB one too). Run with both
// signers, like the other scenarios.

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TEMPLATES, TRACKER, seedMailbox } from '../../devserver/mailbox.mjs';
import { DEMO, expectStatus, makeClient, startServer, tempDir } from './helpers/server.mjs';
import { forEachSigner } from './helpers/signers.mjs';

const enc = encodeURIComponent;
const HOSTILE = ['inline-scripts', 'event-handlers', 'links', 'tracking-pixel', 'css-beacon', 'large', 'unknown-charset', 'missing-body'];
const templateOf = (m) => /^<([a-z-]+)\.[0-9a-f]{8}@/.exec(m.email_message_id)?.[1];

test('every seeded mailbox holds the hostile messages and the newsletter, the oldest of its INBOX, the rest unchanged', () => {
  const created = 1_700_000_000;
  const box = seedMailbox('carol@example.com', created);
  const templated = box.messages.filter((m) => m.template);
  assert.deepEqual(templated.map((m) => m.template).sort(), [...HOSTILE, 'html-newsletter'].sort());
  const others = box.messages.filter((m) => !m.template);
  const oldestOther = Math.min(...others.map((m) => m.date));
  for (const m of templated) {
    assert.deepEqual(m.folders, ['INBOX', '[Gmail]/All Mail']);
    assert.ok(m.date < oldestOther, `${m.template} is older than every other message`);
    assert.equal(m.body, '', 'bodies are built from the template on read');
  }
  assert.equal(others.length, 29, 'the ordinary messages are still there');
  // Deterministic: the same address gives the same mailbox.
  assert.deepEqual(seedMailbox('carol@example.com', created), box);
});

test('hostile mail points only at reserved names that resolve nowhere', () => {
  for (const [name, t] of Object.entries(TEMPLATES)) {
    for (const body of t.bodies()) {
      for (const [url] of body.content.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+/gi)) {
        const host = url.replace(/^(?:https?:)?\/\//i, '');
        assert.match(host, /(^|\.)example(\.org)?$|^tracker\.example$/, `${name}: ${url}`);
      }
    }
  }
  assert.equal(TRACKER, 'http://tracker.example');
});

forEachSigner((signer) => {
  let server;
  let tmp;
  let api;
  let user;
  const ids = {};
  const base = () => `/lite/users/${user.id}/email_accounts/${enc(`${user.email}::imap`)}/folders`;

  before(async () => {
    tmp = tempDir();
    server = await startServer({ dataFile: join(tmp.dir, 'data.json') });
    api = makeClient(server.url, signer);
    const res = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'hostile.reader@example.com' } });
    expectStatus(res, 201);
    user = { id: res.json.id, email: 'hostile.reader@example.com', creds: { ...DEMO, token: res.json.access_token, tokenSecret: res.json.access_token_secret } };
    const list = await api.call(user.creds, 'GET', `${base()}/INBOX/messages?limit=100`);
    expectStatus(list, 200);
    for (const m of list.json) if (templateOf(m)) ids[templateOf(m)] = m;
  });
  after(async () => {
    await server?.close();
    tmp?.cleanup();
  });

  test('they are listed in INBOX, last (oldest), without bodies unless asked', async () => {
    assert.deepEqual(Object.keys(ids).sort(), [...HOSTILE, 'html-newsletter'].sort());
    const list = await api.call(user.creds, 'GET', `${base()}/INBOX/messages?limit=100`);
    const tail = list.json.slice(-9).map(templateOf);
    assert.deepEqual(tail.sort(), [...HOSTILE, 'html-newsletter'].sort());
    for (const m of list.json) assert.equal(m.bodies, undefined);
  });

  test('each one, with include_body, in the Context.IO Lite body shape', async () => {
    const bodies = {};
    for (const [name, listed] of Object.entries(ids)) {
      const one = await api.call(user.creds, 'GET', `${base()}/INBOX/messages/${listed.message_id}?include_body=1`);
      expectStatus(one, 200);
      assert.equal(one.json.subject, listed.subject);
      bodies[name] = one.json.bodies;
      for (const [i, b] of one.json.bodies.entries()) {
        assert.deepEqual(Object.keys(b).sort(), ['body_section', 'charset', 'content', 'size', 'type']);
        assert.equal(b.size, Buffer.byteLength(b.content, 'utf8'), `${name}: size is the UTF-8 length`);
        assert.equal(b.body_section, String(i + 1));
      }
    }
    assert.deepEqual(bodies['html-newsletter'].map((b) => b.type), ['text/plain', 'text/html']);
    assert.match(bodies['inline-scripts'][0].content, /<script>fetch\('http:\/\/tracker\.example\/exec\/inline-script'\)/);
    assert.match(bodies['event-handlers'][0].content, /onerror="fetch\('http:\/\/tracker\.example\/exec\/img-onerror'\)/);
    assert.match(bodies.links[0].content, /href="javascript:/);
    assert.match(bodies.links[0].content, /href="data:text\/html;base64,/);
    assert.match(bodies['tracking-pixel'][0].content, /<img id="pixel" src="http:\/\/tracker\.example\/pixel\.gif/);
    assert.match(bodies['css-beacon'][0].content, /url\('http:\/\/tracker\.example\/beacon\/css-rule\.png'\)/);
    assert.ok(bodies.large[0].size > 2 * 1024 * 1024, String(bodies.large[0].size));
    assert.match(bodies.large[0].content, /<p id="the-end">The end of the archive\.<\/p><\/body><\/html>$/);
    assert.equal(bodies['unknown-charset'][0].charset, 'x-klingon-pIqaD');
    assert.deepEqual(bodies['missing-body'], []);
  });

  test('they can be addressed by their Message-ID header too', async () => {
    const m = ids['tracking-pixel'];
    const one = await api.call(user.creds, 'GET', `${base()}/INBOX/messages/${enc(m.email_message_id)}`);
    expectStatus(one, 200);
    assert.equal(one.json.message_id, m.message_id);
  });

  test('an ordinary message keeps its one text/plain body, now with body_section', async () => {
    const list = await api.call(user.creds, 'GET', `${base()}/Sent/messages?limit=1&include_body=1`);
    expectStatus(list, 200);
    const [b] = list.json[0].bodies;
    assert.deepEqual({ ...b, content: undefined, size: undefined }, { type: 'text/plain', charset: 'UTF-8', body_section: '1', content: undefined, size: undefined });
  });

  test('the data file stays small: template bodies are not stored', () => {
    const file = join(tmp.dir, 'data.json');
    assert.ok(statSync(file).size < 200_000, `${statSync(file).size} bytes`);
    const state = readFileSync(file, 'utf8');
    assert.ok(!state.includes('The end of the archive'), 'the 2 MB body is built on read');
    assert.ok(state.includes('"template":"large"') || state.includes('"template": "large"'));
  });
});
