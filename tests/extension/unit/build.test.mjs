// scripts/build-extension.mjs: the per-browser manifests (least privilege: the required
// permissions never grow, other API servers are optional origins; CSP, background kind), the
// host permission from --api-origin, the zips (made by web-ext build) and the command line.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { GECKO_ID as CONSTANT_GECKO_ID } from '../../../common/constants.js';
import { defaultApiBase } from '../../../extension/origins.js';
import webExt from 'web-ext';
import {
  DOMPURIFY_FILES,
  GECKO_ID,
  LINT_IGNORE,
  PKG_FILES,
  SHARED_FILES,
  buildExtension,
  manifestFor,
  matchPatternForOrigin,
  parseCommandLine,
} from '../../../scripts/build-extension.mjs';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const BASE = JSON.parse(readFileSync(join(ROOT, 'extension/manifest.base.json'), 'utf8'));
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";

/** Reads a zip's entries (name -> bytes) with node:zlib. */
function readZip(file) {
  const buf = readFileSync(file);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const localNameLen = buf.readUInt16LE(offset + 26);
    const localExtraLen = buf.readUInt16LE(offset + 28);
    const data = buf.subarray(offset + 30 + localNameLen + localExtraLen, offset + 30 + localNameLen + localExtraLen + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('manifests', () => {
  const hostPermissions = ['http://127.0.0.1:8787/*'];
  for (const browser of ['chrome', 'firefox']) {
    test(`${browser}: MV3, storage (+ identity) and the API origin only, the wasm CSP`, () => {
      const m = manifestFor(browser, BASE, { hostPermissions });
      assert.equal(m.manifest_version, 3);
      assert.deepEqual(m.permissions, ['storage', 'identity']);
      assert.deepEqual(m.host_permissions, hostPermissions);
      assert.deepEqual(m.content_security_policy, { extension_pages: CSP });
      assert.equal(m.externally_connectable, undefined, 'no web page may message the extension');
      assert.equal(m.content_scripts, undefined);
      assert.equal(m.web_accessible_resources, undefined);
      assert.equal(m.optional_permissions, undefined);
      assert.deepEqual(m.optional_host_permissions, ['http://*/*', 'https://*/*'], 'any other http(s) API server, granted at run time');
    });
  }
  test('chrome: a module service worker', () => {
    const m = manifestFor('chrome', BASE, { hostPermissions });
    assert.deepEqual(m.background, { service_worker: 'background.js', type: 'module' });
    assert.equal(m.browser_specific_settings, undefined);
  });
  test('firefox: a module event page and a stable gecko id', () => {
    const m = manifestFor('firefox', BASE, { hostPermissions });
    assert.deepEqual(m.background, { scripts: ['background.js'], type: 'module' });
    assert.equal(m.browser_specific_settings.gecko.id, GECKO_ID);
    assert.equal(GECKO_ID, CONSTANT_GECKO_ID, 'the id comes from common/constants.js');
    assert.match(m.browser_specific_settings.gecko.strict_min_version, /^\d+\.0$/);
  });
  test('--api-origin becomes a match pattern, and the default API base follows it', () => {
    assert.equal(matchPatternForOrigin('https://api.context.io'), 'https://api.context.io/*');
    assert.equal(matchPatternForOrigin('https://api.context.io/lite'), 'https://api.context.io/*');
    assert.equal(matchPatternForOrigin('http://127.0.0.1:8787/*'), 'http://127.0.0.1:8787/*');
    assert.throws(() => matchPatternForOrigin('ftp://x'));
    assert.throws(() => matchPatternForOrigin('https://u:p@x'));
    const m = manifestFor('chrome', BASE, { hostPermissions: [matchPatternForOrigin('https://api.context.io')] });
    assert.equal(defaultApiBase(m), 'https://api.context.io/lite');
  });
});

describe('buildExtension', () => {
  const out = mkdtempSync(join(tmpdir(), 'ext-build-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  let outputs = [];

  test('writes both browsers with the wasm package, and zips (web-ext build) that hold exactly the directories', async () => {
    assert.ok(existsSync(join(ROOT, 'pkg/contextio_signer_bg.wasm')), 'pkg/ must be built first: node scripts/build-pkg.mjs');
    ({ outputs } = await buildExtension({ outDir: out, apiOrigins: ['https://api.context.io'] }));
    assert.deepEqual(outputs.map((o) => o.browser), ['chrome', 'firefox']);
    for (const { browser, dir, zip } of outputs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.deepEqual(manifest.host_permissions, ['https://api.context.io/*'], browser);
      assert.deepEqual(manifest.permissions, ['storage', 'identity'], `${browser}: the required permissions do not grow`);
      for (const f of ['background.js', 'popup.html', 'options.html', 'explorer.html', 'message.html', 'ui.css', 'icons/icon-128.png']) {
        assert.ok(existsSync(join(dir, f)), `${browser}: ${f}`);
      }
      // Both entries of the package, as built: the signer and contextio-signer/diagnose.
      assert.ok(PKG_FILES.includes('diagnose.js') && PKG_FILES.includes('contextio_signer_diagnose_bg.wasm'));
      for (const f of PKG_FILES) assert.ok(readFileSync(join(dir, 'pkg', f)).equals(readFileSync(join(ROOT, 'pkg', f))), `${browser}: pkg/${f}`);
      assert.ok(!existsSync(join(dir, 'manifest.base.json')));
      const entries = readZip(zip);
      const files = [];
      const walk = (d, pre = '') => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name), `${pre}${e.name}/`);
          else files.push(`${pre}${e.name}`);
        }
      };
      walk(dir);
      assert.deepEqual([...entries.keys()].filter((n) => !n.endsWith('/')).sort(), files.sort());
      for (const f of files) assert.ok(entries.get(f).equals(readFileSync(join(dir, f))), `${browser} zip: ${f}`);
      // And Info-ZIP agrees that the archive is sound.
      assert.match(execFileSync('unzip', ['-t', zip], { encoding: 'utf8' }), /No errors detected/);
    }
  });

  test('the shared modules and DOMPurify are copied in, and every import of the built extension resolves inside it', () => {
    assert.ok(outputs.length === 2, 'built by the test above');
    for (const { browser, dir } of outputs) {
      for (const f of SHARED_FILES) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(ROOT, f))), `${browser}: ${f}`);
      for (const [from, to] of Object.entries(DOMPURIFY_FILES)) {
        assert.ok(readFileSync(join(dir, to)).equals(readFileSync(join(ROOT, 'node_modules/dompurify', from))), `${browser}: ${to}`);
      }
      const version = JSON.parse(readFileSync(join(ROOT, 'node_modules/dompurify/package.json'), 'utf8')).version;
      assert.equal(version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.dompurify, 'the pinned version is the one installed');
      assert.match(readFileSync(join(dir, 'vendor/dompurify/purify.es.mjs'), 'utf8').slice(0, 300), new RegExp(`@license DOMPurify ${version.replace(/\./g, '\\.')} `));
      assert.match(readFileSync(join(dir, 'vendor/dompurify/LICENSE'), 'utf8'), /Apache License/);
      assert.match(readFileSync(join(dir, 'vendor/dompurify/LICENSE-MPL'), 'utf8'), /Mozilla Public License/);
      // Each module specifier resolved as the browser does, from the file's extension URL
      // (`..` from the root stays at the root), must name a file of the build.
      const base = 'chrome-extension://id/';
      const scripts = [];
      const walk = (d, pre = '') => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name), `${pre}${e.name}/`);
          else if (/\.m?js$/.test(e.name)) scripts.push(`${pre}${e.name}`);
        }
      };
      walk(dir);
      let checked = 0;
      for (const file of scripts) {
        const text = readFileSync(join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        for (const [, spec] of text.matchAll(/(?:^|[;}])\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
          const url = new URL(spec, base + file);
          assert.ok(url.href.startsWith(base), `${browser}: ${file} imports ${spec} from outside`);
          assert.ok(existsSync(join(dir, decodeURIComponent(url.pathname))), `${browser}: ${file} imports ${spec}, not in the build (${url.pathname})`);
          checked += 1;
        }
      }
      assert.ok(checked > 30, `${browser}: ${checked} imports checked`);
      assert.ok(scripts.includes('vendor/dompurify/purify.es.mjs') && scripts.includes('common/constants.js') && scripts.includes('js/suggest.js'));
    }
  });

  test('web-ext lint: nothing in the extension; in DOMPurify, its one known warning and nothing else', async () => {
    const firefox = outputs.find((o) => o.browser === 'firefox');
    assert.ok(firefox, 'built by the test above');
    const lint = (ignoreFiles) => webExt.cmd.lint({ sourceDir: firefox.dir, output: 'none', boring: true, ignoreFiles }, { shouldExitProgram: false });
    const all = await lint([]);
    assert.deepEqual(all.summary, { errors: 0, notices: 0, warnings: 1 }, JSON.stringify(all.warnings));
    // DOMPurify parses with DOMParser; only where that fails does it fall back to an inert XML
    // document of its own (no browsing context) and set innerHTML there, which the linter
    // cannot tell from a page's innerHTML.
    const [w] = all.warnings;
    assert.deepEqual([w.code, w.file], ['UNSAFE_VAR_ASSIGNMENT', 'vendor/dompurify/purify.es.mjs']);
    const lines = readFileSync(join(firefox.dir, w.file), 'utf8').split('\n');
    assert.equal(lines[w.line - 1].trim(), 'doc.documentElement.innerHTML = IS_EMPTY_INPUT ? emptyHTML : dirtyPayload;');
    assert.match(lines.slice(w.line - 4, w.line - 1).join('\n'), /if \(!doc \|\| !doc\.documentElement\) \{\s*doc = implementation\.createDocument\(NAMESPACE, "template", null\);/);
    const ours = await lint(LINT_IGNORE);
    assert.deepEqual(ours.summary, { errors: 0, notices: 0, warnings: 0 });
  });

  test('the command line (node:util parseArgs)', () => {
    assert.deepEqual(parseCommandLine([]), { help: false, apiOrigins: [], outDir: undefined, browsers: undefined, zip: true, quiet: false });
    assert.deepEqual(
      parseCommandLine(['--api-origin', 'https://a.example', '--api-origin=https://b.example', '--browser', 'firefox', '--out-dir', 'x', '--no-zip', '--quiet']),
      { help: false, apiOrigins: ['https://a.example', 'https://b.example'], outDir: 'x', browsers: ['firefox'], zip: false, quiet: true },
    );
    assert.equal(parseCommandLine(['-h']).help, true);
    assert.throws(() => parseCommandLine(['--nope']), /Unknown option '--nope'.*see --help/);
    assert.throws(() => parseCommandLine(['--api-origin']), /argument missing/);
    assert.throws(() => parseCommandLine(['--browser', 'safari']), /--browser must be one of chrome, firefox/);
    assert.throws(() => parseCommandLine(['dist']), /positional/);
  });

  test('the CLI refuses unknown arguments and prints its usage', () => {
    assert.throws(() => execFileSync(process.execPath, [join(ROOT, 'scripts/build-extension.mjs'), '--nope'], { stdio: 'pipe' }), /Unknown option '--nope'/);
    const help = execFileSync(process.execPath, [join(ROOT, 'scripts/build-extension.mjs'), '--help'], { encoding: 'utf8' });
    assert.match(help, /--api-origin URL/);
    assert.match(help, /web-ext build/);
  });
});
