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

/** Contender rows in Node: id -> label (native comes from cargo bench). */
export const NODE_ROWS = {
  ours: 'this package (wasm)',
  'ours-own-nonce': '  same, own nonce and clock',
  native: 'Rust core natively (cargo bench)',
  'oauth-1.0a+crypto-js': 'oauth-1.0a + crypto-js',
  'oauth-1.0a+node:crypto': 'oauth-1.0a + node:crypto',
  'oauth-sign': 'oauth-sign (node:crypto)',
  webcrypto: 'WebCrypto (crypto.subtle, async)',
};

/** Contender rows in Chromium. */
export const CHROMIUM_ROWS = {
  ours: 'this package (wasm)',
  'ours-own-nonce': '  same, own nonce and clock',
  'oauth-1.0a+crypto-js': 'oauth-1.0a + crypto-js',
  webcrypto: 'WebCrypto (crypto.subtle, async)',
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
  const env = (speed, rows) => speed && Object.fromEntries(Object.entries(speed).map(([req, res]) => [req,
    Object.fromEntries(Object.keys(rows).filter((id) => res[id]).map((id) => [id, ratioStats(res[id], res.ours)]))]));
  const node = env(r.speed.node, NODE_ROWS);
  // Another process, never in the same round: the ratio of the medians (perRound false).
  for (const req of Object.keys(node)) node[req].native = ratioStats(r.speed.native[req].sign, r.speed.node[req].ours, { paired: false });
  const floor = (speed, id = 'floor') => speed && Object.fromEntries(Object.entries(speed)
    .filter(([, res]) => res[id]).map(([req, res]) => [req, ratioStats(res['bench-ours'], res[id])]));
  return {
    node,
    chromium: env(r.speed.chromium, CHROMIUM_ROWS),
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
function speedTable(fx, rows, get, ratio) {
  const head = [
    ['', ...fx.requests.map((r) => ({ span: 4, text: r.title }))],
    ['contender', ...fx.requests.flatMap(() => ['µs', '±', '× ours', 'q1–q3'])],
  ];
  const body = Object.entries(rows).map(([id, label]) => [
    label,
    ...fx.requests.flatMap((r) => {
      const s = get(r.id, id);
      const x = id === 'ours' ? null : ratio(r.id, id);
      const cell = id === 'ours' ? (s ? '1' : '–') : x ? `${times(x.median)}${x.perRound ? '' : '†'}` : '–';
      return [us(s?.median), pct(s?.spreadPct), cell, iqr(x)];
    }),
  ]);
  return table(head, body);
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
        f.page ? '· a page loads it' : f.diagnose ? '· only with contextio-signer/diagnose' : '']),
      null,
      ['what a page loads', `(${s.page.files.length} files, each compressed alone)`, bytes(s.page.raw), bytes(s.page.gzip), bytes(s.page.brotli)],
      ...(s.diagnose ? [['what the diagnose entry adds', `(${s.diagnose.files.length} files, only for those who import it)`, bytes(s.diagnose.raw), bytes(s.diagnose.gzip), bytes(s.diagnose.brotli)]] : []),
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
  }
  out.push('  Every contender produced these signatures in Node, in Chromium and natively (checked before timing).');
  const c = r.config;
  const q = ratios(r);
  out.push('');
  out.push(`Speed: the contenders of a request interleaved round by round, ${c.rounds} rounds, each contender's batch ~${c.roundMs} ms`);
  out.push(`(its size pinned after ~${c.warmupMs} ms of warm-up each, a minor GC before each batch${m.pinnedCpu == null ? '' : `, pinned to CPU ${m.pinnedCpu}`}).`);
  out.push('µs: median of the rounds\' time per call; ±: half their interquartile range. × ours: the median over the rounds of');
  out.push('its time ÷ this package\'s time in the same round; q1–q3: the interquartile range of those per-round ratios.');
  if (m.pinnedCpu == null) out.push('(not pinned to a CPU: no taskset on this machine)');
  const legend = `${c.rounds} interleaved rounds, µs and × ours (median, q1–q3 of per-round ratios)`;

  h(`Node ${r.node.version}: ${legend}`);
  out.push(speedTable(fx, NODE_ROWS, (req, id) => (id === 'native' ? r.speed.native[req].sign : r.speed.node[req][id]), (req, id) => q.node[req][id]));
  out.push(`  † the Rust core runs in another process (${c.nativeRuns} runs of cargo bench's binary), never in a round with this package:`);
  out.push('    its × ours is the ratio of the two medians; compare it within a run only.');
  if (r.speed.chromium) {
    h(`Chromium ${r.chromium} (headless): ${legend}`);
    out.push(speedTable(fx, CHROMIUM_ROWS, (req, id) => r.speed.chromium[req][id], (req, id) => q.chromium[req][id]));
  }
  h('The floor: a bare HMAC-SHA1 of the same base string, key pads precomputed (bench build, --features bench)');
  out.push('  sign ÷ floor: the median of per-round ratios (natively, of each run\'s round of each), and q1–q3 of them');
  const fs = r.speed.floorSource;
  if (fs) out.push(`  BenchHmac from ${fs.node}${fs.chromium && fs.chromium !== fs.node ? ` (Chromium: ${fs.chromium})` : ''}`);
  out.push('  signArea: the same HMAC over the base string written into the input area, the crossing the package\'s');
  out.push('  packets take (src/wasm.rs); the targets use BenchHmac.sign, the string crossing wasm-bindgen makes');
  out.push(floorTable(r, fx));
  h('Cold start');
  out.push(coldTable(r));
  if (r.cold.chromium && !r.cold.chromium.crossOriginIsolated) out.push('  (the page was not cross-origin isolated: Chromium timers have 100 µs resolution)');
  h(`Memory: one Signer, the listing with its own nonce and clock (${us(r.memory.usPerSignature)} µs a signature over the run); after a full GC`);
  out.push(memoryTable(r.memory));
  h('Size of the shipped package (pkg/): every file, and what a page loads (the .wasm and every JS file but the Node entry)');
  out.push(sizeTable(r.size));
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
  h('Targets (issue 15)');
  const b = r.before;
  out.push(b
    ? `  before: ${b.file}, the benchmark of the code before (${b.commit ?? 'commit not recorded'}), run ${b.date.slice(0, 16).replace('T', ' ')} UTC, load ${b.load1AtStart.toFixed(2)} at start`
    : '  before: * issue 15\'s figures, from one run of the old method (no target/bench/before.json: see bench/README.md)');
  const verdict = (t) => (t.pass == null ? 'SKIP' : t.pass ? 'PASS' : 'MISS');
  out.push(table([['', 'figure', 'before', 'now', 'target']], r.targets.map((t) => [verdict(t), t.name, t.before, t.text, t.target]), { align: 'llrrl' }));
  out.push('');
  out.push('JSON: target/bench/latest.json');
  return out.join('\n');
}
