// Every command the top-level README tells people to run is run by the test command as written
// (issue 17). A command is covered when scripts/test.sh runs it (the README's command, perhaps
// with flags that only quiet it), when this file runs it, when the extension's README gives it
// too (its own test runs those as written), or when it is the test command itself.
// The long runs are run here in their short form with the same script and flags: only the size
// of the run differs, and the README says which size is the long one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const testCommand = readFileSync(join(root, 'scripts/test.sh'), 'utf8');
// The extension's README: tests/extension/unit/readme.test.mjs runs each of its commands as
// written (in a scratch copy of the repository).
const extensionReadme = readFileSync(join(root, 'extension/README.md'), 'utf8');

/** The commands of the README: each line of a ```sh block, and each inline `bash ...` or `node ...`. */
function readmeCommands() {
  const out = new Set();
  for (const [, block] of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block.split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      if (cmd) out.add(cmd);
    }
  }
  for (const [, cmd] of readme.matchAll(/`((?:bash|node) [^`]+)`/g)) out.add(cmd.replace(/\s+/g, ' ').trim());
  return [...out];
}

/** Commands this file runs, each as the README writes it but for the size of a long run. */
const RUN_HERE = {
  'node tests/differential/run.mjs --count 1000000': ['node', ['tests/differential/run.mjs', '--count', '2000'], /^2000 passed, 0 failed$/m],
};

/**
 * Commands another test file runs as written (the example server, run in a scratch project where
 * the packed package is installed): the file and the argument list it must hold.
 */
const RUN_BY_A_TEST = {
  'node verify-server.mjs 0': ['tests/js/verify-example.test.mjs', "startServer(process.execPath, ['verify-server.mjs', '0']"],
};

/** The long fuzzing run: the same script as `bash fuzz/run.sh --short`, which the test command runs. */
const SAME_SCRIPT_AS_THE_TEST_COMMAND = { 'bash fuzz/run.sh --long': 'bash fuzz/run.sh --short' };

test('every README command is run by the test command', () => {
  const commands = readmeCommands();
  assert.ok(commands.length >= 8, `found only ${commands.length} commands`);
  const uncovered = commands.filter((cmd) => !(
    cmd === 'bash scripts/test.sh'
    || testCommand.includes(cmd)
    || extensionReadme.includes(cmd)
    || cmd in RUN_HERE
    || (cmd in RUN_BY_A_TEST && readFileSync(join(root, RUN_BY_A_TEST[cmd][0]), 'utf8').includes(RUN_BY_A_TEST[cmd][1]))
    || (cmd in SAME_SCRIPT_AS_THE_TEST_COMMAND && testCommand.includes(SAME_SCRIPT_AS_THE_TEST_COMMAND[cmd]))
  ));
  assert.deepEqual(uncovered, [], 'README commands no test runs');
});

for (const [cmd, [bin, args, expect]] of Object.entries(RUN_HERE)) {
  test(`README: ${cmd} (short form)`, () => {
    const out = execFileSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.match(out, expect);
  });
}
