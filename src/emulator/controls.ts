import { systemClock, type Clock } from '../shared/clock.js';
import { parseJsonObject, type EmulatorRequest } from './protocol.js';

/**
 * Paths under this prefix are the emulator's own controls, not WeChat APIs: what a test in
 * another process (or a person with curl) needs of a standalone emulator. They are never counted
 * in `calls()` and never faulted.
 */
export const CONTROL_PREFIX = '/__emulator/';

/** A clock tests can move forward. */
export interface AdjustableClock extends Clock {
  advance(ms: number): void;
}

/**
 * Real time plus an offset that only grows: the clock of a standalone emulator, so that a test
 * can let WeChat's 300 s hand-over pass at once while everything else runs in real time.
 */
export function createOffsetClock(base: Clock = systemClock): AdjustableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance clock by ${ms} ms`);
      offset += ms;
    },
  };
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  return 'advance' in clock && typeof clock.advance === 'function';
}

/** What the controls act on: the emulator's in-process controls. */
export interface ControlTarget {
  callCounts(appId?: string): Record<string, number>;
  resetCalls(): void;
  /** Undefined when the emulator runs on a clock that cannot be moved. */
  advanceClock: ((ms: number) => void) | undefined;
  now(): number;
  expireTokens(appId: string): void;
  takeLegacyToken(appId: string): string;
  forceRotateStable(appId: string): string;
  failNext(path: string, count: number, options: { errcode?: number }): void;
  followerOpenids(appId: string): readonly string[];
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: object;
}

/** A bad control request: answered 400 with the message, like the emulator's own refusals. */
class ControlInputError extends Error {}

type Args = Readonly<Record<string, unknown>>;

function text(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') {
    throw new ControlInputError(`"${name}" must be a non-empty string`);
  }
  return value;
}

function count(args: Args, name: string): number {
  const value = args[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ControlInputError(`"${name}" must be a non-negative number`);
  }
  return value;
}

interface ControlRoute {
  readonly method: 'GET' | 'POST';
  run(args: Args): object;
}

function controlRoutes(target: ControlTarget): ReadonlyMap<string, ControlRoute> {
  return new Map<string, ControlRoute>([
    [
      'calls',
      {
        method: 'GET',
        run: (args) =>
          args.appid === undefined
            ? { calls: target.callCounts() }
            : { calls: target.callCounts(text(args, 'appid')) },
      },
    ],
    ['calls/reset', { method: 'POST', run: () => (target.resetCalls(), {}) }],
    [
      'clock/advance',
      {
        method: 'POST',
        run(args) {
          if (target.advanceClock === undefined) {
            throw new ControlInputError('this emulator runs on a clock that cannot be moved');
          }
          target.advanceClock(count(args, 'seconds') * 1000);
          return { now: target.now() };
        },
      },
    ],
    [
      'tokens/expire',
      { method: 'POST', run: (args) => (target.expireTokens(text(args, 'appid')), {}) },
    ],
    [
      'tokens/take-legacy',
      {
        method: 'POST',
        run: (args) => ({ access_token: target.takeLegacyToken(text(args, 'appid')) }),
      },
    ],
    [
      'tokens/force-rotate-stable',
      {
        method: 'POST',
        run: (args) => ({ access_token: target.forceRotateStable(text(args, 'appid')) }),
      },
    ],
    [
      'faults/fail-next',
      {
        method: 'POST',
        run(args) {
          const errcode = args.errcode;
          if (errcode !== undefined && typeof errcode !== 'number') {
            throw new ControlInputError('"errcode" must be a number');
          }
          target.failNext(text(args, 'path'), count(args, 'count'), { errcode });
          return {};
        },
      },
    ],
    [
      'followers',
      {
        method: 'GET',
        run: (args) => ({ openids: target.followerOpenids(text(args, 'appid')) }),
      },
    ],
  ]);
}

/**
 * The HTTP controls: GET ones read the query, POST ones a JSON object body. Answers are plain
 * JSON (`{"error": …}` with 400, 404 or 405 when something is wrong), never WeChat's envelope.
 */
export function createControls(target: ControlTarget): (req: EmulatorRequest) => ControlAnswer {
  const routes = controlRoutes(target);
  return (req) => {
    const name = req.path.slice(CONTROL_PREFIX.length);
    const route = routes.get(name);
    if (!route) {
      return {
        status: 404,
        body: { error: `no control ${req.path}; controls: ${[...routes.keys()].join(', ')}` },
      };
    }
    if (req.method !== route.method) {
      return { status: 405, body: { error: `${req.path} takes ${route.method}` } };
    }
    let args: Args = Object.fromEntries(req.query);
    if (route.method === 'POST' && req.body.trim() !== '') {
      const parsed = parseJsonObject(req.body);
      if (parsed.kind === 'malformed') {
        return { status: 400, body: { error: 'the body must be a JSON object' } };
      }
      args = parsed.value;
    }
    try {
      return { status: 200, body: route.run(args) };
    } catch (error) {
      // Bad input, an unknown app, a spent quota: the caller's to fix.
      if (error instanceof Error) return { status: 400, body: { error: error.message } };
      throw error;
    }
  };
}
