// Consumers (API keys) known to the server: a config file, or the published demo consumer.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEMO_CONSUMER as DEMO } from '../extension/constants.js';

/**
 * The documented demo consumer, used when no --config is given, in the server's consumer shape
 * (the credentials themselves are written once, in extension/constants.js). Its secret is
 * public, so the server refuses to listen on anything but loopback while it is in use.
 */
export const DEMO_CONSUMER = Object.freeze({
  key: DEMO.consumerKey,
  secret: DEMO.consumerSecret,
  threeLegged: true,
});

/** Raised for an unusable config file or an unsafe host/consumer combination. */
export class ConfigError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates a consumer list.
 * @param {unknown} consumers
 * @param {string} where Used in error messages.
 * @returns {Array<import('./oauth.mjs').Consumer>}
 * @throws {ConfigError}
 */
export function validateConsumers(consumers, where) {
  if (!Array.isArray(consumers) || consumers.length === 0) {
    throw new ConfigError(`${where}: "consumers" must be a non-empty array`);
  }
  const seen = new Set();
  return consumers.map((c, i) => {
    const at = `${where}: consumers[${i}]`;
    if (c === null || typeof c !== 'object') throw new ConfigError(`${at} must be an object`);
    if (typeof c.key !== 'string' || c.key === '') throw new ConfigError(`${at}.key must be a non-empty string`);
    if (typeof c.secret !== 'string' || c.secret === '') throw new ConfigError(`${at}.secret must be a non-empty string`);
    if (c.threeLegged !== undefined && typeof c.threeLegged !== 'boolean') {
      throw new ConfigError(`${at}.threeLegged must be true or false`);
    }
    if (seen.has(c.key)) throw new ConfigError(`${at}.key "${c.key}" is listed twice`);
    seen.add(c.key);
    return { key: c.key, secret: c.secret, threeLegged: c.threeLegged ?? true };
  });
}

/**
 * Reads a config file `{"consumers": [{"key", "secret", "threeLegged"}]}`.
 * @param {string} file
 * @returns {Array<import('./oauth.mjs').Consumer>}
 * @throws {ConfigError} (the message never contains a secret).
 */
export function loadConsumersFile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file} (${e.code ?? e.message})`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON (${e.message})`);
  }
  return validateConsumers(json?.consumers, `config file ${file}`);
}

/**
 * Whether a listen host only accepts connections from this machine.
 * @param {string} host
 * @returns {boolean}
 */
export function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Refuses to expose a publicly known secret: a consumer with the demo secret may only listen on
 * loopback.
 * @param {string} host
 * @param {Array<import('./oauth.mjs').Consumer>} consumers
 * @throws {ConfigError}
 */
export function assertSafeHost(host, consumers) {
  if (isLoopbackHost(host)) return;
  if (consumers.some((c) => c.secret === DEMO_CONSUMER.secret)) {
    throw new ConfigError(
      `refusing to listen on non-loopback host ${host} with the demo consumer "${DEMO_CONSUMER.key}": ` +
        'its secret is published. Use --host 127.0.0.1 (or ::1, localhost), or give --config with your own consumers.',
    );
  }
}
