/**
 * LOG_FORMAT: readable lines for a person at a terminal, JSON for a collector, and the same
 * redaction in both.
 */
import { stripVTControlCharacters } from 'node:util';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createLogger, type LogFormat } from '../../src/observability/logger.js';

/** A destination that keeps what it was given; `tty` makes it look like a terminal. */
function sink(tty: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  if (tty) stream.isTTY = true;
  return { stream, text: () => stripVTControlCharacters(chunks.join('')) };
}

function logOnce(options: { tty: boolean; format?: LogFormat }): string {
  const out = sink(options.tty);
  const logger = createLogger({ destination: out.stream, format: options.format });
  logger.info({ app: 'official', calls: 2 }, 'token refreshed');
  return out.text();
}

const PRETTY_LINE =
  /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: token refreshed\n {4}app: "official"\n {4}calls: 2\n$/;

describe('log format', () => {
  it('is readable on a terminal and JSON elsewhere by default', () => {
    expect(logOnce({ tty: true })).toMatch(PRETTY_LINE);
    const json: unknown = JSON.parse(logOnce({ tty: false }));
    expect(json).toMatchObject({ level: 30, msg: 'token refreshed', app: 'official', calls: 2 });
  });

  it('follows LOG_FORMAT whatever the destination', () => {
    expect(logOnce({ tty: false, format: 'pretty' })).toMatch(PRETTY_LINE);
    expect(JSON.parse(logOnce({ tty: true, format: 'json' }))).toMatchObject({
      msg: 'token refreshed',
    });
  });

  it.each(['pretty', 'json'] as const)('%s: redacts secrets wherever they appear', (format) => {
    const secrets = {
      appSecret: 'SECRET-APP-1',
      secret: 'SECRET-2',
      access_token: 'SECRET-ACCESS-3',
      accessToken: 'SECRET-ACCESS-4',
      token: 'SECRET-TOKEN-5',
      ticket: 'SECRET-TICKET-6',
      code: 'SECRET-CODE-7',
      js_code: 'SECRET-JSCODE-8',
      session_key: 'SECRET-SESSION-9',
      sessionKey: 'SECRET-SESSION-10',
      refresh_token: 'SECRET-REFRESH-11',
      authorization: 'Bearer SECRET-AUTH-12',
    };
    const nested = Object.fromEntries(
      Object.entries(secrets).map(([key, value]) => [key, `${value}-nested`]),
    );
    const out = sink(false);
    const logger = createLogger({ destination: out.stream, format });
    logger.warn({ ...secrets, upstream: nested }, 'something failed');
    logger.info({ req: { headers: { authorization: 'Bearer SECRET-HEADER-13' } } }, 'request');
    const text = out.text();
    expect(text).not.toMatch(/SECRET-/);
    expect(text.match(/\[redacted\]/g)).toHaveLength(2 * Object.keys(secrets).length + 1);
    expect(text).toContain('something failed');
  });
});

describe('redaction of `code`', () => {
  it.each(['pretty', 'json'] as const)(
    '%s: a network error keeps its code (ECONNRESET), a login code never shows',
    (format) => {
      const out = sink(false);
      const logger = createLogger({ destination: out.stream, format });
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const undici = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      logger.warn({ err: reset }, 'upstream call failed');
      logger.warn({ error: undici }, 'upstream call failed');
      logger.info({ code: 'SECRET-CODE-1', login: { code: 'SECRET-CODE-2' } }, 'login');
      // A real-looking WeChat login code, nested or not; and an upper-case one at the top level.
      logger.info({ code: 'ECONNRESET', login: { code: '0a3Xk9Lm2Qp7Rt5Vw8Yz1Bc4Df6Gh0J' } }, 'x');
      // An error whose `code` does not look like an error code is treated like any other.
      logger.warn({ err: Object.assign(new Error('bad'), { code: 'SECRET-code-3' }) }, 'odd');
      const text = out.text();
      expect(text).toContain('ECONNRESET');
      expect(text).toContain('UND_ERR_SOCKET');
      expect(text).not.toMatch(/SECRET-/);
      expect(text).not.toContain('0a3Xk9Lm2Qp7Rt5Vw8Yz1Bc4Df6Gh0J');
      expect(text.match(/\[redacted\]/g)).toHaveLength(5);
    },
  );
});

describe('LOG_FORMAT in the configuration', () => {
  it('is unset by default (the logger then looks at the terminal)', () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
  });

  it('takes pretty or json', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: ' json ' }).logFormat).toBe('json');
  });

  it('rejects anything else, naming the variable', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    // A sentence, not zod's "Invalid enum value. Expected 'pretty' | 'json'".
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(
      'LOG_FORMAT: must be one of pretty, json (not "xml")',
    );
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (not "loud")',
    );
  });
});
