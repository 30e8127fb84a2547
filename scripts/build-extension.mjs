#!/usr/bin/env node
// Builds the browser extension: dist/chrome/ and dist/firefox/ from extension/ and the wasm
// package in pkg/, one manifest per browser, and a zip of each for its store.
//
//   node scripts/build-extension.mjs [--api-origin URL]... [--out-dir DIR] [--browser chrome|firefox]
//                                    [--no-zip] [--quiet]
//
//   --api-origin URL  the API origin the extension may fetch (host_permissions). Repeatable; the
//                     first one is also the default API base (URL + /lite). Default
//                     http://127.0.0.1:8787 (the local dev server); production: https://api.context.io
//   --out-dir DIR     default dist/
//
// The sources are copied as they are (plain ES modules, no bundler). The zips are written by
// this script with node:zlib, with fixed timestamps and sorted entries, so that the same
// inputs give the same bytes.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Firefox add-on id: stable, so storage and the moz-extension UUID survive reinstalls. */
export const GECKO_ID = 'contextio-signer@example.org';
/** Firefox ESR 140 is the oldest with `data_collection_permissions`; MV3 module event pages are older. */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';
/** Module service workers, 'wasm-unsafe-eval' and promise-based identity are all older. */
export const CHROME_MIN_VERSION = '120';
export const DEFAULT_API_ORIGIN = 'http://127.0.0.1:8787';
export const BROWSERS = Object.freeze(['chrome', 'firefox']);

/** Files of the wasm package the extension needs (the .d.ts documents the API next to it). */
const PKG_FILES = ['contextio_signer.js', 'contextio_signer_bg.wasm', 'contextio_signer.d.ts'];
/** Source files that are build inputs, not extension files. */
const NOT_COPIED = new Set(['manifest.base.json', 'README.md']);

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
 * Writes a zip of every file under `dir` (deflated, sorted, timestamps fixed at 1980-01-01).
 * @param {string} dir
 * @param {string} zipFile
 */
export function writeZip(dir, zipFile) {
  const local = [];
  const central = [];
  let offset = 0;
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const name of listFiles(dir)) {
    const data = readFileSync(join(dir, name));
    const packed = deflateRawSync(data, { level: 9 });
    const useDeflate = packed.length < data.length;
    const body = useDeflate ? packed : data;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(useDeflate ? 8 : 0, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    local.push(header, nameBytes, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x031e, 4); // made by: unix, 3.0
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(useDeflate ? 8 : 0, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt16LE(0, 30); // extra
    entry.writeUInt16LE(0, 32); // comment
    entry.writeUInt16LE(0, 34); // disk
    entry.writeUInt16LE(0, 36); // internal attributes
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += header.length + nameBytes.length + body.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const count = central.length / 2;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(zipFile, Buffer.concat([...local, ...central, end]));
}

/**
 * Builds the extension for each browser.
 * @param {object} [opts]
 * @param {string} [opts.outDir] Default dist/.
 * @param {string[]} [opts.apiOrigins] Default [DEFAULT_API_ORIGIN].
 * @param {string[]} [opts.browsers] Default both.
 * @param {boolean} [opts.zip] Default true.
 * @param {string} [opts.pkgDir] Default pkg/.
 * @returns {{outDir: string, outputs: Array<{browser: string, dir: string, zip: string | null}>}}
 */
export function buildExtension(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(ROOT, 'dist'));
  const pkgDir = resolve(opts.pkgDir ?? join(ROOT, 'pkg'));
  const srcDir = join(ROOT, 'extension');
  const missing = PKG_FILES.filter((f) => !existsSync(join(pkgDir, f)));
  if (missing.length) {
    throw new Error(`the wasm package is missing ${missing.join(', ')} in ${pkgDir}: run node scripts/build-pkg.mjs first`);
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
    mkdirSync(join(dir, 'pkg'), { recursive: true });
    for (const f of PKG_FILES) copyFileSync(join(pkgDir, f), join(dir, 'pkg', f));
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(browser, base, { hostPermissions }), null, 2)}\n`);
    let zip = null;
    if (opts.zip ?? true) {
      zip = join(outDir, `contextio-signer-${browser}.zip`);
      writeZip(dir, zip);
    }
    outputs.push({ browser, dir, zip });
  }
  return { outDir, outputs };
}

function parseArgs(argv) {
  const out = { apiOrigins: [], browsers: undefined, outDir: undefined, zip: true, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--api-origin') out.apiOrigins.push(value());
    else if (a === '--out-dir') out.outDir = value();
    else if (a === '--browser') (out.browsers ??= []).push(value());
    else if (a === '--no-zip') out.zip = false;
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  for (const b of out.browsers ?? []) if (!BROWSERS.includes(b)) throw new Error(`--browser must be one of ${BROWSERS.join(', ')}`);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const { outputs } = buildExtension(args);
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
