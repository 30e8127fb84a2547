// The printed report: plain-text tables from the JSON that bench/run.mjs writes, and the
// targets of issue 9 checked against it, next to the same figures of a run of the code before
// issue 9 (target/bench/before.json, written by the old commit's own benchmark).
//
// Every ratio is the median of per-round ratios (bench/lib/timing.mjs, `ratioStats`): the two
// contenders ran in the same rounds, and the ratio of their times per call in each round is
// one sample; the table prints the median and the interquartile range (q1–q3) of those
// samples. The one exception is the Rust core natively against this package in Node, two
// processes that never share a round: that cell is the ratio of the two medians, marked †.
import { ratioStats } from './timing.mjs';

/** Contender rows in Node: id -> label (native comes from cargo bench). HMAC-SHA1. */
export const NODE_ROWS = {
  ours: 'this package (wasm)',
  'ours-own-nonce': '  same, own nonce and clock',
  'before-ours': '  the before package (--before-pkg)',
  native: 'Rust core natively (cargo bench)',
  'oauth-1.0a+crypto-js': 'oauth-1.0a + crypto-js',
  'oauth-1.0a+node:crypto': 'oauth-1.0a + node:crypto',
  'oauth-1.0a+noble': 'oauth-1.0a + @noble/hashes',
  'oauth-sign': 'oauth-sign (node:crypto)',
  postman: "Postman's node-oauth1 (node:crypto)",
  webcrypto: 'WebCrypto (crypto.subtle, async)',
  lean: 'lean signer on node:crypto',
  'oauth1-request': 'oauth1-request crate → wasm',
};

/** Contender rows in Chromium (HMAC-SHA1). A page has no node:crypto: the lean signer uses noble. */
export const CHROMIUM_ROWS = {
  ours: 'this package (wasm)',
  'ours-own-nonce': '  same, own nonce and clock',
  'before-ours': '  the before package (--before-pkg)',
  'oauth-1.0a+crypto-js': 'oauth-1.0a + crypto-js',
  'oauth-1.0a+noble': 'oauth-1.0a + @noble/hashes',
  webcrypto: 'WebCrypto (crypto.subtle, async)',
  lean: 'lean signer on @noble/hashes',
  'oauth1-request': 'oauth1-request crate → wasm',
};

/** HMAC-SHA256 rows in Node: their × ours is against this package's HMAC-SHA256. */
export const NODE_SHA256_ROWS = {
  'ours-sha256': 'this package (wasm)',
  'oauth-sign-sha256': 'oauth-sign hmacsign256 (node:crypto)',
  'oauth-1.0a+noble-sha256': 'oauth-1.0a + @noble/hashes sha256',
  'lean-sha256': 'lean signer on node:crypto',
};

/** HMAC-SHA256 rows in Chromium. */
export const CHROMIUM_SHA256_ROWS = {
  'ours-sha256': 'this package (wasm)',
  'oauth-1.0a+noble-sha256': 'oauth-1.0a + @noble/hashes sha256',
  'lean-sha256': 'lean signer on @noble/hashes',
};

/**
 * The targets of the signature methods, named by what they bound: the page weight with all
 * four methods, and the HMAC-SHA1 signatures no slower than the build before them (this
 * package ÷ the --before-pkg build, timed in the same rounds, per request).
 */
const METHOD_LIMITS = { pageGzip: 35_000, sha1NoSlower: 1.05 };

/**
 * Bounds not judged yet (the next targets, for the wrapper of oauth1-request and the lean
 * signer): printed with this run's figure. Each: [label, request, contender, bound (≥)].
 */
/** Issue 24's targets ("fastest again"), judged PASS or MISS. */
const SPEED_LIMITS = {
  oauth1Request: 1.15,
  lean: 2.5,
  leanLarge: 1.5,
  nativeCrate: 1.15,
  nativeCrateUrl: 1,
  nodeFloor: 2.2,
  chromiumFloor: 2,
  // No heavier than the signature methods (issue 22) left the page: 38,180 B at its landing.
  pageGzip: 38_180,
  coldChromiumMs: 5,
};

/** Issue 15's targets (issue 9's, with the floors it set after issue 9). */
const LIMITS = {
  pageGzip: 20_000,
  pageGzipStretch: 12_000,
  nodeFloor: 3,
  chromiumFloor: 2.5,
  cryptoJs: 12,
  oauthSign: 3,
  nativeFloor: 4,
  coldChromiumMs: 5,
  // "No worse" than the run before issue 9: cold starts are single-digit milliseconds whose
  // medians move by a few percent between two runs, so a median up to 10% above counts as equal.
  noWorse: 1.1,
  // Besides a linear memory and an externref table that do not grow, the JS heap may move by
  // less than this after a full GC (V8's own caches).
  heapGrowth: 1 << 20,
};

/** Issue 9's own "now" column, for a report printed without a before run. */
/** Issue 15's "now" column (from one run of the old method), for a run with no before report. */
const ISSUE_BEFORE = {
  pageGzip: '39,146 B',
  nodeFloor: '3.60×',
  chromiumFloor: '2.94×',
  cryptoJs: '13.7×',
  oauthSign: '3.25×',
  nativeFloor: '5.55×',
  hmac: 'yes',
  coldChromium: '2.48 ms',
  coldNode: '–',
  memory: '+0 B',
};

const us = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const pct = (x) => (x == null ? '' : `${x < 10 ? x.toFixed(1) : x.toFixed(0)}%`);
const times = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`);
const ms = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const iqr = (s) => (s == null || !s.perRound ? '' : `${num(s.q1)}–${num(s.q3)}`);
const num = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const bytes = (n) => (n == null ? '–' : `${n.toLocaleString('en')} B`);
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const signed = (n, f) => (n >= 0 ? '+' : '−') + f(Math.abs(n));

/**
 * A table: `head` rows and body rows of cells. `align` gives each column's alignment ('l' or
 * 'r'); by default the first column is left-aligned and the others right-aligned. A head cell
 * `{span, text}` spans columns. A row `null` is a blank line.
 */
function table(head, body, { indent = '  ', align = 'lr' } = {}) {
  const left = (i) => (align[i] ?? align[align.length - 1]) === 'l';
  const n = Math.max(...[...head, ...body].filter(Boolean).map((r) => r.reduce((k, c) => k + (c?.span ?? 1), 0)));
  const w = Array(n).fill(0);
  for (const r of body.concat(head)) {
    if (!r) continue;
    let i = 0;
    for (const c of r) {
      if (typeof c === 'object' && c) i += c.span;
      else w[i] = Math.max(w[i], String(c).length), i++;
    }
  }
  const line = (r) => {
    if (!r) return '';
    let i = 0;
    const cells = [];
    for (const c of r) {
      if (typeof c === 'object' && c) {
        const width = w.slice(i, i + c.span).reduce((a, b) => a + b, 0) + 2 * (c.span - 1);
        cells.push(c.text.padEnd(width));
        i += c.span;
      } else {
        cells.push(left(i) ? String(c).padEnd(w[i]) : String(c).padStart(w[i]));
        i++;
      }
    }
    return (indent + cells.join('  ')).trimEnd();
  };
  return [...head, ...body].map(line).join('\n');
}

/**
 * Every ratio the report prints, computed per round (see the top of this file), as
 * `{median, q1, q3, min, max, n, perRound}`: in Node and Chromium each contender ÷ this
 * package per request, and sign ÷ floor in Node, Chromium and natively.
 */
export function ratios(r) {
  const env = (speed, rows, ref = 'ours') => speed && Object.fromEntries(Object.entries(speed).map(([req, res]) => [req,
    Object.fromEntries(Object.keys(rows).filter((id) => res[id] && res[ref]).map((id) => [id, ratioStats(res[id], res[ref])]))]));
  // This package ÷ the before package (--before-pkg), in the same rounds: the HMAC-SHA1 target.
  const before = (speed) => speed && Object.fromEntries(Object.entries(speed)
    .filter(([, res]) => res['before-ours']).map(([req, res]) => [req, ratioStats(res.ours, res['before-ours'])]));
  const node = env(r.speed.node, NODE_ROWS);
  // Another process, never in the same round: the ratio of the medians (perRound false).
  for (const req of Object.keys(node)) node[req].native = ratioStats(r.speed.native[req].sign, r.speed.node[req].ours, { paired: false });
  const floor = (speed, id = 'floor') => speed && Object.fromEntries(Object.entries(speed)
    .filter(([, res]) => res[id]).map(([req, res]) => [req, ratioStats(res['bench-ours'], res[id])]));
  return {
    node,
    chromium: env(r.speed.chromium, CHROMIUM_ROWS),
    nodeSha256: env(r.speed.node, NODE_SHA256_ROWS, 'ours-sha256'),
    chromiumSha256: env(r.speed.chromium, CHROMIUM_SHA256_ROWS, 'ours-sha256'),
    before: { node: before(r.speed.node), chromium: before(r.speed.chromium) },
    floor: {
      node: floor(r.speed.node),
      chromium: floor(r.speed.chromium),
      // The floor through the input area (bench/lib/floor.mjs), when the run measured it.
      nodeArea: floor(r.speed.node, 'floor-area'),
      chromiumArea: floor(r.speed.chromium, 'floor-area'),
      native: Object.fromEntries(Object.entries(r.speed.native).map(([req, res]) => [req, ratioStats(res.sign, res.floor)])),
    },
  };
}

/**
 * The speed table of one environment: µs and its spread, and the ratio to this package with
 * its interquartile range, per request.
 */
function speedTable(fx, rows, get, ratio, { ref = 'ours', skipped = () => null, unavailable = {} } = {}) {
  const head = [
    ['', ...fx.requests.map((r) => ({ span: 4, text: r.title }))],
    ['contender', ...fx.requests.flatMap(() => ['µs', '±', '× ours', 'q1–q3'])],
  ];
  // A row that ran nowhere (the before package without --before-pkg) is left out; one that
  // could not run says so; a request a contender cannot sign right is marked n/a¹.
  const present = ([id]) => id === 'native' || id === ref || unavailable[id]
    || fx.requests.some((r) => get(r.id, id) || skipped(r.id, id));
  const body = Object.entries(rows).filter(present).map(([id, label]) => {
    if (unavailable[id]) return [label, { span: 4 * fx.requests.length, text: `not available: ${unavailable[id]}` }];
    return [
      label,
      ...fx.requests.flatMap((r) => {
        const s = get(r.id, id);
        if (!s && skipped(r.id, id)) return ['n/a¹', '', '', ''];
        const x = id === ref ? null : ratio(r.id, id);
        const cell = id === ref ? (s ? '1' : '–') : x ? `${times(x.median)}${x.perRound ? '' : '†'}` : '–';
        return [us(s?.median), pct(s?.spreadPct), cell, iqr(x)];
      }),
    ];
  });
  return table(head, body);
}

/** The footnote of the n/a¹ cells: who skipped which request, why, and what it signed there. */
function skippedNote(fx, skipped) {
  const lines = [];
  for (const r of fx.requests) {
    for (const [id, s] of Object.entries(skipped?.[r.id] ?? {})) {
      lines.push(`  ¹ ${id}, ${r.id}: not timed: it ${s.reason}; there it signed ${s.signature}, ${s.matches ? 'the right signature after all' : 'not the right signature (checked)'}`);
    }
  }
  return lines;
}

function floorTable(report, fx) {
  const head = [
    ['', ...fx.requests.map((r) => ({ span: 2, text: r.title }))],
    ['', ...fx.requests.flatMap(() => ['µs', '±'])],
  ];
  const body = [];
  const add = (label, get) => body.push([label, ...fx.requests.flatMap((r) => { const s = get(r.id); return [us(s?.median), pct(s?.spreadPct)]; })]);
  // A ratio's row: its median in the µs column, its interquartile range (q1–q3) in the ± one.
  const ratio = (label, get) => body.push([label, ...fx.requests.flatMap((r) => { const x = get(r.id); return [times(x?.median), iqr(x)]; })]);
  const q = ratios(report).floor;
  for (const [env, speed, rs, area] of [['Node', report.speed.node, q.node, q.nodeArea], ['Chromium', report.speed.chromium, q.chromium, q.chromiumArea]]) {
    if (!speed) continue;
    add(`${env}: bench build's signRequest`, (id) => speed[id]['bench-ours']);
    add(`${env}: BenchHmac.sign (the floor)`, (id) => speed[id].floor);
    ratio(`${env}: sign ÷ floor (median, q1–q3)`, (id) => rs[id]);
    if (area && Object.keys(area).length) {
      add(`${env}: BenchHmac.signArea (input area)`, (id) => speed[id]['floor-area']);
      ratio(`${env}: sign ÷ that floor`, (id) => area[id]);
    }
    body.push(null);
  }
  add('native: Signer::sign', (id) => report.speed.native[id].sign);
  add('native: SigningKey::sign (the floor)', (id) => report.speed.native[id].floor);
  ratio('native: sign ÷ floor (median, q1–q3)', (id) => q.native[id]);
  return table(head, body);
}

function coldTable(report) {
  const body = [];
  const add = (label, s) => s && body.push([label, ms(s.median), `${ms(s.min)}–${ms(s.max)}`]);
  const n = report.cold.node;
  add('Node (fresh process): read the .wasm', n.readMs);
  add("Node: JS import (the package's JS modules)", n.glueMs);
  add('Node: compile (new WebAssembly.Module)', n.compileMs);
  add('Node: instantiate (initSync)', n.instantiateMs);
  add('Node: read + JS + compile + instantiate (importing node.js)', n.totalMs);
  add('Node: first new Signer', n.firstSignerMs);
  add('Node: first signature (given nonce and timestamp)', n.firstSignatureMs);
  add('Node: first signature with own nonce', n.firstOwnNonceMs);
  const c = report.cold.chromium;
  if (c) {
    body.push(null);
    add("Chromium (fresh context): JS import (the package's JS modules)", c.stream.glueMs);
    add('Chromium: await init() (fetch + streaming compile + instantiate)', c.stream.initMs);
    add('  of which the download (resource timing)', c.stream.fetchMs);
    add('  after the last byte (compile end + instantiate)', c.stream.afterLastByteMs);
    add('Chromium: init from bytes (compile + instantiate)', c.bytes.initMs);
    add('Chromium: first new Signer', c.stream.firstSignerMs);
    add('Chromium: first signature (given nonce and timestamp)', c.stream.firstSignatureMs);
    add('Chromium: first signature with own nonce', c.stream.firstOwnNonceMs);
  }
  // With --before-pkg: the other package's cold starts, taken in the same pairs, and the median
  // of the per-pair ratios (the "no worse" targets judge these).
  const nb = n.before;
  const cb = c?.bytes.before;
  if (nb || cb) body.push(null);
  const pair = (label, b, x) => b && x && body.push([label, ms(b.median), `${ms(b.min)}–${ms(b.max)}`],
    ['  this package ÷ before, per pair (median, min–max)', times(x.median), `${times(x.min)}–${times(x.max)}`]);
  pair('before package (--before-pkg), Node: read + JS + compile + instantiate', nb?.totalMs, nb?.pairRatio);
  pair('before package, Chromium: init from bytes (compile + instantiate)', cb?.initMs, cb?.pairRatio);
  return table([['', 'ms (median)', 'min–max']], body);
}

function verifyTable(fx, v) {
  const perSecond = (x) => Math.round(1e6 / x).toLocaleString('en');
  return table(
    [['request', 'sign µs', '±', 'signatures/s', 'verify µs', '±', 'verifications/s', 'verify ÷ sign']],
    fx.requests.map((req) => {
      const q = v[req.id];
      return [req.id, us(q.sign), pct(q.signSpread), perSecond(q.sign), us(q.verify), pct(q.verifySpread), perSecond(q.verify), times(q.verify / q.sign)];
    }),
    { align: 'lrrrrrrr' },
  );
}

function memoryTable(m) {
  const [a, b] = m.after;
  const row = (label, k, f) => [label, f(a[k]), f(b[k]), signed(b[k] - a[k], f)];
  const count = (n) => n.toLocaleString('en');
  return table(
    [['', `after ${count(a.signatures)}`, `after ${count(b.signatures)}`, 'change']],
    [
      row('rss', 'rss', mib),
      row('heapUsed', 'heapUsed', mib),
      row('external (ArrayBuffers, wasm memory)', 'external', mib),
      row('wasm linear memory', 'wasmMemory', bytes),
      ...(a.externrefTable == null ? [] : [row('externref table (slots)', 'externrefTable', count)]),
    ],
  );
}

function sizeTable(s) {
  const row = (label, x) => [label, bytes(x.raw), bytes(x.gzip), bytes(x.brotli)];
  return table(
    [['', '', 'raw', 'gzip -9', 'brotli']],
    [
      ...s.files.map((f) => [f.name, f.role ? `(${f.role})` : '', bytes(f.raw), bytes(f.gzip), bytes(f.brotli),
        f.page ? '· a page loads it' : f.diagnose ? '· only with contextio-signer/diagnose' : f.verify ? '· only with contextio-signer/verify' : '']),
      null,
      ['what a page loads', `(${s.page.files.length} files, each compressed alone)`, bytes(s.page.raw), bytes(s.page.gzip), bytes(s.page.brotli)],
      ...(s.diagnose ? [['what the diagnose entry adds', `(${s.diagnose.files.length} files, only for those who import it)`, bytes(s.diagnose.raw), bytes(s.diagnose.gzip), bytes(s.diagnose.brotli)]] : []),
      ...(s.verify ? [['what the verify entry loads', `(${s.verify.files.length} files, apart: a page that signs loads none)`, bytes(s.verify.raw), bytes(s.verify.gzip), bytes(s.verify.brotli)]] : []),
    ],
    { align: 'llrrrl' },
  );
}

function twiggyTable(t) {
  const { preOpt, shipped } = t;
  const share = (n, total) => `${((n / total) * 100).toFixed(1)}%`;
  const after = new Map(shipped.groups.map((g) => [g.group, g]));
  const names = [...preOpt.groups.map((g) => g.group), ...shipped.groups.map((g) => g.group).filter((g) => !preOpt.groups.some((p) => p.group === g))];
  const rows = names.map((name) => {
    const b = preOpt.groups.find((g) => g.group === name);
    const a = after.get(name);
    return [name, b ? bytes(b.bytes) : '–', b ? share(b.bytes, preOpt.total) : '', b ? String(b.items) : '', a ? bytes(a.bytes) : '–', a ? share(a.bytes, shipped.total) : '', a ? String(a.items) : ''];
  });
  const top = (list, total) => list.map((x) => [x.name.length > 80 ? x.name.slice(0, 79) + '…' : x.name, bytes(x.bytes), share(x.bytes, total)]);
  return [
    table(
      [['', { span: 3, text: 'before wasm-opt' }, { span: 3, text: 'shipped (after wasm-opt)' }], ['crate / part', 'bytes', 'share', 'items', 'bytes', 'share', 'items']],
      [...rows, ['total', bytes(preOpt.total), '100%', '', bytes(shipped.total), '100%', '']],
    ),
    '',
    '  largest items before wasm-opt (one per Rust function)',
    table([], top(preOpt.top, preOpt.total), { indent: '    ' }),
    '',
    '  largest items shipped (wasm-opt -Oz has inlined single-caller functions into these)',
    table([], top(shipped.top, shipped.total), { indent: '    ' }),
  ].join('\n');
}

/**
 * What each signature method costs: the probe's builds that differ by one method
 * (method-cost.mjs: gzip -9 and raw bytes added), and the bytes named after each method in the
 * package's own module (sizes.mjs `methodOf`, twiggy: a lower bound, since LLVM inlines a
 * method's HMAC code into the signer's functions).
 */
function methodTable(size, t) {
  const mc = size.methodCost;
  const named = (n, which) => (which?.methods?.[n] ? bytes(which.methods[n].bytes) : '–');
  const probe = (n) => mc?.methods?.find((m) => m.method === n);
  const rows = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'HMAC-SHA256 and HMAC-SHA512'].map((n) => {
    const p = probe(n);
    return [n, p ? signed(p.gzip, bytes) : '–', p ? signed(p.raw, bytes) : '–', p ? `over ${p.over === 'none' ? 'no method' : 'HMAC-SHA1 alone'}` : '',
      n.includes(' and ') ? '' : named(n, t?.preOpt), n.includes(' and ') ? '' : named(n, t?.shipped)];
  });
  rows.push(['PLAINTEXT', '–', '–', 'no hash: a few lines of contextio_signer', '', '']);
  const out = [
    table([['', { span: 3, text: 'probe: builds that differ by one method' }, { span: 2, text: 'named in the package (twiggy)' }],
      ['method', 'gzip -9', 'raw', '', 'before wasm-opt', 'shipped']], rows, { align: 'lrrlrr' }),
  ];
  if (mc?.error) out.push(`  (no probe figures: ${mc.error})`);
  out.push(
    '  The probe (bench/method-cost/) is a bare no_std module of RustCrypto\'s HMAC over the hashes its features turn',
    '  on, built as the package is (its release profile and LLVM flags, wasm-opt -Oz), since no build of the package',
    `  leaves a method out${mc?.settings ? `: ${[...mc.settings.optLevels, mc.settings.rustflags].join(' ')}` : ''}.`,
    '  "Named in the package": the code bytes whose names are a method\'s (its compress function, generics over',
    '  its hash): a lower bound, since LLVM inlines the rest of that method\'s HMAC into the signer\'s functions.',
    '  SHA-256\'s and SHA-512\'s round constants (256 B, 640 B) are data: in the probe\'s figures, not among the names.',
  );
  return out.join('\n');
}

/** The targets of the signature methods (METHOD_LIMITS). */
export function methodTargets(r) {
  const q = ratios(r);
  const t = [];
  const page = r.size.page.gzip;
  t.push({
    id: 'pageWeight',
    name: 'page weight (what a page loads, gzipped -9, all four methods)',
    target: `≤ ${bytes(METHOD_LIMITS.pageGzip)}`,
    value: page,
    text: bytes(page),
    pass: page <= METHOD_LIMITS.pageGzip,
  });
  for (const [env, label] of [['node', 'Node'], ['chromium', 'Chromium']]) {
    if (env === 'chromium' && !r.speed.chromium) continue;
    for (const req of Object.keys(r.speed[env])) {
      const x = q.before[env]?.[req];
      t.push({
        id: `sha1NoSlower.${env}.${req}`,
        name: `${label}, ${req}, HMAC-SHA1: this package ÷ the before package, same rounds`,
        target: `≤ ${times(METHOD_LIMITS.sha1NoSlower)} (within 5%)`,
        value: x?.median ?? null,
        // Three decimals: the bound is 1.05, and 1.052 printed as 1.05× would read as a pass.
        text: x ? `${x.median.toFixed(3)}× (${iqr(x)})` : 'not measured (no --before-pkg)',
        pass: x ? x.median <= METHOD_LIMITS.sha1NoSlower : null,
      });
    }
  }
  return t;
}

/** Issue 24's targets (SPEED_LIMITS), each PASS, MISS or SKIP (not measured in this run). */
export function speedTargets(r) {
  const q = ratios(r);
  const f = figures(r);
  const t = [];
  const ratio = (name, x, bound, atLeast = true) => t.push({
    name,
    target: `${atLeast ? '≥' : '≤'} ${times(bound)}`,
    value: x?.median ?? null,
    text: x ? `${times(x.median)}${x.perRound ? ` (${iqr(x)})` : ''}` : 'not measured',
    pass: x ? (atLeast ? x.median >= bound : x.median <= bound) : null,
  });
  for (const [env, label] of [['node', 'Node'], ['chromium', 'Chromium']]) {
    for (const [req, what] of [['listing', 'listing'], ['new-user', 'new user']]) {
      ratio(`${label}, ${what}: oauth1-request→wasm ÷ this package`, q[env]?.[req]?.['oauth1-request'], SPEED_LIMITS.oauth1Request);
    }
  }
  ratio('Node, listing: lean signer on node:crypto ÷ this package', q.node.listing?.lean, SPEED_LIMITS.lean);
  ratio('Node, large: lean signer on node:crypto ÷ this package', q.node.large?.lean, SPEED_LIMITS.leanLarge);
  // Natively, in the same runs of benches/native.rs (one round of each per run).
  const nat = r.speed.native.listing;
  ratio('native, listing, query as pairs: oauth1-request (header only) ÷ Signer::sign',
    nat.oauth1Request && ratioStats(nat.oauth1Request, nat.sign), SPEED_LIMITS.nativeCrate);
  ratio('native, listing, query in the URL: oauth1-request (given the pairs) ÷ Signer::sign',
    nat.oauth1Request && nat.signUrlQuery && ratioStats(nat.oauth1Request, nat.signUrlQuery), SPEED_LIMITS.nativeCrateUrl);
  ratio('Node, listing: sign ÷ floor', f.spread.nodeFloor, SPEED_LIMITS.nodeFloor, false);
  ratio('Chromium, listing: sign ÷ floor', f.spread.chromiumFloor, SPEED_LIMITS.chromiumFloor, false);
  const page = r.size.page.gzip;
  t.push({ name: 'page weight (what a page loads, gzipped -9)', target: `≤ ${bytes(SPEED_LIMITS.pageGzip)} (issue 22's)`, value: page, text: bytes(page), pass: page <= SPEED_LIMITS.pageGzip });
  const cold = f.coldChromium;
  t.push({ name: 'cold start, Chromium: compile + instantiate (from bytes)', target: `< ${SPEED_LIMITS.coldChromiumMs} ms`, value: cold, text: cold == null ? 'not measured' : `${ms(cold)} ms`, pass: cold == null ? null : cold < SPEED_LIMITS.coldChromiumMs });
  const m = f.memory;
  t.push({ name: `memory after ${m.signatures.toLocaleString('en')} signatures (wasm memory)`, target: '+0 B', value: m.wasm, text: memoryText(m), pass: m.wasm === 0 && (m.externrefs ?? 0) === 0 && m.heap < LIMITS.heapGrowth });
  return t;
}

function profileTable(p) {
  const out = [];
  for (const [id, r] of Object.entries(p)) {
    out.push(`  ${id}: ${r.samples.toLocaleString('en')} samples over ${r.signatures.toLocaleString('en')} signatures (target/bench/profile-${id}.cpuprofile)`);
    out.push(table([], r.groups.filter((g) => g.pct >= 0.5).map((g) => [`${g.pct.toFixed(1)}%`, g.name]), { indent: '      ', align: 'rl' }));
    out.push('    top functions (self time)');
    out.push(table([], r.functions.slice(0, 12).map((f) => [`${f.pct.toFixed(1)}%`, f.name.length > 100 ? f.name.slice(0, 99) + '…' : f.name]), { indent: '      ', align: 'rl' }));
  }
  return out.join('\n');
}

/**
 * Issue 9's figures from a report: this benchmark's, or one written by the benchmark before
 * issue 9 (the same fields, but the size of the two files a page loaded then in `size.web`).
 * A figure the report lacks (Chromium skipped) is null.
 */
export function figures(r) {
  // Per-round medians (ratioStats), their interquartile ranges in `spread`.
  const spread = {};
  const ratio = (a, b, id) => {
    const x = a && b ? ratioStats(a, b) : null;
    if (x) spread[id] = x;
    return x ? x.median : null;
  };
  const node = r.speed.node.listing;
  const ch = r.speed.chromium?.listing;
  const nat = r.speed.native.listing;
  const [a, b] = r.memory.after;
  return {
    pageGzip: r.size.page?.gzip ?? r.size.web?.gzip ?? null,
    nodeFloor: ratio(node['bench-ours'], node.floor, 'nodeFloor'),
    chromiumFloor: ch ? ratio(ch['bench-ours'], ch.floor, 'chromiumFloor') : null,
    cryptoJs: ratio(node['oauth-1.0a+crypto-js'], node.ours, 'cryptoJs'),
    oauthSign: ratio(node['oauth-sign'], node.ours, 'oauthSign'),
    nativeFloor: ratio(nat.sign, nat.floor, 'nativeFloor'),
    handHmac: r.handHmac ?? null,
    coldChromium: r.cold.chromium?.bytes.initMs.median ?? null,
    coldNode: r.cold.node.totalMs?.median ?? null,
    // With --before-pkg: the median per-pair ratio to the other package, timed interleaved.
    coldChromiumPair: r.cold.chromium?.bytes.before?.pairRatio.median ?? null,
    coldNodePair: r.cold.node.before?.pairRatio.median ?? null,
    memory: {
      signatures: b.signatures,
      wasm: b.wasmMemory - a.wasmMemory,
      heap: b.heapUsed - a.heapUsed,
      externrefs: a.externrefTable == null ? null : b.externrefTable - a.externrefTable,
    },
    spread,
  };
}

const memoryText = (m) => `${signed(m.wasm, bytes)}, heap ${signed(m.heap, (n) => `${(n / 1024).toFixed(0)} KiB`)}`;

/**
 * Issue 9's targets, checked: one row per line of its table, with the same figure of the run
 * before issue 9 when there is one (else issue 9's own figure, from another run, marked *).
 * @param {any} r this run's report
 * @param {any} [before] the report of the run before issue 9
 */
export function targets(r, before) {
  const now = figures(r);
  const then = before ? figures(before) : null;
  const t = [];
  // A ratio's interquartile range after it, in this run's column.
  const withSpread = (id, text) => (now.spread[id]?.perRound ? `${text} (${iqr(now.spread[id])})` : text);
  const add = (id, name, target, value, fmtValue, pass) => t.push({
    id,
    name,
    target,
    value,
    text: value == null ? 'not measured' : withSpread(id, fmtValue(value)),
    before: then ? (then[id] == null ? '–' : fmtValue(then[id])) : `${ISSUE_BEFORE[id]}*`,
    pass: value == null ? null : pass(value),
  });
  const js = r.size.page.files.filter((f) => !f.endsWith('.wasm')).length;
  add('pageGzip', `what a page loads, gzipped -9 (the .wasm + ${js} JS file${js === 1 ? '' : 's'})`, `≤ ${bytes(LIMITS.pageGzip)} (stretch ≤ ${bytes(LIMITS.pageGzipStretch)})`,
    now.pageGzip, (n) => bytes(n) + (n <= LIMITS.pageGzipStretch ? ' (stretch met)' : ''), (n) => n <= LIMITS.pageGzip);
  add('nodeFloor', 'Node, listing: sign ÷ floor (bare HMAC, same build)', `≤ ${LIMITS.nodeFloor}×`, now.nodeFloor, times, (x) => x <= LIMITS.nodeFloor);
  add('chromiumFloor', 'Chromium, listing: sign ÷ floor', `≤ ${LIMITS.chromiumFloor}×`, now.chromiumFloor, times, (x) => x <= LIMITS.chromiumFloor);
  add('cryptoJs', 'Node, listing: oauth-1.0a + crypto-js ÷ this package', `≥ ${LIMITS.cryptoJs}×`, now.cryptoJs, times, (x) => x >= LIMITS.cryptoJs);
  add('oauthSign', 'Node, listing: oauth-sign ÷ this package', `≥ ${LIMITS.oauthSign}×`, now.oauthSign, times, (x) => x >= LIMITS.oauthSign);
  add('nativeFloor', 'native, listing: Signer::sign ÷ SigningKey::sign', `≤ ${LIMITS.nativeFloor}×`, now.nativeFloor, times, (x) => x <= LIMITS.nativeFloor);
  t.push({
    id: 'hmac',
    name: 'hand-written HMAC in src/',
    target: 'none (RustCrypto hmac)',
    value: now.handHmac,
    text: now.handHmac == null ? 'not measured' : now.handHmac ? 'yes' : 'none (RustCrypto hmac)',
    before: then ? (then.handHmac == null ? '–' : then.handHmac ? 'yes' : 'none') : `${ISSUE_BEFORE.hmac}*`,
    pass: now.handHmac == null ? null : !now.handHmac,
  });
  // "No worse" than before: by the median per-pair ratio when the run timed the before package
  // interleaved (--before-pkg), else against the before report's figure, from another run.
  const pair = (id) => now[`${id}Pair`];
  const noWorse = (id) => (x) => (pair(id) != null ? pair(id) <= LIMITS.noWorse
    : then?.[id] == null || x <= then[id] * LIMITS.noWorse);
  const paired = (id) => (pair(id) != null ? `, ${times(pair(id))} of before per pair` : '');
  const worseTarget = (id) => (pair(id) != null ? '≤ before + 10% (interleaved)' : '≤ before + 10%');
  add('coldChromium', 'cold start, Chromium: compile + instantiate (from bytes)',
    `< ${LIMITS.coldChromiumMs} ms${then || pair('coldChromium') != null ? `, ${worseTarget('coldChromium')}` : ''}`, now.coldChromium,
    (x) => `${ms(x)} ms`, (x) => x < LIMITS.coldChromiumMs && noWorse('coldChromium')(x));
  if (now.coldChromium != null) t.at(-1).text += paired('coldChromium');
  add('coldNode', 'cold start, Node: import (read + JS + compile + instantiate)',
    then || pair('coldNode') != null ? worseTarget('coldNode') : 'no worse (needs a before run)',
    now.coldNode, (x) => `${ms(x)} ms`, (x) => (then || pair('coldNode') != null ? noWorse('coldNode')(x) : null));
  if (now.coldNode != null) t.at(-1).text += paired('coldNode');
  const m = now.memory;
  t.push({
    id: 'memory',
    name: `memory after ${m.signatures.toLocaleString('en')} signatures (wasm memory; heap < 1 MiB)`,
    target: '+0 B',
    value: m.wasm,
    text: memoryText(m),
    before: then ? memoryText(then.memory) : `${ISSUE_BEFORE.memory}*`,
    // The externref table (in the memory table above) must not grow either.
    pass: m.wasm === 0 && (m.externrefs ?? 0) === 0 && m.heap < LIMITS.heapGrowth,
  });
  return t;
}

/** The whole printed report. */
export function render(r, fx) {
  const out = [];
  const h = (title) => out.push('', title, '─'.repeat(Math.min(100, title.length)));
  const m = r.machine;
  out.push(`contextio-signer benchmark · ${r.date.slice(0, 16).replace('T', ' ')} UTC · Node ${r.node.version} · Chromium ${r.chromium ?? '(skipped)'}`);
  out.push(`${m.cpus} × ${m.cpu} · load average ${m.load1AtStart.toFixed(2)} at start, ${m.load1AtEnd.toFixed(2)} at end${r.config.quick ? ' · QUICK RUN (not for the record)' : ''}`);
  if (Math.max(m.load1AtStart, m.load1AtEnd) > 0.5 * m.cpus) {
    out.push(`warning: the machine was busy (load ≥ half its CPUs): the figures are noisier than usual`);
  }
  out.push('');
  out.push('Requests (bench/requests.json), each signed with the same nonce and timestamp by every contender:');
  for (const req of fx.requests) {
    const q = r.requests[req.id];
    out.push(`  ${req.id.padEnd(9)} ${req.title}: ${req.detail}; base string ${q.baseStringBytes} B; signature ${q.signature}`);
    const others = Object.entries(q.signatures ?? {}).filter(([m]) => m !== 'HMAC-SHA1');
    for (const [m, sig] of others) out.push(`  ${''.padEnd(9)} ${m}: ${sig}`);
  }
  out.push('  Every contender produced these signatures in Node, in Chromium and natively (checked before timing), each');
  out.push('  against the others of its signature method.');
  const c = r.config;
  const q = ratios(r);
  out.push('');
  out.push(`Speed: the contenders of a request interleaved round by round, ${c.rounds} rounds, each contender's batch ~${c.roundMs} ms`);
  out.push(`(its size pinned after ~${c.warmupMs} ms of warm-up each, a minor GC before each batch${m.pinnedCpu == null ? '' : `, pinned to CPU ${m.pinnedCpu}`}).`);
  out.push('µs: median of the rounds\' time per call; ±: half their interquartile range. × ours: the median over the rounds of');
  out.push('its time ÷ this package\'s time in the same round; q1–q3: the interquartile range of those per-round ratios.');
  if (m.pinnedCpu == null) out.push('(not pinned to a CPU: no taskset on this machine)');
  const legend = `${c.rounds} interleaved rounds, µs and × ours (median, q1–q3 of per-round ratios)`;

  const sk = r.speed.skipped ?? {};
  const un = r.speed.unavailable ?? {};
  const skippedIn = (env) => (req, id) => sk[env]?.[req]?.[id];
  h(`Node ${r.node.version}, HMAC-SHA1: ${legend}`);
  out.push(speedTable(fx, NODE_ROWS, (req, id) => (id === 'native' ? r.speed.native[req].sign : r.speed.node[req][id]), (req, id) => q.node[req][id],
    { skipped: skippedIn('node') }));
  out.push(`  † the Rust core runs in another process (${c.nativeRuns} runs of cargo bench's binary), never in a round with this package:`);
  out.push('    its × ours is the ratio of the two medians; compare it within a run only.');
  out.push(...skippedNote(fx, sk.node));
  h(`Node, HMAC-SHA256 (timed in the same rounds): × ours is against this package's HMAC-SHA256`);
  out.push(speedTable(fx, NODE_SHA256_ROWS, (req, id) => r.speed.node[req][id], (req, id) => q.nodeSha256?.[req]?.[id],
    { ref: 'ours-sha256', unavailable: un.node ?? {} }));
  if (r.speed.chromium) {
    h(`Chromium ${r.chromium} (headless), HMAC-SHA1: ${legend}`);
    out.push(speedTable(fx, CHROMIUM_ROWS, (req, id) => r.speed.chromium[req][id], (req, id) => q.chromium[req][id],
      { skipped: skippedIn('chromium') }));
    out.push(...skippedNote(fx, sk.chromium));
    h('Chromium, HMAC-SHA256 (timed in the same rounds): × ours is against this package\'s HMAC-SHA256');
    out.push(speedTable(fx, CHROMIUM_SHA256_ROWS, (req, id) => r.speed.chromium[req][id], (req, id) => q.chromiumSha256?.[req]?.[id],
      { ref: 'ours-sha256', unavailable: un.chromium ?? {} }));
  }
  h('The floor: a bare HMAC-SHA1 of the same base string, key pads precomputed (bench build, --features bench)');
  out.push('  sign ÷ floor: the median of per-round ratios (natively, of each run\'s round of each), and q1–q3 of them');
  const fs = r.speed.floorSource;
  if (fs) out.push(`  BenchHmac from ${fs.node}${fs.chromium && fs.chromium !== fs.node ? ` (Chromium: ${fs.chromium})` : ''}`);
  out.push('  signArea: the same HMAC over the base string written into the input area, the crossing the package\'s');
  out.push('  packets take (src/binding/area.rs); the targets use BenchHmac.sign, the string crossing wasm-bindgen makes');
  out.push(floorTable(r, fx));
  h('Cold start');
  out.push(coldTable(r));
  if (r.cold.chromium && !r.cold.chromium.crossOriginIsolated) out.push('  (the page was not cross-origin isolated: Chromium timers have 100 µs resolution)');
  if (r.verification) {
    h(`Verifications beside signatures (Node, contextio-signer/verify; ${c.rounds} interleaved rounds, lookups answered from memory)`);
    out.push(verifyTable(fx, r.verification));
  }
  h(`Memory: one Signer, the listing with its own nonce and clock (${us(r.memory.usPerSignature)} µs a signature over the run); after a full GC`);
  out.push(memoryTable(r.memory));
  h('Size of the shipped package (pkg/): every file, and what a page loads (the .wasm and every JS file but the Node entry)');
  out.push(sizeTable(r.size));
  for (const [id, x] of Object.entries(r.size.contenders ?? {})) {
    out.push(`  for scale: the ${id} contender's .wasm and glue, gzipped -9: ${bytes(x.gzip)} (${bytes(x.raw)} raw)`);
  }
  h('What each signature method costs (builds that differ by one method; names in the shipped code)');
  out.push(methodTable(r.size, r.sizeBreakdown));
  if (r.sizeBreakdown) {
    h('What each crate costs in the .wasm (twiggy top, shallow bytes, the shipped code rebuilt with names, before and after wasm-opt)');
    out.push(twiggyTable(r.sizeBreakdown));
    out.push('  (before wasm-opt each Rust function is one item, though LLVM has already inlined some; wasm-opt -Oz then');
    out.push('  inlines single-caller functions, so after it their bytes count for their caller)');
  }
  if (r.sizeNote) out.push(`  note: ${r.sizeNote}`);
  if (r.profile) {
    h('Where the time goes (V8 CPU sampler over signRequest, Node, shipped code with names)');
    out.push(profileTable(r.profile));
  }
  h('Targets of issue 15 (the binding\'s speed and size)');
  const b = r.before;
  out.push(b
    ? `  before: ${b.file}, the benchmark of the code before (${b.commit ?? 'commit not recorded'}), run ${b.date.slice(0, 16).replace('T', ' ')} UTC, load ${b.load1AtStart.toFixed(2)} at start`
    : '  before: * issue 15\'s figures, from one run of the old method (no target/bench/before.json: see bench/README.md)');
  const verdict = (t) => (t.pass == null ? 'SKIP' : t.pass ? 'PASS' : 'MISS');
  out.push(table([['', 'figure', 'before', 'now', 'target']], r.targets.map((t) => [verdict(t), t.name, t.before, t.text, t.target]), { align: 'llrrl' }));
  h('Targets of the signature methods (page weight with all four; HMAC-SHA1 against the build before them)');
  if (!r.speed.beforePkg) out.push('  (no --before-pkg: the HMAC-SHA1 rows need the build before, bench/build-before.sh makes it)');
  else out.push(`  before package: ${r.speed.beforePkg}${r.beforePkgSource ? ` (${r.beforePkgSource})` : ''}, timed in the same rounds as this one`);
  out.push(table([['', 'figure', 'now', 'target']], (r.methodTargets ?? []).map((t) => [verdict(t), t.name, t.text, t.target]), { align: 'llrl' }));
  h('Targets of issue 24 (fastest again: ahead of oauth1-request compiled to wasm and of a lean signer on node:crypto)');
  out.push(table([['', 'figure', 'now (median, q1–q3)', 'target']], (r.speedTargets ?? []).map((t) => [verdict(t), t.name, t.text, t.target]), { align: 'llrl' }));
  out.push('');
  out.push('JSON: target/bench/latest.json');
  return out.join('\n');
}
