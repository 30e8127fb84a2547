// Consumers (API keys) known to the server: a config file, or the published demo consumer.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEMO_CONSUMER } from '../common/constants.js';
import { DEFAULT_SIGNATURE_METHODS, SIGNATURE_METHODS } from './oauth.mjs';
import { PROVIDER_TYPES } from './providers.mjs';

/**
 * The configuration used when none is given, in the config file's shape: the demo consumer of
 * common/constants.js, 3-legged, HMAC-SHA1 only (no `signatureMethods`: Context.IO's rule). Its
 * secret is public, so the server refuses to listen on anything but loopback while it is in use.
 */
export const DEMO_CONFIG = Object.freeze({
  consumers: Object.freeze([Object.freeze({ key: DEMO_CONSUMER.consumerKey, secret: DEMO_CONSUMER.consumerSecret, threeLegged: true })]),
});

/** Longest provider_consumer_key or provider_consumer_secret accepted (config and API). */
export const PROVIDER_FIELD_MAX = 512;

/**
 * Checks a provider_consumer_key or provider_consumer_secret value.
 * @param {unknown} value
 * @returns {string | null} What is wrong with it, or null. Never quotes the value.
 */
export function providerFieldProblem(value) {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > PROVIDER_FIELD_MAX) return `must be at most ${PROVIDER_FIELD_MAX} characters`;
  if (/[\x00-\x1f\x7f]/.test(value)) return 'must not contain control characters';
  return null;
}

/** Raised for an unusable config file or an unsafe host/consumer combination. */
export class ConfigError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the `oauthProviders` of one consumer: `[{type, provider_consumer_key,
 * provider_consumer_secret}]`, the fields of the oauth_providers API.
 * @param {unknown} list
 * @param {string} at Used in error messages.
 * @returns {Array<{type: string, key: string, secret: string}>}
 * @throws {ConfigError} (the message never contains a secret).
 */
function validateProviders(list, at) {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigError(`${at}.oauthProviders must be an array`);
  const seen = new Set();
  return list.map((p, i) => {
    const here = `${at}.oauthProviders[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new ConfigError(`${here} must be an object`);
    const type = typeof p.type === 'string' ? p.type.toUpperCase() : '';
    if (!PROVIDER_TYPES.includes(type)) {
      throw new ConfigError(`${here}.type must be ${PROVIDER_TYPES.join(' or ')} (any case)`);
    }
    for (const field of ['provider_consumer_key', 'provider_consumer_secret']) {
      const problem = providerFieldProblem(p[field]);
      if (problem) throw new ConfigError(`${here}.${field} ${problem}`);
    }
    for (const name of Object.keys(p)) {
      if (!['type', 'provider_consumer_key', 'provider_consumer_secret'].includes(name)) {
        throw new ConfigError(`${here} has an unknown field "${name.slice(0, 40)}" (type, provider_consumer_key, provider_consumer_secret)`);
      }
    }
    if (seen.has(p.provider_consumer_key)) {
      throw new ConfigError(`${here}.provider_consumer_key "${p.provider_consumer_key}" is listed twice`);
    }
    seen.add(p.provider_consumer_key);
    return { type, key: p.provider_consumer_key, secret: p.provider_consumer_secret };
  });
}

/** The fields of a consumer in the config file. */
const CONSUMER_FIELDS = Object.freeze(['key', 'secret', 'threeLegged', 'oauthProviders', 'signatureMethods']);

/**
 * Validates the `signatureMethods` of one consumer: a non-empty array of distinct names of
 * {@link SIGNATURE_METHODS}, spelt exactly (the names are case-sensitive on the wire, so
 * `hmac-sha256` would never match a request). Absent: Context.IO's rule, HMAC-SHA1 only.
 *
 * An unknown name lists the four known ones rather than guessing one: that is how this file
 * answers every other bad value (an `oauthProviders` type, an unknown field), and with four short
 * names the list is the suggestion.
 * @param {unknown} list
 * @param {string} at Used in error messages.
 * @returns {string[]}
 * @throws {ConfigError}
 */
function validateSignatureMethods(list, at) {
  if (list === undefined) return [...DEFAULT_SIGNATURE_METHODS];
  const known = SIGNATURE_METHODS.map((m) => `"${m}"`).join(', ');
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(`${at}.signatureMethods must be a non-empty array of signature methods (${known})`);
  }
  const seen = new Set();
  return list.map((m, i) => {
    const here = `${at}.signatureMethods[${i}]`;
    if (typeof m !== 'string') throw new ConfigError(`${here} must be a string, one of ${known}`);
    if (!SIGNATURE_METHODS.includes(m)) {
      throw new ConfigError(`${here}: unknown signature method "${m.slice(0, 40)}" (the methods are ${known}, spelt exactly)`);
    }
    if (seen.has(m)) throw new ConfigError(`${here}: "${m}" is listed twice`);
    seen.add(m);
    return m;
  });
}

/**
 * Validates a consumer list in the config file's shape (`[{key, secret, threeLegged?,
 * oauthProviders?: [{type, provider_consumer_key, provider_consumer_secret}], signatureMethods?:
 * ['HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512' | 'PLAINTEXT']}]`) and returns it in the server's
 * shape (providers as `{type, key, secret}`, `signatureMethods` always present). The one check of
 * a consumer list: the config file and `startServer`'s `consumers` option both go through it,
 * once. An unknown field stops the start too: a misspelt `signatureMethod` must not leave a
 * consumer silently on HMAC-SHA1.
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
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new ConfigError(`${at} must be an object`);
    if (typeof c.key !== 'string' || c.key === '') throw new ConfigError(`${at}.key must be a non-empty string`);
    if (typeof c.secret !== 'string' || c.secret === '') throw new ConfigError(`${at}.secret must be a non-empty string`);
    if (c.threeLegged !== undefined && typeof c.threeLegged !== 'boolean') {
      throw new ConfigError(`${at}.threeLegged must be true or false`);
    }
    for (const name of Object.keys(c)) {
      if (!CONSUMER_FIELDS.includes(name)) {
        throw new ConfigError(`${at} has an unknown field "${name.slice(0, 40)}" (${CONSUMER_FIELDS.join(', ')})`);
      }
    }
    if (seen.has(c.key)) throw new ConfigError(`${at}.key "${c.key}" is listed twice`);
    seen.add(c.key);
    return {
      key: c.key,
      secret: c.secret,
      threeLegged: c.threeLegged ?? true,
      oauthProviders: validateProviders(c.oauthProviders, at),
      signatureMethods: validateSignatureMethods(c.signatureMethods, at),
    };
  });
}

/**
 * Reads a config file `{"consumers": [{"key", "secret", "threeLegged", "oauthProviders",
 * "signatureMethods"}]}`.
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
 * Refuses to expose a secret: a consumer with the demo secret (publicly known) may only listen on
 * loopback, and so may a consumer that accepts PLAINTEXT. A PLAINTEXT signature is the consumer
 * secret and the token secret themselves (RFC 5849 §3.4.4), which "MUST be used with a
 * transport-layer mechanism such as TLS"; this server speaks plain HTTP only, so on any other
 * interface every PLAINTEXT request would carry both secrets across the network in the clear.
 * On loopback they never leave the machine (a TLS proxy in front of the server reaches it
 * there too).
 * @param {string} host
 * @param {Array<import('./oauth.mjs').Consumer>} consumers
 * @param {string} [where] Names the consumer list in the message (`config file X`).
 * @throws {ConfigError}
 */
export function assertSafeHost(host, consumers, where = 'consumers') {
  if (isLoopbackHost(host)) return;
  if (consumers.some((c) => c.secret === DEMO_CONSUMER.consumerSecret)) {
    throw new ConfigError(
      `refusing to listen on non-loopback host ${host} with the demo consumer "${DEMO_CONSUMER.consumerKey}": ` +
        'its secret is published. Use --host 127.0.0.1 (or ::1, localhost), or give --config with your own consumers.',
    );
  }
  const i = consumers.findIndex((c) => c.signatureMethods?.includes('PLAINTEXT'));
  if (i !== -1) {
    throw new ConfigError(
      `refusing to listen on non-loopback host ${host}: ${where}: consumers[${i}] ("${consumers[i].key}") accepts PLAINTEXT, ` +
        'whose signature is the consumer and token secrets themselves, and this server speaks plain HTTP only ' +
        '(RFC 5849 §3.4.4 requires TLS). Use --host 127.0.0.1 (or ::1, localhost), with a TLS proxy in front if others must reach it, ' +
        'or drop PLAINTEXT from its signatureMethods.',
    );
  }
}
