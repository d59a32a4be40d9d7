import { pino, type Logger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';
import { currentRequestId } from './request-scope.js';

export type { Logger };

/** `pretty`: one readable line per entry, for a person at a terminal; `json`: for a log collector. */
export type LogFormat = 'pretty' | 'json';

/**
 * Field names whose values must never reach a log line, wherever they appear in a logged object.
 * Messages themselves are written without secrets by construction; this is the safety net.
 */
const REDACT_PATHS = [
  'secret',
  'appSecret',
  'access_token',
  'accessToken',
  'token',
  'ticket',
  'code',
  'js_code',
  'session_key',
  'sessionKey',
  'refresh_token',
  'authorization',
  '*.secret',
  '*.appSecret',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.ticket',
  '*.code',
  '*.js_code',
  '*.session_key',
  '*.sessionKey',
  '*.refresh_token',
  '*.authorization',
  'req.headers.authorization',
];

const CENSOR = '[redacted]';

/** The shape of Node's and undici's error codes: ECONNRESET, ERR_INVALID_URL, UND_ERR_SOCKET. */
const ERROR_CODE = /^E[A-Z0-9_]{1,40}$|^UND_ERR_[A-Z0-9_]{1,40}$/;

/**
 * A nested `code` (`err.code` of a logged error) that reads like a network error's code stays
 * readable: a log reader needs ECONNRESET vs ETIMEDOUT. Login codes never take that shape (WeChat's
 * are 32 characters of mixed case), and a top-level `code` is always replaced. The parent's name
 * cannot decide it: pino hands a wildcard path's censor the wildcard, not the key it matched.
 */
function censor(value: unknown, path: readonly unknown[]): unknown {
  const errorCode =
    path.length === 2 && path[1] === 'code' && typeof value === 'string' && ERROR_CODE.test(value);
  return errorCode ? value : CENSOR;
}

/** The id of the request being handled, on every line logged while it is. */
function requestIdMixin(): { requestId?: string } {
  const requestId = currentRequestId();
  // A new object each time: pino merges the line's fields into it.
  return requestId === undefined ? {} : { requestId };
}

export interface LoggerOptions {
  level?: string;
  /** Default: `pretty` when the destination is a terminal, else `json`. */
  format?: LogFormat;
  /** Default: standard output. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * A pino logger. Both formats go through the same redaction: the pretty printer only ever sees
 * the JSON line pino wrote, and prints it synchronously (nothing lost when the process exits).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor },
    mixin: requestIdMixin,
  };
  const terminal = (options.destination ?? process.stdout).isTTY === true;
  if ((options.format ?? (terminal ? 'pretty' : 'json')) === 'json') {
    return options.destination ? pino(opts, options.destination) : pino(opts);
  }
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const prettify = prettyFactory({
    colorize: terminal && isColorSupported,
    ignore: 'pid,hostname',
    translateTime: 'SYS:HH:MM:ss.l',
  });
  return pino(opts, { write: (line: string) => destination.write(prettify(line)) });
}

/** A logger that drops everything; for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
