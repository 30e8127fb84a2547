// The package as a user installs it: the built pkg/ packed (`npm pack`) and installed from the
// tarball, offline, into a scratch project of its own (`type: module`), so that a script there
// imports `contextio-signer`, `contextio-signer/diagnose` and `contextio-signer/verify` by name
// through the package's own `exports`.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PKG = join(root, 'pkg');

/**
 * Packs pkg/ and installs the tarball into a new scratch directory (nothing is fetched: npm runs
 * `--offline`, and the package has no dependencies).
 * @param {{prefix?: string}} [options] the scratch directory's name starts with `prefix`
 * @returns {{dir: string, installed: string, remove: () => void}} the scratch project, the
 *   installed package in its node_modules, and a function that deletes the whole directory
 */
export function installPackage({ prefix = 'contextio-installed-' } = {}) {
  if (!existsSync(join(PKG, 'package.json'))) throw new Error('pkg/ is not built: run node scripts/build-pkg.mjs');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const packed = execFileSync('npm', ['pack', PKG, '--pack-destination', dir, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, JSON.parse(packed)[0].filename)], { cwd: dir, stdio: 'pipe' });
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, installed: join(dir, 'node_modules/contextio-signer'), remove };
}
