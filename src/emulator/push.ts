/**
 * The emulator's server push (wechat-api-more.md §1.5): each push is POSTed to the app's callback
 * URL signed (and encrypted in compatible and safe mode) as WeChat does, and sent again, signed
 * anew, when the receiver does not answer `success` (or an empty body) within 5 s: 3 tries in
 * all by default. Timestamps come from the emulator's clock.
 */
import type { Clock } from '../shared/clock.js';
import {
  buildPush,
  type PushBodyFormat,
  type PushMessage,
  type PushMode,
  type PushCredentials,
} from './push-wire.js';

export interface PushTarget extends PushCredentials {
  /** The callback URL, e.g. http://127.0.0.1:4000/wechat/callback/official. */
  url: string;
  mode: PushMode;
  format: PushBodyFormat;
}

export interface PushAttempt {
  /** HTTP status, or undefined when the receiver did not answer in time (or at all). */
  status?: number;
  body?: string;
  error?: string;
}

export interface PushDelivery {
  /** Whether a try was answered `success` or empty (WeChat then stops). */
  delivered: boolean;
  attempts: PushAttempt[];
}

export interface PushSenderOptions {
  clock: Clock;
  /** How long WeChat waits for an answer; default 5000 ms. */
  timeoutMs?: number;
  /** Tries per push, the first included; default 3. */
  tries?: number;
  /** Default: the global fetch (tests may pass yoga.fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface PushSender {
  /** Sends `message` to `target`, retrying as WeChat does; resolves when WeChat would stop. */
  push(target: PushTarget, message: PushMessage): Promise<PushDelivery>;
}

const accepted = (status: number, body: string) =>
  status === 200 && (body === 'success' || body.trim() === '');

async function attempt(
  send: NonNullable<PushSenderOptions['fetch']>,
  target: PushTarget,
  message: PushMessage,
  clock: Clock,
  timeoutMs: number,
): Promise<PushAttempt> {
  const request = buildPush(message, target, {
    mode: target.mode,
    format: target.format,
    timestamp: Math.floor(clock.now() / 1000),
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await send(`${target.url}?${request.query}`, {
      method: 'POST',
      headers: { 'content-type': request.contentType },
      body: request.body,
      signal: controller.signal,
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { error: controller.signal.aborted ? 'timeout' : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function createPushSender(options: PushSenderOptions): PushSender {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const tries = options.tries ?? 3;
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  return {
    async push(target, message) {
      const attempts: PushAttempt[] = [];
      while (attempts.length < tries) {
        const result = await attempt(send, target, message, options.clock, timeoutMs);
        attempts.push(result);
        if (result.status !== undefined && accepted(result.status, result.body ?? '')) {
          return { delivered: true, attempts };
        }
      }
      return { delivered: false, attempts };
    },
  };
}
