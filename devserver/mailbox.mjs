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
 * @property {string} body Plain-text body.
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
    view.bodies = [
      { type: 'text/plain', charset: 'UTF-8', size: Buffer.byteLength(m.body, 'utf8'), content: m.body },
    ];
  }
  return view;
}
