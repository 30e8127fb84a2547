#!/usr/bin/env node
// Builds the browser extension: dist/chrome/ and dist/firefox/ from extension/ and the wasm
// package in pkg/, one manifest per browser, and a zip of each for its store.
//
//   node scripts/build-extension.mjs [--api-origin URL]... [--out-dir DIR] [--browser chrome|firefox]...
//                                    [--no-zip] [--quiet]
//
//   --api-origin URL  the API origin the extension may always fetch (host_permissions). Repeatable;
//                     the first one is also the default API base (URL + /lite). Default
//                     http://127.0.0.1:8787 (the local dev server); production: https://api.context.io
//                     Any other http(s) server is granted at run time (optional_host_permissions).
//   --out-dir DIR     default dist/
//
// The sources are copied as they are (plain ES modules, no bundler), with the wasm package's two
// entries, the modules the extension shares with the rest of the repository and the one
// third-party module it ships:
//
//   pkg/contextio_signer.js, contextio_signer_bg.wasm            -> pkg/  (the signer)
//   pkg/diagnose.js, contextio_signer_diagnose_bg.wasm           -> pkg/  (contextio-signer/diagnose)
//   common/constants.js   -> common/constants.js   (shared with the server, the scripts, the tests)
//   js/suggest.js         -> js/suggest.js         (the did-you-mean rule, shared with the package)
//   node_modules/dompurify/dist/purify.es.mjs, LICENSE, LICENSE-MPL
//                         -> vendor/dompurify/     (the mail sanitizer; nothing is fetched at run time)
//
// Extension files import the shared modules by their repository paths (`../common/constants.js`
// from `extension/handlers.js`). In the source tree that is the repository's file, so Node loads
// the sources as they are; in the built extension the file sits at the same path under the
// extension's root, and `..` from the root resolves to the root (URL resolution:
// chrome-extension://ID/../common/constants.js is chrome-extension://ID/common/constants.js).
// One import, right in both places; the build test resolves every import of the built files.
//
// The zips are made by `web-ext build` (Mozilla's tool, a dev dependency), which checks the
// manifest on the way.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import webExt from 'web-ext';
import { consoleStream } from 'web-ext/util/logger';
import { GECKO_ID } from '../common/constants.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Firefox add-on id (from common/constants.js): stable, so storage and the moz-extension UUID survive reinstalls. */
export { GECKO_ID };
/** Firefox ESR 140 is the oldest with `data_collection_permissions`; MV3 module event pages are older. */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';
/** Module service workers, 'wasm-unsafe-eval' and promise-based identity are all older. */
export const CHROME_MIN_VERSION = '120';
export const DEFAULT_API_ORIGIN = 'http://127.0.0.1:8787';
export const BROWSERS = Object.freeze(['chrome', 'firefox']);

/**
 * Files of the wasm package the extension needs: each entry as a page or worker loads it (one
 * ES module, which imports nothing, and its .wasm) with its declarations (for the JSDoc types):
 * the signer, and `contextio-signer/diagnose`, which the background loads at the first refusal.
 * (Their source maps stay behind.)
 */
export const PKG_FILES = Object.freeze([
  'contextio_signer.js',
  'contextio_signer_bg.wasm',
  'contextio_signer.d.ts',
  'diagnose.js',
  'contextio_signer_diagnose_bg.wasm',
  'diagnose.d.ts',
]);
/** Source files that are build inputs, not extension files. */
const NOT_COPIED = new Set(['manifest.base.json', 'README.md']);
/**
 * Files from elsewhere in the repository, by their path in the repository and in the extension
 * (the same path: the extension imports them as `../<path>`, see the top of this file).
 */
export const SHARED_FILES = Object.freeze(['common/constants.js', 'js/suggest.js']);
/**
 * DOMPurify, copied from node_modules (a pinned dev dependency): the unminified ES module (what
 * `web-ext lint` and a store reviewer can read; its source map stays behind) and both licence
 * texts (it is offered under Apache-2.0 or MPL-2.0).
 */
export const DOMPURIFY_FILES = Object.freeze({
  'dist/purify.es.mjs': 'vendor/dompurify/purify.es.mjs',
  LICENSE: 'vendor/dompurify/LICENSE',
  'LICENSE-MPL': 'vendor/dompurify/LICENSE-MPL',
});
/**
 * What `web-ext lint` leaves out (`--ignore-files`): DOMPurify, unmodified, whose one warning
 * (UNSAFE_VAR_ASSIGNMENT: innerHTML on the inert document it falls back to where DOMParser
 * fails) the build test checks is the only finding in it.
 */
export const LINT_IGNORE = Object.freeze(['vendor/dompurify/purify.es.mjs']);

/**
 * The host permission match pattern of an API origin: `https://api.context.io` (a path or a
 * trailing `/*` is accepted and dropped) becomes `https://api.context.io/*`.
 * @param {string} text
 * @returns {string}
 */
export function matchPatternForOrigin(text) {
  const url = new URL(text.replace(/\/\*$/, '/'));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--api-origin must be http(s): ${text}`);
  if (url.username || url.password) throw new Error(`--api-origin must not contain credentials: ${text}`);
  return `${url.origin}/*`;
}

/**
 * The manifest for one browser.
 * @param {'chrome' | 'firefox'} browser
 * @param {object} base extension/manifest.base.json
 * @param {{hostPermissions: string[]}} opts
 * @returns {object}
 */
export function manifestFor(browser, base, { hostPermissions }) {
  const m = structuredClone(base);
  m.host_permissions = [...hostPermissions];
  if (browser === 'chrome') {
    m.background = { service_worker: 'background.js', type: 'module' };
    m.minimum_chrome_version = CHROME_MIN_VERSION;
  } else if (browser === 'firefox') {
    m.background = { scripts: ['background.js'], type: 'module' };
    m.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the browser except the API requests the person makes.
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android reads data_collection_permissions from 142 on. It has no
      // identity.launchWebAuthFlow: the background watches a tab for the connect callback there.
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    };
  } else {
    throw new Error(`unknown browser ${browser}`);
  }
  return m;
}

/** @param {string} dir @returns {string[]} Relative paths of all files, sorted. */
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Zips `dir` into `zipFile` with `web-ext build` (every file of the directory; the manifest is
 * validated first). Entry order and timestamps are web-ext's: the zip is not byte-reproducible,
 * its contents are.
 * @param {string} dir
 * @param {string} zipFile
 */
export async function zipWithWebExt(dir, zipFile) {
  // web-ext logs each step; keep its lines for a failure and print this script's summary instead.
  consoleStream.startCapturing();
  try {
    const { extensionPath } = await webExt.cmd.build(
      { sourceDir: dir, artifactsDir: dirname(zipFile), filename: basename(zipFile), overwriteDest: true },
      { showReadyMessage: false, shouldExitProgram: false },
    );
    return extensionPath;
  } catch (e) {
    consoleStream.flushCapturedLogs({ localProcess: { stdout: process.stderr } });
    throw e;
  } finally {
    consoleStream.stopCapturing();
  }
}

/**
 * Builds the extension for each browser.
 * @param {object} [opts]
 * @param {string} [opts.outDir] Default dist/.
 * @param {string[]} [opts.apiOrigins] Default [DEFAULT_API_ORIGIN].
 * @param {string[]} [opts.browsers] Default both.
 * @param {boolean} [opts.zip] Default true.
 * @param {string} [opts.pkgDir] Default pkg/.
 * @returns {Promise<{outDir: string, outputs: Array<{browser: string, dir: string, zip: string | null}>}>}
 */
export async function buildExtension(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(ROOT, 'dist'));
  const pkgDir = resolve(opts.pkgDir ?? join(ROOT, 'pkg'));
  const srcDir = join(ROOT, 'extension');
  const purifyDir = join(ROOT, 'node_modules/dompurify');
  const missing = PKG_FILES.filter((f) => !existsSync(join(pkgDir, f)));
  if (missing.length) {
    throw new Error(`the wasm package is missing ${missing.join(', ')} in ${pkgDir}: run node scripts/build-pkg.mjs first`);
  }
  const missingPurify = Object.keys(DOMPURIFY_FILES).filter((f) => !existsSync(join(purifyDir, f)));
  if (missingPurify.length) {
    throw new Error(`DOMPurify is missing ${missingPurify.join(', ')} in ${purifyDir}: run npm ci first`);
  }
  const hostPermissions = [...new Set((opts.apiOrigins?.length ? opts.apiOrigins : [DEFAULT_API_ORIGIN]).map(matchPatternForOrigin))];
  const base = JSON.parse(readFileSync(join(srcDir, 'manifest.base.json'), 'utf8'));
  const outputs = [];
  for (const browser of opts.browsers ?? BROWSERS) {
    const dir = join(outDir, browser);
    rmSync(dir, { recursive: true, force: true });
    for (const file of listFiles(srcDir)) {
      if (NOT_COPIED.has(file)) continue;
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(srcDir, file), join(dir, file));
    }
    const copies = [
      ...PKG_FILES.map((f) => [join(pkgDir, f), `pkg/${f}`]),
      ...SHARED_FILES.map((f) => [join(ROOT, f), f]),
      ...Object.entries(DOMPURIFY_FILES).map(([from, to]) => [join(purifyDir, from), to]),
    ];
    for (const [from, to] of copies) {
      mkdirSync(dirname(join(dir, to)), { recursive: true });
      copyFileSync(from, join(dir, to));
    }
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(browser, base, { hostPermissions }), null, 2)}\n`);
    let zip = null;
    if (opts.zip ?? true) {
      zip = join(outDir, `contextio-signer-${browser}.zip`);
      await zipWithWebExt(dir, zip);
    }
    outputs.push({ browser, dir, zip });
  }
  return { outDir, outputs };
}

/** Usage text: the comment block at the top of this file. */
function usage() {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const end = lines.findIndex((l, i) => i > 0 && !l.startsWith('//'));
  return lines.slice(1, end).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n';
}

/**
 * The command line, read with node:util parseArgs (strict: an unknown option or a missing value
 * is an error).
 * @param {string[]} argv
 */
export function parseCommandLine(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'api-origin': { type: 'string', multiple: true },
        'out-dir': { type: 'string' },
        browser: { type: 'string', multiple: true },
        'no-zip': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new Error(`${e.message} (see --help)`);
  }
  for (const b of values.browser ?? []) if (!BROWSERS.includes(b)) throw new Error(`--browser must be one of ${BROWSERS.join(', ')}`);
  return {
    help: values.help,
    apiOrigins: values['api-origin'] ?? [],
    outDir: values['out-dir'],
    browsers: values.browser,
    zip: !values['no-zip'],
    quiet: values.quiet,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const args = parseCommandLine(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(usage());
      process.exit(0);
    }
    const { outputs } = await buildExtension(args);
    if (!args.quiet) {
      for (const o of outputs) {
        const size = o.zip ? ` (${(statSync(o.zip).size / 1024).toFixed(1)} KiB zip: ${relative(process.cwd(), o.zip)})` : '';
        process.stdout.write(`built ${relative(process.cwd(), o.dir) || '.'}${size}\n`);
      }
    }
  } catch (e) {
    process.stderr.write(`build-extension: ${e.message}\n`);
    process.exit(1);
  }
}
