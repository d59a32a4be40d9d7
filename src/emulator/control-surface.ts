/**
 * What every control surface shares: the emulator's own HTTP controls (control-table.ts, served
 * by server.ts) and the sandbox's helper routes (src/sandbox/routes.ts, served by the gateway).
 * One request shape, one parameter reader, one route type and one answer: plain JSON, never
 * WeChat's envelope, `{"error": …}` with 400, 404 or 405 when the caller got something wrong.
 */
import { isRecord } from '../shared/json.js';

export type ControlMethod = 'GET' | 'POST';

export const GET_OR_POST: readonly ControlMethod[] = ['GET', 'POST'];

export interface ControlRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** '' when there is none. Only POST bodies are read. */
  readonly body: string;
  /** The media type: lower case, without parameters (see mediaType). */
  readonly contentType: string;
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: object;
}

/** A caller's mistake: answered 400 with the message. Anything else is a bug and is rethrown. */
export class ControlInputError extends Error {}

/** A route's parameters: the query, overridden by those of a JSON or form body. */
export interface ControlParams {
  /** As given ('' included); a JSON number or boolean as text; undefined when absent. */
  text(name: string): string | undefined;
  /** A parameter that must be given and not be empty. */
  requireText(name: string): string;
  /** A JSON number or a decimal in text; undefined when absent. */
  number(name: string): number | undefined;
}

export interface ControlRoute<Context = void> {
  readonly methods: readonly ControlMethod[];
  run(params: ControlParams, context: Context): object | Promise<object>;
}

/** Path → route. Aliases are entries of their own pointing at the same route. */
export type ControlTable<Context = void> = ReadonlyMap<string, ControlRoute<Context>>;

export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function bodyParams(request: ControlRequest): Iterable<[string, unknown]> {
  if (request.method !== 'POST' || request.body.trim() === '') return [];
  if (request.contentType === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(request.body);
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new ControlInputError('the body is neither JSON nor a form');
  }
  if (!isRecord(body)) throw new ControlInputError('the body must be a JSON object');
  return Object.entries(body);
}

/**
 * The one parameter reader: query parameters, overridden by a form body (by its content type)
 * or else a JSON object body. Throws ControlInputError on a body that is neither.
 */
export function readControlParams(request: ControlRequest): ControlParams {
  const values = new Map<string, unknown>(request.query);
  for (const [key, value] of bodyParams(request)) values.set(key, value);
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    if (value === undefined || typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new ControlInputError(`"${name}" must be a string`);
  };
  return {
    text,
    requireText(name) {
      const value = text(name);
      if (!value) throw new ControlInputError(`"${name}" must be a non-empty string`);
      return value;
    },
    number(name) {
      const value = values.get(name);
      if (value === undefined) return undefined;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
      throw new ControlInputError(`"${name}" must be a number`);
    },
  };
}

/**
 * The emulator's own checks (an unknown appid, the wrong kind of app, a bad openid, a spent
 * quota) throw RangeError: from a control, that is the caller's mistake, so it becomes a 400.
 */
export async function refusingRangeErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw new ControlInputError(error.message);
    throw error;
  }
}

/** Answers a request for one of the table's paths (404 for any other). */
export async function answerControl<Context>(
  table: ControlTable<Context>,
  request: ControlRequest,
  context: Context,
): Promise<ControlAnswer> {
  const route = table.get(request.path);
  if (!route) {
    const known = [...table.keys()].join(', ');
    return { status: 404, body: { error: `no control ${request.path}; controls: ${known}` } };
  }
  if (!route.methods.some((method) => method === request.method)) {
    return { status: 405, body: { error: `use ${route.methods.join(' or ')}` } };
  }
  try {
    return { status: 200, body: await route.run(readControlParams(request), context) };
  } catch (error) {
    if (error instanceof ControlInputError) return { status: 400, body: { error: error.message } };
    throw error;
  }
}
