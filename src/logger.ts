import { pino, type Logger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

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
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
