// Static guarantees over extension/: what the style guide and the CSP demand, checked in the
// source so that a regression fails here before it reaches a browser.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../extension');
const files = readdirSync(DIR).filter((f) => /\.(js|html|css)$/.test(f));
const js = files.filter((f) => f.endsWith('.js'));
const html = files.filter((f) => f.endsWith('.html'));
const read = (f) => readFileSync(join(DIR, f), 'utf8');
/** Source without comments (good enough for these checks: no regex literal holds slashes-star). */
const code = (f) => read(f).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

test('the extension has the modules the style guide names', () => {
  for (const f of [
    'ext.js', 'storage.js', 'api.js', 'background.js', 'handlers.js', 'popup.js', 'options.js', 'explorer.js', 'ui.css',
    'errors.js', 'origins.js', 'permissions.js', 'access.js', 'connect.js', 'schema.js', 'mail.js', 'sanitize.js', 'reader.js', 'copyas.js',
    'message.html', 'message.js', 'sanitize.js', 'checks.js', 'settings-messages.js', 'user-messages.js', 'api-messages.js', 'mail-messages.js',
  ]) {
    assert.ok(files.includes(f), f);
  }
});

test('nothing logs (no console.* anywhere: records must never reach a log)', () => {
  // copyas.js writes a console.log into the fetch snippet it copies: text, not a call.
  const text = (f) => code(f).replace("'console.log(response.status, await response.text());'", "''");
  for (const f of js) assert.doesNotMatch(text(f), /\bconsole\s*\./, f);
});

test('storage.sync is never used', () => {
  for (const f of js) assert.doesNotMatch(code(f), /storage\s*\.\s*sync|\bsync\s*\.\s*(get|set)\b/, f);
});

test('2-legged signing is never asked for', () => {
  for (const f of js) assert.doesNotMatch(code(f), /twoLegged/, f);
});

test('no HTML from strings into a page, and no eval', () => {
  for (const f of js) {
    assert.doesNotMatch(code(f), /\.(inner|outer)HTML\s*[+]?=(?!=)|insertAdjacentHTML|document\.write|createContextualFragment|\beval\s*\(|new\s+Function\s*\(|setHTMLUnsafe|parseHTMLUnsafe/, f);
  }
  // Reading markup back is serialization, allowed only where mail is cleaned: sanitize.js reads
  // the body of the document DOMPurify cleaned (parsed by DOMParser: no browsing context,
  // nothing in it ran or loaded). No page parses markup itself.
  for (const f of js.filter((x) => x !== 'sanitize.js')) assert.doesNotMatch(code(f), /\.(inner|outer)HTML\b/, f);
  for (const f of js) assert.doesNotMatch(code(f), /DOMParser/, f);
  assert.deepEqual([...code('reader.js').matchAll(/.*sanitizeHtml\(.*/g)].map((m) => m[0].trim()), [
    'const clean = sanitizeHtml(body.content, { remoteImages });',
  ], 'reader.js cleans each HTML body once, with DOMPurify');
});

test('the sanitizer is DOMPurify from the build, configured in one place', () => {
  const text = code('sanitize.js');
  assert.match(text, /^import DOMPurify from '\.\/vendor\/dompurify\/purify\.es\.mjs';$/m);
  assert.equal([...text.matchAll(/\.sanitize\(/g)].length, 1, 'one call');
  for (const hook of ['uponSanitizeElement', 'uponSanitizeAttribute', 'afterSanitizeAttributes']) assert.match(text, new RegExp(`addHook\\('${hook}'`), hook);
  assert.match(text, /if \(!purify\.isSupported\)/, 'where DOMPurify cannot work (it would hand the markup back), nothing is shown as HTML');
  for (const f of js.filter((x) => x !== 'sanitize.js')) assert.doesNotMatch(code(f), /vendor\/dompurify|DOMPurify/, `${f}: only sanitize.js uses DOMPurify`);
});

test('mail HTML is shown only in a sandboxed frame with no allow-* token, built in reader.js', () => {
  for (const f of [...js, ...html]) {
    assert.doesNotMatch(code(f), /allow-(scripts|same-origin|forms|popups|top-navigation|modals|downloads|pointer-lock|presentation|orientation-lock|storage-access)/, f);
  }
  const frames = [...code('reader.js').matchAll(/h\('iframe', \{([\s\S]*?)\n\s*\}\);/g)];
  assert.equal(frames.length, 1, 'one frame');
  assert.match(frames[0][1], /^\s*sandbox: '',/, 'sandbox="" is its first attribute (set before srcdoc)');
  assert.match(frames[0][1], /srcdoc: frameDocument\(clean\.html, \{ remoteImages \}\)/, 'its document is the cleaned mail under the frame CSP');
  for (const f of js.filter((x) => !['reader.js', 'mail.js', 'sanitize.js'].includes(x))) assert.doesNotMatch(code(f), /srcdoc|'iframe'/, f);
});

test('one error class: ExtensionError in errors.js', () => {
  for (const f of js) {
    const classes = [...code(f).matchAll(/class\s+(\w+)\s+extends\s+Error\b/g)].map((m) => m[1]);
    if (f === 'errors.js') assert.deepEqual(classes, ['ExtensionError']);
    else if (f === 'popup.js') assert.deepEqual(classes, ['Shown'], 'a page-local marker that an error is already shown, never answered');
    else assert.deepEqual(classes, [], f);
  }
});

test('one "ask the background, show the error": pages use call() from ui.js', () => {
  for (const f of ['popup.js', 'options.js', 'message.js', 'reader.js']) {
    assert.doesNotMatch(code(f), /\bask\(/, `${f} asks through call()`);
    assert.match(code(f), /\bcall\(/, f);
  }
  // The explorer shows whole answers (status, headers, the rejected base string) for two
  // messages; everything else goes through call().
  assert.equal([...code('explorer.js').matchAll(/\bask\(/g)].length, 2);
  assert.ok([...code('explorer.js').matchAll(/\bcall\(/g)].length >= 4);
});

test('host access is requested only from the pages, and the connect flow lives in connect.js', () => {
  for (const f of js) {
    const requests = /permissions\s*\.\s*request\s*\(/.test(code(f));
    assert.equal(requests, f === 'access.js', `${f}: permissions.request`);
  }
  for (const f of js.filter((x) => x !== 'connect.js')) assert.doesNotMatch(code(f), /launchWebAuthFlow|connect_tokens/, f);
});

test('one namespace shim: only ext.js touches the chrome / browser globals', () => {
  for (const f of js.filter((x) => x !== 'ext.js')) {
    assert.doesNotMatch(code(f), /\b(globalThis\.|window\.)?(chrome|browser)\s*\.\s*(runtime|storage|tabs|identity)\b/, f);
  }
  assert.match(read('ext.js'), /globalThis\.browser \?\? globalThis\.chrome/);
});

test('no webextension-polyfill, no bundler artefacts, no dynamic import in the background', () => {
  for (const f of js) {
    assert.doesNotMatch(code(f), /webextension-polyfill|require\s*\(/, f);
    assert.doesNotMatch(code(f), /\bimport\s*\(/, f);
  }
});

test('the background module has no top-level await (module service workers forbid it)', () => {
  for (const f of ['background.js', 'handlers.js', 'checks.js', 'settings-messages.js', 'user-messages.js', 'api-messages.js', 'mail-messages.js', 'connect.js', 'api.js', 'storage.js', 'ext.js']) {
    assert.doesNotMatch(code(f), /^await\b|^(const|let|var)\s+[^=]+=\s*await\b/m, f);
  }
});

test('pages load module scripts from files only (CSP script-src self): no inline script or handler', () => {
  for (const f of html) {
    const text = read(f);
    const scripts = [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1, f);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /type="module"/, f);
      assert.match(attrs, /src="[a-z]+\.js"/, f);
      assert.equal(body.trim(), '', f);
    }
    assert.doesNotMatch(text, /\son[a-z]+\s*=/i, `${f}: inline event handler`);
    assert.doesNotMatch(text, /<style\b|style="/, `${f}: inline style (styles live in ui.css)`);
    assert.match(text, /<link rel="stylesheet" href="ui\.css">/, f);
    assert.match(text, /<meta name="color-scheme" content="light dark">/, f);
  }
});

test('the shared stylesheet is dark-mode aware and shows keyboard focus', () => {
  const css = read('ui.css');
  assert.match(css, /@media \(prefers-color-scheme: dark\)/);
  assert.match(css, /:focus-visible/);
});

test('form controls of every page have labels', () => {
  for (const f of html) {
    const text = read(f);
    for (const m of text.matchAll(/<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"[^>]*>/g)) {
      const id = m[1];
      const isRadio = /type="radio"/.test(m[0]);
      if (isRadio) continue;
      assert.ok(text.includes(`for="${id}"`) || /aria-label=/.test(m[0]), `${f}: #${id} has no label`);
    }
  }
});
