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
  for (const f of ['ext.js', 'storage.js', 'api.js', 'background.js', 'handlers.js', 'popup.js', 'options.js', 'explorer.js', 'ui.css']) {
    assert.ok(files.includes(f), f);
  }
});

test('nothing logs (no console.* anywhere: records must never reach a log)', () => {
  for (const f of js) assert.doesNotMatch(code(f), /\bconsole\s*\./, f);
});

test('storage.sync is never used', () => {
  for (const f of js) assert.doesNotMatch(code(f), /storage\s*\.\s*sync|\bsync\s*\.\s*(get|set)\b/, f);
});

test('2-legged signing is never asked for', () => {
  for (const f of js) assert.doesNotMatch(code(f), /twoLegged/, f);
});

test('no HTML from strings and no eval', () => {
  for (const f of js) {
    assert.doesNotMatch(code(f), /\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(/, f);
  }
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
  for (const f of ['background.js', 'handlers.js', 'api.js', 'storage.js', 'ext.js']) {
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
