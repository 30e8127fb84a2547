// Headers as `[name, value]` pairs, for the diagnosis (a response's headers) and the verifier (a
// request's). A module with no imports: the wasm-bindgen tests load it next to the fronts.

/**
 * The headers as `[name, value]` pairs: a `Headers`, an array of pairs, or a plain object whose
 * values are strings, numbers or arrays of them (Node's `IncomingMessage.headers`); an object's
 * `undefined` and `null` values are skipped. `fail(message)` makes the error thrown for anything
 * else; `what` names the field in its message.
 * @param {unknown} headers
 * @param {string} what
 * @param {(message: string) => Error} fail
 * @returns {Array<[string, string]>}
 */
export function headerPairs(headers, what, fail) {
  if (headers === undefined || headers === null) return [];
  const wrong = () => fail(`${what} must be Headers, an array of [name, value] or an object of strings`);
  const out = [];
  const add = (name, value) => {
    if (typeof name !== 'string' || (typeof value !== 'string' && typeof value !== 'number')) throw wrong();
    out.push([name, String(value)]);
  };
  if (typeof Headers === 'function' && headers instanceof Headers) {
    headers.forEach((value, name) => add(name, value));
  } else if (Array.isArray(headers)) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || pair.length !== 2) throw wrong();
      add(pair[0], pair[1]);
    }
  } else if (typeof headers === 'object') {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (Array.isArray(value)) value.forEach((v) => add(name, v));
      else if (value !== undefined && value !== null) add(name, value);
    }
  } else {
    throw wrong();
  }
  return out;
}
