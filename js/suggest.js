// "Did you mean ...?" for unknown field names: the project's one rule, used by the package's
// JS front (js/api.js) and by the extension's message schema (extension/schema.js, which the
// extension build copies this file beside). A plain ES module with no imports and no browser
// or Node API, so a page, a worker, a service worker and Node all load it.
//
// Names are compared case-insensitively with `_` and `-` dropped (so `consumer_key` and
// `ConsumerKey` find `consumerKey`), by optimal string alignment distance: insertions,
// deletions, substitutions, and swaps of two neighbours (`qurey` is one swap from `query`).
// The limit comes from the known name: one edit for names of up to four letters, two beyond.
// A name with other characters than ASCII letters, digits, `_` and `-`, or longer than 32
// letters once folded, is never a typo of a field.

const MAX = 32;

/** Lower-case ASCII letters and digits of `s`, `_` and `-` dropped; null for anything else. */
function fold(s) {
  const out = s.replace(/[-_]/g, '');
  return out.length <= MAX && /^[A-Za-z0-9]*$/.test(out) ? out.toLowerCase() : null;
}

/**
 * Optimal string alignment distance (Levenshtein plus swaps of two neighbours).
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function editDistance(a, b) {
  let prev2 = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The one name of `known` closest to `name`, if it is within a small distance (one edit for
 * known names of up to four letters, two beyond) and no other known name is as close.
 * @param {string} name
 * @param {readonly string[]} known
 * @returns {string | null}
 */
export function closest(name, known) {
  const a = fold(name);
  if (a === null) return null;
  let best = null;
  let bestDistance = Infinity;
  let tie = false;
  for (const k of known) {
    const b = fold(k);
    if (b === null) continue;
    const d = editDistance(a, b);
    if (d > (b.length <= 4 ? 1 : 2) || d > bestDistance) continue;
    if (d === bestDistance) tie = true;
    else [best, bestDistance, tie] = [k, d, false];
  }
  return tie ? null : best;
}

/**
 * The hint appended to an unknown-field message: ` (did you mean "query"?)`, or ''.
 * @param {string} name
 * @param {readonly string[]} known
 * @returns {string}
 */
export function didYouMean(name, known) {
  const near = closest(name, known);
  return near === null ? '' : ` (did you mean "${near}"?)`;
}
