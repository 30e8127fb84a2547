// Issue 6 part 5: the local API server under a bounded load, loopback only.
// At least LOAD_REQUESTS (default 20,000) signed requests from CLIENTS concurrent clients, each
// signed by this package with its own user's token (plus consumer-only user creations, which
// write the data file). Checked: zero false rejections; every replayed request refused with
// code 107, also across a crash; the server killed with SIGKILL in the middle of the run and
// restarted on the same data file and port loses no acknowledged user and keeps a parseable
// file. The loops are bounded in count and time and stop by themselves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Signer } from '../../pkg/node.js';
import { startCli, killAllClis, tempDir, DEMO } from '../devserver/helpers/server.mjs';
import { freePort } from '../support/net.mjs';

const TOTAL = Number(process.env.LOAD_REQUESTS ?? 20_000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 8);
const DEADLINE_MS = 180_000;
const REPLAY_EVERY = 25;
const CREATE_EVERY = 200;

after(killAllClis);

test(`load: ${TOTAL} signed requests from ${CLIENTS} clients, replays, a crash mid-run`, { timeout: DEADLINE_MS + 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  const dataFile = join(dir, 'data.json');
  const port = await freePort();
  const args = ['--port', String(port), '--data', dataFile];
  let server = await startCli(args);
  const base = server.url;
  const api = `${base}/lite`;
  const forNewUser = Signer.forNewUser(DEMO);
  const started = Date.now();

  const stats = { answered: 0, replays: 0, replaysRefused: 0, interrupted: 0, created: 0 };
  /** Non-replay requests that were answered with anything but success. */
  const falseRejections = [];
  /** Users whose creation was acknowledged (201), with their pairs. */
  const acked = [];
  /** Requests accepted before the crash, replayed after the restart. */
  const preCrash = [];
  let crashed = false;
  let ready = Promise.resolve();

  const send = (r) => fetch(r.url, { method: r.method, headers: r.headers, body: r.body });

  async function createUser(email) {
    const signed = forNewUser.signRequest({ method: 'POST', url: `${api}/users`, body: { email } });
    const res = await send(signed);
    const json = await res.json();
    return { res, json, signed };
  }

  // One user per client, each client signs with its own user's token only.
  const clients = [];
  for (let c = 0; c < CLIENTS; c++) {
    const { res, json } = await createUser(`load-client-${c}@example.com`);
    assert.equal(res.status, 201, JSON.stringify(json));
    clients.push({
      id: json.id,
      label: encodeURIComponent(json.email_account.label),
      signer: new Signer({ ...DEMO, token: json.access_token, tokenSecret: json.access_token_secret }),
    });
  }

  async function crashAndRestart() {
    crashed = true;
    let release;
    ready = new Promise((r) => (release = r));
    await server.kill('SIGKILL');
    // The data file is whole after a crash: it parses, and it holds every acknowledged user.
    const state = JSON.parse(readFileSync(dataFile, 'utf8'));
    const text = JSON.stringify(state);
    for (const u of acked) assert.ok(text.includes(u.id), `acknowledged user ${u.id} missing after the crash`);
    server = await startCli(args);
    assert.equal(server.url, base, 'restarted on the same port');
    release();
  }

  let next = 0;
  async function client(c) {
    const me = clients[c];
    while (stats.answered < TOTAL && Date.now() - started < DEADLINE_MS) {
      const i = next++;
      if (!crashed && stats.answered >= TOTAL / 2) await crashAndRestart();
      await ready;
      let signed;
      let isCreate = false;
      if (i % CREATE_EVERY === CREATE_EVERY - 1) {
        isCreate = true;
        signed = forNewUser.signRequest({ method: 'POST', url: `${api}/users`, body: { email: `load-${i}@example.com` } });
      } else if (i % 2 === 0) {
        signed = me.signer.signRequest({ method: 'GET', url: `${api}/users/${me.id}/email_accounts/${me.label}/folders/INBOX/messages`, query: { limit: 3 } });
      } else {
        signed = me.signer.signRequest({ method: 'GET', url: `${api}/users/${me.id}/email_accounts/${me.label}/folders` });
      }
      let res;
      try {
        res = await send(signed);
      } catch {
        // The connection died with the server (the crash): no answer is no rejection.
        stats.interrupted++;
        await ready;
        continue;
      }
      const json = await res.json().catch(() => null);
      stats.answered++;
      if (!res.ok) {
        falseRejections.push({ status: res.status, body: json, method: signed.method, url: signed.url });
        continue;
      }
      if (isCreate) {
        stats.created++;
        acked.push({ id: json.id, signer: new Signer({ ...DEMO, token: json.access_token, tokenSecret: json.access_token_secret }) });
      }
      if (!crashed && preCrash.length < 20 && i % 97 === 0) preCrash.push(signed);
      if (i % REPLAY_EVERY === 0) {
        try {
          const again = await send(signed);
          const body = await again.json().catch(() => null);
          stats.replays++;
          if (again.status === 401 && body?.code === 107) stats.replaysRefused++;
          else falseRejections.push({ replayAccepted: true, status: again.status, url: signed.url });
        } catch {
          stats.interrupted++;
        }
      }
    }
  }

  try {
    await Promise.all(clients.map((_, c) => client(c)));
    const seconds = (Date.now() - started) / 1000;

    // Requests accepted before the crash are still refused as replays after it.
    let crossRestartRefused = 0;
    for (const signed of preCrash) {
      const res = await send(signed);
      const body = await res.json().catch(() => null);
      if (res.status === 401 && body?.code === 107) crossRestartRefused++;
      else falseRejections.push({ replayAcceptedAfterCrash: true, status: res.status, body, url: signed.url });
    }
    // Every acknowledged user is still there and reachable with its own token.
    let reachable = 0;
    for (const u of acked) {
      const res = await send(u.signer.signRequest({ method: 'GET', url: `${api}/users/${u.id}` }));
      if (res.status === 200) reachable++;
    }
    console.log(
      `load: ${stats.answered} requests answered in ${seconds.toFixed(1)} s (${Math.round(stats.answered / seconds)}/s) ` +
        `from ${CLIENTS} clients; ${stats.created} users created; ${stats.replaysRefused}/${stats.replays} replays refused; ` +
        `${crossRestartRefused}/${preCrash.length} replays refused across the crash; ${stats.interrupted} requests cut by the crash; ` +
        `${reachable}/${acked.length} acknowledged users reachable after it; ${falseRejections.length} false rejections`,
    );
    assert.ok(crashed, 'the server was killed mid-run');
    assert.ok(stats.answered >= TOTAL, `only ${stats.answered} of ${TOTAL} requests answered before the deadline`);
    assert.deepEqual(falseRejections.slice(0, 5), [], `${falseRejections.length} false rejections`);
    assert.equal(stats.replaysRefused, stats.replays);
    assert.ok(stats.replays >= TOTAL / REPLAY_EVERY / 2, `only ${stats.replays} replays`);
    assert.ok(preCrash.length > 0 && crossRestartRefused === preCrash.length);
    assert.equal(reachable, acked.length, 'acknowledged users lost');
    // Finally the file is whole after a clean stop too.
    await server.kill('SIGTERM');
    JSON.parse(readFileSync(dataFile, 'utf8'));
  } finally {
    await killAllClis();
    cleanup();
  }
});
