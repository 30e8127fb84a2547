// Issue 10, part 3, end to end: "Copy as curl" and "Copy as fetch" in the explorer, signed at
// the click; the copied text, taken from the page, is run against the local server: accepted
// once, refused as a replay (107) the second time.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { SINGLE_USE_NOTE } from '../../../extension/copyas.js';
import { waitFor } from '../../support/net.mjs';

const run = promisify(execFile);

/** @param {any} ctx See scenario.mjs. */
export function defineCopyTests(ctx) {
  const { textOf } = ctx;
  const d = () => ctx.d();
  const copied = async (format, previousNonce) => {
    await d().click(`#copy-${format}`);
    return waitFor(async () => {
      const c = await d().evaluate('const c = document.querySelector("#copied"); return c.hidden ? null : { format: c.dataset.format, nonce: c.dataset.nonce, text: document.querySelector("#copied-text").textContent, base: document.querySelector("#copied-base").textContent, note: document.querySelector("#copied-note").textContent, age: document.querySelector("#copied-age").textContent };');
      return c && c.format === format && c.nonce !== previousNonce ? c : null;
    }, { what: `the copied ${format} request` });
  };

  test('Copy as curl: signed at the click, with the single-use note and the base string; accepted once, then refused as a replay', async () => {
    const alice = ctx.users['alice@example.com'];
    await d().open(`explorer.html#user=${encodeURIComponent(alice.id)}`);
    await waitFor(async () => /^GET&/.test((await textOf('#p-base')) ?? ''), { what: 'the preview' });
    const c = await copied('curl');
    assert.equal(c.note, SINGLE_USE_NOTE, 'the note is shown');
    assert.match(c.age, /just now|signed \d+ s ago/);
    assert.match(c.text, /^# Signed by the Context\.IO Signer extension at \d{4}-\d\d-\d\dT[\d:.]+Z \(oauth_timestamp \d+\)\.\n/);
    assert.ok(c.text.includes(`\n# Signature base string: ${c.base}\n`), 'the base string, shown and in the text');
    assert.match(c.base, new RegExp(`^GET&${encodeURIComponent(`${ctx.server().url}/lite/users/${alice.id}/email_accounts`).replace(/[.]/g, '\\.')}&`));
    assert.match(c.text, new RegExp(`\ncurl --request 'GET' \\\\\n  --url '${ctx.server().url.replace(/[.]/g, '\\.')}/lite/users/${alice.id}/email_accounts' \\\\\n  --header 'Authorization: OAuth oauth_consumer_key="contextio-demo", oauth_nonce="${c.nonce}"`));
    // Headless browsers may refuse the clipboard; the page then says to copy the text shown.
    await ctx.waitText('#copied-status', /^(On the clipboard\.|The browser did not allow copying: select the text above and copy it\.)$/);

    const first = JSON.parse((await run('bash', ['-c', c.text])).stdout);
    assert.ok(Array.isArray(first) && first[0].email === 'alice@example.com', JSON.stringify(first));
    const second = JSON.parse((await run('bash', ['-c', c.text])).stdout);
    assert.equal(second.code, 107, `a replay: ${JSON.stringify(second)}`);

    const again = await copied('curl', c.nonce);
    assert.notEqual(again.nonce, c.nonce, 'every click signs afresh');
    assert.ok(Array.isArray(JSON.parse((await run('bash', ['-c', again.text])).stdout)), 'and the new copy works on its own');
    await ctx.shot('explorer-copied');
  });

  test('Copy as fetch: the same request as a fetch call; run in Node, 200 once, 401 (107) the second time', async () => {
    const c = await copied('fetch');
    assert.match(c.text, /\nconst response = await fetch\("http:\/\/127\.0\.0\.1:\d+\/lite\/users\/[0-9a-f]+\/email_accounts", \{\n  method: "GET",\n  headers: \{\n    "Authorization": "OAuth /);
    assert.ok(c.text.includes(`\n// Signature base string: ${c.base}\n`));
    const node = (code) => run(process.execPath, ['--input-type=module', '-e', code]);
    assert.match((await node(c.text)).stdout, /^200 \[\{/);
    assert.match((await node(c.text)).stdout, /^401 \{"type":"error","code":107,/);
  });
}
