// The printed report: plain-text tables from the JSON that bench/run.mjs writes, and the
// targets of issue 5 checked against it.

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

const LIMITS = {
  cryptoJs: 20,
  oauthSign: 2.5,
  floor: 1.5,
  sizeGzip: 20_000,
  coldChromiumMs: 5,
  heapGrowth: 1 << 20,
};

const us = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const pct = (x) => (x == null ? '' : `${x < 10 ? x.toFixed(1) : x.toFixed(0)}%`);
const times = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`);
const ms = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
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

/** The speed table of one environment: µs, spread and ratio to this package per request. */
function speedTable(fx, rows, get) {
  const head = [
    ['', ...fx.requests.map((r) => ({ span: 3, text: r.title }))],
    ['contender', ...fx.requests.flatMap(() => ['µs', '±', '× ours'])],
  ];
  const body = Object.entries(rows).map(([id, label]) => [
    label,
    ...fx.requests.flatMap((r) => {
      const s = get(r.id, id);
      const ref = get(r.id, 'ours');
      return [us(s?.median), pct(s?.spreadPct), s && ref ? times(s.median / ref.median) : '–'];
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
  const ratio = (label, get) => body.push([label, ...fx.requests.flatMap((r) => [times(get(r.id)), ''])]);
  for (const [env, speed] of [['Node', report.speed.node], ['Chromium', report.speed.chromium]]) {
    if (!speed) continue;
    add(`${env}: bench build's signRequest`, (id) => speed[id]['bench-ours']);
    add(`${env}: BenchHmac.sign (the floor)`, (id) => speed[id].floor);
    ratio(`${env}: sign ÷ floor`, (id) => speed[id]['bench-ours'].median / speed[id].floor.median);
    body.push(null);
  }
  add('native: Signer::sign', (id) => report.speed.native[id].sign);
  add('native: SigningKey::sign (the floor)', (id) => report.speed.native[id].floor);
  ratio('native: sign ÷ floor', (id) => report.speed.native[id].sign.median / report.speed.native[id].floor.median);
  return table(head, body);
}

function coldTable(report) {
  const body = [];
  const add = (label, s) => s && body.push([label, ms(s.median), `${ms(s.min)}–${ms(s.max)}`]);
  const n = report.cold.node;
  add('Node (fresh process): JS glue import', n.glueMs);
  add('Node: compile (new WebAssembly.Module)', n.compileMs);
  add('Node: instantiate (initSync)', n.instantiateMs);
  add('Node: read + glue + compile + instantiate', n.totalMs);
  add('Node: first new Signer', n.firstSignerMs);
  add('Node: first signature (given nonce and timestamp)', n.firstSignatureMs);
  add('Node: first signature with own nonce', n.firstOwnNonceMs);
  const c = report.cold.chromium;
  if (c) {
    body.push(null);
    add('Chromium (fresh context): JS glue import', c.stream.glueMs);
    add('Chromium: await init() (fetch + streaming compile + instantiate)', c.stream.initMs);
    add('  of which the download (resource timing)', c.stream.fetchMs);
    add('  after the last byte (compile end + instantiate)', c.stream.afterLastByteMs);
    add('Chromium: init from bytes (compile + instantiate)', c.bytes.initMs);
    add('Chromium: first new Signer', c.stream.firstSignerMs);
    add('Chromium: first signature (given nonce and timestamp)', c.stream.firstSignatureMs);
    add('Chromium: first signature with own nonce', c.stream.firstOwnNonceMs);
  }
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
    [['', 'raw', 'gzip -9', 'brotli']],
    [
      row('contextio_signer_bg.wasm', s.wasm),
      row('contextio_signer.js (JS glue)', s.glue),
      row('wasm + glue (what a page loads)', s.web),
      row('node.js (Node entry, loads the same two)', s.nodeEntry),
    ],
  );
}

function twiggyTable(t) {
  const groups = t.groups.map((g) => [g.group, bytes(g.bytes), `${((g.bytes / t.total) * 100).toFixed(1)}%`, String(g.items)]);
  const top = t.top.map((x) => [x.name.length > 70 ? x.name.slice(0, 69) + '…' : x.name, bytes(x.bytes), `${((x.bytes / t.total) * 100).toFixed(1)}%`]);
  return [
    table([['crate / part', 'bytes', 'share', 'items']], [...groups, ['total (= the shipped .wasm)', bytes(t.total), '100%', '']]),
    '',
    '  largest items',
    table([], top, { indent: '    ' }),
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

/** The targets of issue 5, checked. */
export function targets(r) {
  const t = [];
  const add = (name, value, text, pass) => t.push({ name, value, text, pass });
  const node = r.speed.node.listing;
  const x = (a, b) => a.median / b.median;
  add('Node, listing: ≥ 20× faster than oauth-1.0a + crypto-js', x(node['oauth-1.0a+crypto-js'], node.ours), null, x(node['oauth-1.0a+crypto-js'], node.ours) >= LIMITS.cryptoJs);
  add('Node, listing: ≥ 2.5× faster than oauth-sign (node:crypto)', x(node['oauth-sign'], node.ours), null, x(node['oauth-sign'], node.ours) >= LIMITS.oauthSign);
  for (const req of Object.keys(r.speed.node)) {
    const s = r.speed.node[req];
    add(`Node, ${req}: sign ≤ 1.5× the floor (same wasm build)`, x(s['bench-ours'], s.floor), null, x(s['bench-ours'], s.floor) <= LIMITS.floor);
  }
  const ch = r.speed.chromium?.listing;
  if (ch) {
    add('Chromium, listing: ≥ 20× faster than oauth-1.0a + crypto-js', x(ch['oauth-1.0a+crypto-js'], ch.ours), null, x(ch['oauth-1.0a+crypto-js'], ch.ours) >= LIMITS.cryptoJs);
    add('Chromium, listing: faster than WebCrypto', x(ch.webcrypto, ch.ours), null, x(ch.webcrypto, ch.ours) > 1);
  } else {
    add('Chromium targets (speed, cold instantiation)', null, 'not measured (--skip-chromium)', null);
  }
  const gz = r.size.web.gzip;
  add('shipped wasm + JS glue, gzipped ≤ 20 KB (20,000 B)', null, bytes(gz), gz <= LIMITS.sizeGzip);
  const cold = r.cold.chromium?.bytes.initMs.median;
  if (cold != null) add('Chromium: cold instantiation (compile + instantiate) < 5 ms', null, `${ms(cold)} ms`, cold < LIMITS.coldChromiumMs);
  const [a, b] = r.memory.after;
  const heap = b.heapUsed - a.heapUsed;
  const flat = b.wasmMemory === a.wasmMemory && b.externrefTable === a.externrefTable && heap < LIMITS.heapGrowth;
  add(`memory: no growth from ${a.signatures.toLocaleString('en')} to ${b.signatures.toLocaleString('en')} signatures`, null,
    `wasm ${signed(b.wasmMemory - a.wasmMemory, bytes)}, heap ${signed(heap, (n) => `${(n / 1024).toFixed(0)} KiB`)}`, flat);
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
  const legend = `µs per signature: median of ${r.config.rounds} rounds of ~${r.config.roundMs} ms; ± half the rounds' range; × ours = its time ÷ this package's time`;

  h(`Node ${r.node.version}: ${legend}`);
  out.push(speedTable(fx, NODE_ROWS, (req, id) => (id === 'native' ? r.speed.native[req].sign : r.speed.node[req][id])));
  if (r.speed.chromium) {
    h(`Chromium ${r.chromium} (headless): ${legend}`);
    out.push(speedTable(fx, CHROMIUM_ROWS, (req, id) => r.speed.chromium[req][id]));
  }
  h('The floor: a bare HMAC-SHA1 of the same base string, key pads precomputed (bench build, --features bench)');
  out.push(floorTable(r, fx));
  h('Cold start');
  out.push(coldTable(r));
  if (r.cold.chromium && !r.cold.chromium.crossOriginIsolated) out.push('  (the page was not cross-origin isolated: Chromium timers have 100 µs resolution)');
  h(`Memory: one Signer, the listing with its own nonce and clock (${us(r.memory.usPerSignature)} µs a signature over the run); after a full GC`);
  out.push(memoryTable(r.memory));
  h('Size of the shipped package (pkg/)');
  out.push(sizeTable(r.size));
  if (r.sizeBreakdown) {
    h('What each part costs in the .wasm (twiggy top, shallow bytes, over the shipped code rebuilt with names)');
    out.push(twiggyTable(r.sizeBreakdown));
    out.push('  (inlined code counts for the function it was inlined into: hmac and digest mostly land in contextio_signer)');
  }
  if (r.sizeNote) out.push(`  note: ${r.sizeNote}`);
  if (r.profile) {
    h('Where the time goes (V8 CPU sampler over signRequest, Node, shipped code with names)');
    out.push(profileTable(r.profile));
  }
  h('Targets (issue 5)');
  const verdict = (t) => (t.pass == null ? 'SKIP' : t.pass ? 'PASS' : 'MISS');
  out.push(table([], r.targets.map((t) => [verdict(t), t.name, t.text ?? times(t.value)]), { align: 'llr' }));
  out.push('');
  out.push('JSON: target/bench/latest.json');
  return out.join('\n');
}
