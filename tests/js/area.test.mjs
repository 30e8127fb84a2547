// The JS front's writing of each packet into the binding's input area (js/api.js `through`,
// src/binding/area.rs `input_area`), through a stand-in binding whose memory the test controls: the
// bytes handed over are the packet's UTF-8, the area is taken once and kept, taken again when
// wasm memory has grown (the old view is then detached), a packet whose UTF-8 does not fit the
// kept area gets one of its own that is given back after its call (when the call throws too),
// and an area the module cannot make is a typed error. The stand-in hands out every area at
// offset 0 of its memory, so these tests count the areas asked for rather than catch a write
// into a freed one; the real binding is exercised by every tier-2 and tier-3 signature test
// (published and independent vectors, a 1.3 M-character request between two of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../../js/api.js';

const OK = `\u0002@${'x\u0001'.repeat(13)}`;
const OPTIONS = { consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };

/** A stand-in binding: records each area asked for and decodes every packet it is handed. */
function standIn({ failAt = -1, refuseSigners = false } = {}) {
  const log = { areas: [], packets: [] };
  let memory = new ArrayBuffer(1 << 20);
  let current = null;
  const read = (len) => {
    assert.ok(len <= current.length, 'the length is within the area');
    log.packets.push(new TextDecoder('utf-8', { fatal: true }).decode(current.subarray(0, len)));
  };
  const raw = {
    inputArea(bytes) {
      log.areas.push(bytes);
      if (log.areas.length - 1 === failAt) return undefined;
      if (bytes > memory.byteLength) memory = new ArrayBuffer(bytes);
      current = new Uint8Array(memory, 0, bytes);
      return current;
    },
    createSigner(len) {
      read(len);
      if (refuseSigners) throw '\u0000INVALID_OPTIONS\u0001consumerKey refused';
      return { mode: 'three-legged', sign: (n) => (read(n), OK), free() {} };
    },
    signOnce: (len) => (read(len), OK),
    didYouMean: () => '',
    /** What wasm memory growing does to the views over the old memory. */
    grow() {
      memory = structuredClone(memory, { transfer: [memory] });
      current = new Uint8Array(memory, 0, current.length);
    },
  };
  return { raw, log };
}

test('the bytes handed over are the packet in UTF-8, whatever its characters', () => {
  const { raw, log } = standIn();
  const api = createApi(raw);
  const url = 'https://h.example/caf\u00e9/\u65e5\u672c/\u{1F600}';
  const body = { name: 'Z\u00fcrich \u0645\u0631\u062d\u0628\u0627 \u{1F680}' };
  new api.Signer(OPTIONS).signRequest({ method: 'POST', url, body });
  api.signRequest(OPTIONS, { method: 'GET', url });
  assert.equal(log.packets.length, 3);
  for (const p of log.packets.slice(1)) assert.ok(p.includes(url), p);
  assert.ok(log.packets[1].includes(body.name));
  assert.ok(log.packets[0].includes('ck') && log.packets[0].includes('ts'));
});

test('the area is taken once and kept for short packets', () => {
  const { raw, log } = standIn();
  const api = createApi(raw);
  const signer = new api.Signer(OPTIONS);
  for (let i = 0; i < 50; i++) signer.signRequest({ method: 'GET', url: `https://h.example/${i}` });
  assert.deepEqual(log.areas, [16384]);
  assert.equal(log.packets.length, 51);
  assert.ok(log.packets.at(-1).includes('https://h.example/49'));
});

test('after wasm memory grows, the detached view is replaced before the next write', () => {
  const { raw, log } = standIn();
  const api = createApi(raw);
  const signer = new api.Signer(OPTIONS);
  raw.grow();
  signer.signRequest({ method: 'GET', url: 'https://h.example/after-growth' });
  assert.deepEqual(log.areas, [16384, 16384]);
  assert.ok(log.packets[1].includes('https://h.example/after-growth'));
});

test('a packet whose UTF-8 fits the kept area uses it, whatever its length in characters', () => {
  const { raw, log } = standIn();
  const api = createApi(raw);
  const mid = 'm'.repeat(12000);
  new api.Signer(OPTIONS).signRequest({ method: 'POST', url: 'https://h.example/', body: { mid } });
  assert.deepEqual(log.areas, [16384]);
  assert.ok(log.packets[1].includes(mid));
});

test('a packet too long for the kept area gets one of its own, given back after the call', () => {
  const { raw, log } = standIn();
  const api = createApi(raw);
  const signer = new api.Signer(OPTIONS);
  const long = '\u65e5'.repeat(6000);
  signer.signRequest({ method: 'POST', url: 'https://h.example/', body: { long } });
  assert.equal(log.areas.length, 3);
  assert.equal(log.areas[0], 16384);
  assert.ok(log.areas[1] >= 3 * 6000, `an area for the long packet (${log.areas[1]} B)`);
  assert.equal(log.areas[2], 16384);
  assert.ok(log.packets[1].includes(long));
  signer.signRequest({ method: 'GET', url: 'https://h.example/short' });
  assert.equal(log.areas.length, 3, 'the kept area is used again');
  assert.ok(log.packets[2].includes('https://h.example/short'));
});

test('the long packet\'s area is given back, and the next call made, when the call throws', () => {
  const { raw, log } = standIn({ refuseSigners: true });
  const api = createApi(raw);
  assert.throws(() => new api.Signer({ ...OPTIONS, consumerKey: 'k'.repeat(20000) }),
    (e) => e.name === 'OAuthSignError' && e.code === 'INVALID_OPTIONS' && e.message === 'consumerKey refused');
  assert.deepEqual(log.areas.map((n) => (n > 16384 ? 'own' : n)), [16384, 'own', 16384]);
  const once = api.signRequest(OPTIONS, { method: 'GET', url: 'https://h.example/after' });
  assert.equal(once.signature, 'x');
  assert.ok(log.packets.at(-1).includes('https://h.example/after'));
});

test('an area the module cannot make is an OAuthSignError, not a crash', () => {
  const { raw } = standIn({ failAt: 0 });
  const api = createApi(raw);
  assert.throws(() => new api.Signer(OPTIONS), (e) => e.name === 'OAuthSignError' && e.code === 'INVALID_BODY'
    && /not enough memory/.test(e.message));
});

test('after a refused area, the old view (freed by the binding) is never written again', () => {
  const { raw, log } = standIn({ failAt: 1 });
  const api = createApi(raw);
  const signer = new api.Signer(OPTIONS);
  assert.deepEqual(log.areas, [16384]);
  assert.throws(() => signer.signRequest({ method: 'POST', url: 'https://h.example/', body: { long: 'c'.repeat(20000) } }),
    (e) => e.code === 'INVALID_BODY');
  signer.signRequest({ method: 'GET', url: 'https://h.example/next' });
  assert.equal(log.areas.length, 3, 'a new area is asked for');
  assert.equal(log.areas[2], 16384);
  assert.ok(log.packets.at(-1).includes('https://h.example/next'));
});
