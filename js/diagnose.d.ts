// Declarations of `contextio-signer/diagnose` (hand-written: the runtime is js/diagnose.js over
// the diagnose build of the wasm binding).
import type { SignedRequest, InitInput, SyncInitInput } from './contextio_signer.js';

/** What the server's answer says went wrong: a stable code. */
export type RefusalProblem =
  | 'SIGNATURE_INVALID'
  | 'TIMESTAMP_REFUSED'
  | 'CLOCK_SKEW'
  | 'NONCE_USED'
  | 'PARAMETER_ABSENT'
  | 'PARAMETER_REJECTED'
  | 'VERSION_REJECTED'
  | 'SIGNATURE_METHOD_REJECTED'
  | 'CONSUMER_KEY_REFUSED'
  | 'TOKEN_REFUSED'
  | 'PERMISSION_DENIED'
  | 'OTHER'
  | 'NOT_REFUSED'
  | 'UNEXPLAINED';

/** One difference between the server's base string and ours. */
export interface BaseStringDifference {
  component: 'method' | 'scheme' | 'host' | 'port' | 'path' | 'parameter' | 'order';
  kind:
    | 'method' | 'scheme_behind_proxy' | 'host_case' | 'host_www' | 'host' | 'default_port' | 'port'
    | 'trailing_slash' | 'path_encoding' | 'path' | 'missing' | 'extra' | 'plus_for_space'
    | 'double_encoding' | 'lowercase_hex' | 'unencoded_characters' | 'value' | 'order';
  /** The parameter's name, for a parameter. */
  name: string | null;
  /** Our side, decoded once from the base string (a secret field shows `<hidden>`). */
  ours: string | null;
  /** The server's side. */
  theirs: string | null;
  /** One sentence for a person. */
  note: string;
}

/** The diagnosis of a refusal. Never contains a secret. */
export interface Diagnosis {
  problem: RefusalProblem;
  /** The server's own word (`signature_invalid`, or its error code), if it gave one. */
  serverProblem: string | null;
  status: number;
  /** One sentence: the cause. */
  cause: string;
  /** One sentence: what to do. */
  advice: string;
  /** The server's `oauth_problem_advice`. */
  serverAdvice: string | null;
  /** The base string the server computed, if its answer holds it. */
  serverBaseString: string | null;
  baseStringSource: 'debug_sbs' | 'json' | 'text' | null;
  /** Whether the server's base string is ours exactly; `null` when none was found. */
  identical: boolean | null;
  differences: BaseStringDifference[];
  /** Seconds to add to the clock offset the request was signed with. */
  clockOffset: number | null;
  /** The server's window, from `oauth_acceptable_timestamps`. */
  acceptableTimestamps: [number, number] | null;
  /** Parameters the server named as absent or rejected. */
  parameters: string[];
  /** `'clock'` or `'nonce'` when a fresh signature will do. */
  retry: 'clock' | 'nonce' | null;
  /** What was looked for, when nothing could be read (`UNEXPLAINED`). */
  lookedFor: string[];
}

/** The server's answer: status, headers and the body as text. */
export interface RefusalResponse {
  status: number;
  headers?: Headers | ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;
  body?: string;
}

/** Why a server refused a request this package signed. */
export declare function diagnoseRefusal(
  signed: Pick<SignedRequest, 'baseString'> & { oauthParameters?: Partial<SignedRequest['oauthParameters']> },
  response: RefusalResponse,
): Diagnosis;

/** Instantiates this entry's own module (pages, workers, extensions); Node needs no call. */
export default function init(
  moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Instantiates this entry's module synchronously from its bytes. */
export declare function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
