// Reading a message (issue 10, part 2), the parts that run in Node: `messages.get` in the
// background against the local server's seeded mailbox (hostile messages included), and the
// pure helpers of mail.js. The HTML sanitizer (sanitize.js, DOMPurify) needs a real DOM and the
// frame a real browser: both are checked in tests/extension/e2e/ in Chromium and Firefox.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import {
  BODY_PREVIEW_CHARS,
  charsetKnown,
  cleanText,
  formatAddress,
  formatSize,
  frameCsp,
  frameDocument,
  messagePageHash,
  parseMessageHash,
  pickBodies,
  shapeMessage,
  truncateBody,
} from '../../../extension/mail.js';
import { startServer } from '../devserver.mjs';
import { captureConsole, createHarness, releaseConsole } from '../harness.mjs';

const enc = encodeURIComponent;

describe('mail.js', () => {
  test('truncateBody cuts at a line or tag end near the limit, never inside a surrogate pair', () => {
    assert.deepEqual(truncateBody('short', 10), { content: 'short', truncated: false });
    const lines = 'abcdefghi\n'.repeat(1000);
    const cut = truncateBody(lines, 5005);
    assert.equal(cut.truncated, true);
    assert.ok(cut.content.endsWith('\n') && cut.content.length <= 5005 && cut.content.length > 5005 - 11, String(cut.content.length));
    const tags = '<p>hello</p>'.repeat(1000);
    assert.ok(truncateBody(tags, 6000).content.endsWith('</p>'));
    const astral = '😀'.repeat(10); // 20 code units, no line break
    const a = truncateBody(astral, 7);
    assert.equal(a.content, '😀😀😀', 'the half pair is left out');
    assert.doesNotThrow(() => encodeURIComponent(a.content));
  });

  test('shapeMessage: headers as strings and lists, bodies typed and cut, whatever the server sent', () => {
    const m = shapeMessage({
      message_id: 'm1',
      email_message_id: '<x@y>',
      subject: 'Hi',
      date: 1700000000,
      addresses: { from: [{ email: 'a@x.example', name: 'A' }], to: { email: 'b@x.example' }, cc: 'nonsense' },
      folders: ['INBOX', 5, null],
      flags: { read: 'yes', answered: true },
      bodies: [{ type: 'TEXT/HTML', charset: 'utf-8', content: 'x'.repeat(30), size: 30 }, null, { content: 42 }],
    }, { limit: 10 });
    assert.deepEqual(m, {
      messageId: 'm1',
      emailMessageId: '<x@y>',
      subject: 'Hi',
      date: 1700000000,
      from: { email: 'a@x.example', name: 'A' },
      to: [{ email: 'b@x.example', name: '' }],
      cc: [],
      folders: ['INBOX'],
      flags: { read: false, answered: true, flagged: false, draft: false },
      bodies: [
        { type: 'text/html', charset: 'utf-8', size: 30, length: 30, content: 'x'.repeat(10), truncated: true },
        { type: 'text/plain', charset: '', size: 0, length: 0, content: '', truncated: false },
      ],
    });
    assert.equal(shapeMessage({ bodies: [{ type: 'text/plain', content: 'x'.repeat(30) }] }, { full: true, limit: 10 }).bodies[0].content.length, 30);
    for (const junk of [null, 'x', [], 42]) assert.deepEqual(shapeMessage(junk).bodies, []);
  });

  test('pickBodies, charsetKnown, cleanText, formatAddress, formatSize', () => {
    const html = { type: 'text/html' };
    const text = { type: 'text/plain' };
    assert.deepEqual(pickBodies([text, html]), { html, text });
    assert.deepEqual(pickBodies([]), { html: null, text: null });
    assert.equal(pickBodies([{ type: 'application/octet-stream' }]).text.type, 'application/octet-stream', 'anything else is shown as text');
    for (const cs of ['', 'UTF-8', 'utf8', 'iso-8859-1', 'windows-1252', 'Shift_JIS', 'koi8-r']) assert.equal(charsetKnown(cs), true, cs);
    for (const cs of ['x-klingon-pIqaD', 'utf-9', 'bogus']) assert.equal(charsetKnown(cs), false, cs);
    assert.equal(cleanText('a\r\nb\rc\u0007\u001b[31m\u009b\td\u202Efdp.exe\n'), 'a\nb\nc[31m\td' + 'fdp.exe\n');
    assert.equal(formatAddress({ name: 'A B', email: 'a@x' }), 'A B <a@x>');
    assert.equal(formatAddress({ name: '', email: 'a@x' }), 'a@x');
    assert.equal(formatAddress(null), '');
    assert.deepEqual([0, 999, 1500, 262_144, 2_097_303].map(formatSize), ['0 B', '999 B', '1.5 KB', '262 KB', '2.1 MB']);
  });

  test('the frame document starts with its CSP: nothing loads but data: images until remote images are allowed', () => {
    assert.equal(frameCsp({ remoteImages: false }), "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'");
    assert.match(frameCsp({ remoteImages: true }), /img-src data: http: https:;/);
    assert.doesNotMatch(frameCsp({ remoteImages: true }), /script-src|'unsafe-eval'/);
    const doc = frameDocument('<p>x</p>', { remoteImages: false });
    assert.ok(doc.startsWith('<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src \'none\';'), doc.slice(0, 200));
    assert.ok(doc.indexOf('Content-Security-Policy') < doc.indexOf('<p>x</p>'), 'the policy comes before any mail');
    assert.match(doc, /<meta name="referrer" content="no-referrer"><base target="_blank">/);
  });

  test('message page links round-trip every part', () => {
    const ref = { userId: 'u 1', label: 'a@b.example::imap', folder: '[Gmail]/All Mail', messageId: '<x&y@z>' };
    assert.deepEqual(parseMessageHash(messagePageHash(ref)), ref);
    assert.equal(parseMessageHash('#user=u'), null);
  });
});

describe('messages.get against the seeded mailbox', () => {
  let server;
  let h;
  let user;
  let label;
  /** message_id by template name (from the email_message_id the server gives them). */
  const ids = {};
  before(async () => {
    server = await startServer();
    h = createHarness({ origin: server.url });
    user = (await h.bg.handleMessage({ type: 'users.add', email: 'reader@example.com' }, { id: h.fake.runtime.id, url: h.fake.runtime.getURL('popup.html') })).user;
    label = 'reader@example.com::imap';
    const list = await h.bg.handleMessage(
      { type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}/email_accounts/${enc(label)}/folders/INBOX/messages`, query: { limit: 100 } },
      { id: h.fake.runtime.id, url: h.fake.runtime.getURL('popup.html') },
    );
    for (const m of list.data) {
      const name = /^<([a-z-]+)\.[0-9a-f]+@/.exec(m.email_message_id)?.[1];
      if (name) ids[name] = m.message_id;
    }
  });
  after(() => server?.close());
  beforeEach(captureConsole);
  afterEach(releaseConsole);

  const get = (messageId, extra = {}) => h.ask({ type: 'messages.get', userId: user.id, label, folder: 'INBOX', messageId, ...extra });

  test('INBOX holds the hostile messages and the HTML newsletter', () => {
    assert.deepEqual(Object.keys(ids).sort(), ['css-beacon', 'event-handlers', 'html-newsletter', 'inline-scripts', 'large', 'links', 'missing-body', 'tracking-pixel', 'unknown-charset']);
  });

  test('a plain message: headers and its text body, signed with the user token, through the background', async () => {
    const list = await h.ask({ type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}/email_accounts/${enc(label)}/folders/INBOX/messages`, query: { limit: 1 } });
    const r = await get(list.data[0].message_id);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const m = r.message;
    assert.equal(m.subject, list.data[0].subject);
    assert.equal(m.from.email, list.data[0].addresses.from.email);
    assert.deepEqual(m.to, [{ email: 'reader@example.com', name: 'Reader' }]);
    assert.ok(m.folders.includes('INBOX'));
    assert.deepEqual(Object.keys(m.flags), ['read', 'answered', 'flagged', 'draft']);
    assert.equal(m.bodies.length, 1);
    assert.equal(m.bodies[0].type, 'text/plain');
    assert.equal(m.bodies[0].truncated, false);
    assert.ok(m.bodies[0].content.length > 20);
    const last = h.fetched.at(-1);
    assert.match(last, new RegExp(`/users/${user.id}/email_accounts/${enc(label).replace(/%/g, '%')}/folders/INBOX/messages/${list.data[0].message_id}\\?include_body=1$`));
  });

  test('the HTML newsletter has both a text and an HTML body', async () => {
    const { message } = await get(ids['html-newsletter']);
    assert.deepEqual(message.bodies.map((b) => b.type), ['text/plain', 'text/html']);
    assert.match(message.bodies[1].content, /THE WEEKLY BYTE/);
  });

  test('the hostile HTML arrives as data, untouched: the page sanitizes and sandboxes it', async () => {
    const { message } = await get(ids['inline-scripts']);
    assert.match(message.subject, /<img src=x onerror=alert\(1\)>/);
    assert.match(message.from.name, /<script>/);
    assert.match(message.bodies[0].content, /<script>fetch\('http:\/\/tracker\.example\/exec\/inline-script'\)/);
  });

  test('the 2 MB body reaches the page cut, and whole on request', async () => {
    const cut = await get(ids.large);
    const [b] = cut.message.bodies;
    assert.equal(b.truncated, true);
    assert.ok(b.length > 2 * 1024 * 1024, String(b.length));
    assert.ok(b.size > 2 * 1024 * 1024);
    assert.ok(b.content.length <= BODY_PREVIEW_CHARS && b.content.length > BODY_PREVIEW_CHARS - 4096);
    assert.ok(JSON.stringify(cut).length < BODY_PREVIEW_CHARS + 10_000, 'the answer to the page stays small');
    const whole = await get(ids.large, { full: true });
    assert.equal(whole.message.bodies[0].truncated, false);
    assert.equal(whole.message.bodies[0].content.length, b.length);
    assert.match(whole.message.bodies[0].content, /<p id="the-end">/);
  });

  test('an unknown charset and a missing body come through as they are', async () => {
    const cs = await get(ids['unknown-charset']);
    assert.equal(cs.message.bodies[0].charset, 'x-klingon-pIqaD');
    assert.equal(charsetKnown(cs.message.bodies[0].charset), false);
    const none = await get(ids['missing-body']);
    assert.deepEqual(none.message.bodies, []);
  });

  test('bad messages: unknown user or message, missing or wrong-typed fields', async () => {
    assert.equal((await get('000000000000000000000000')).error.code, 'HTTP_404');
    assert.equal((await h.ask({ type: 'messages.get', userId: 'nobody', label, folder: 'INBOX', messageId: 'x' })).error.code, 'USER_NOT_FOUND');
    for (const bad of [{ label: '' }, { folder: undefined }, { messageId: 5 }, { full: 'yes' }]) {
      assert.equal((await get(ids.links, bad)).error.code, 'INVALID_MESSAGE', JSON.stringify(bad));
    }
  });
});
