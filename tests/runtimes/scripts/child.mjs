// What every runtime script shares: which runtime runs it, where a bare specifier of the package
// resolves to, its input (one JSON argument from tests/runtimes/runtimes.test.mjs) and its
// one line of JSON output. Plain ES module, no imports: it runs as is under Node, Deno and Bun.

/** The runtime running this script, detected positively (Deno and Bun also define process.versions.node). */
export function runtime() {
  if (globalThis.Deno?.version?.deno) return { name: 'deno', version: globalThis.Deno.version.deno };
  if (globalThis.process?.versions?.bun) return { name: 'bun', version: globalThis.process.versions.bun };
  return { name: 'node', version: globalThis.process.versions.node };
}

/** The script's input: the JSON after the script's name on the command line. */
export function input() {
  return JSON.parse(globalThis.process.argv.at(-1));
}

/** The file each of the package's entries resolves to here, as a path under the scratch project. */
export function resolved(specifiers) {
  const path = (r) => (r.startsWith('file:') ? decodeURIComponent(new URL(r).pathname) : r);
  return Object.fromEntries(specifiers.map((s) => [s, path(import.meta.resolve(s))]));
}

/** An error as data, to be compared across runtimes (the stack differs, and is left out). */
export function errorRecord(e, isOAuthSignError) {
  return {
    threw: true,
    isError: e instanceof Error,
    name: e?.name,
    code: e?.code,
    message: e?.message,
    isOAuthSignError: isOAuthSignError(e),
  };
}

/** Runs `fn`, which should throw: its error as data, or what it returned instead. */
export function thrown(fn, isOAuthSignError) {
  try {
    return { threw: false, returned: JSON.stringify(fn()) };
  } catch (e) {
    return errorRecord(e, isOAuthSignError);
  }
}

/** The script's one line of output. */
export function print(value) {
  globalThis.process.stdout.write(`${JSON.stringify(value)}\n`);
}
