import { pino, type Logger } from 'pino';

export type { Logger };

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

export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const opts = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything; for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
