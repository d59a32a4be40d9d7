import { request } from 'undici';
import { afterEach, beforeEach, expect } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import {
  createEmulator,
  type Emulator,
  type EmulatorApp,
  type EmulatorOptions,
} from '../../src/emulator/index.js';
import { OFFICIAL } from '../support/apps.js';
import { FOLLOWERS_API, LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';

/** WeChat's request id suffix on every errmsg. */
export const RID = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

/** Anything with a base URL: an in-process emulator or a standalone one. */
export type Target = Pick<Emulator, 'url'>;

export interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export interface SendInit {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
}

/** One real HTTP request; the body is parsed as JSON whatever the content type says. */
export async function send(
  emulator: Target,
  path: string,
  init: SendInit = {},
): Promise<WireResponse> {
  const query = new URLSearchParams(init.query ?? {}).toString();
  const res = await request(`${emulator.url}${path}${query ? `?${query}` : ''}`, {
    method: init.method ?? 'GET',
    body: init.body,
    headers: init.contentType ? { 'content-type': init.contentType } : {},
  });
  const text = await res.body.text();
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`not a JSON object: ${text}`);
  }
  const header = res.headers['content-type'];
  return {
    status: res.statusCode,
    contentType: typeof header === 'string' ? header : '',
    text,
    body: Object.fromEntries(Object.entries(parsed)),
  };
}

export function get(emulator: Target, path: string, query: Record<string, string> = {}) {
  return send(emulator, path, { query });
}

export function postJson(
  emulator: Target,
  path: string,
  query: Record<string, string>,
  payload: unknown,
) {
  return send(emulator, path, {
    method: 'POST',
    query,
    body: JSON.stringify(payload),
    contentType: 'application/json',
  });
}

/** Asserts a WeChat error as a client sees it: HTTP 200, the errcode, a rid-suffixed errmsg. */
export function expectErrcode(res: WireResponse, errcode: number): void {
  expect(res.body, res.text).toMatchObject({ errcode });
  expect(res.status).toBe(200);
  expect(res.body.errmsg).toMatch(RID);
}

export function stringField(res: WireResponse, name: string): string {
  const value = res.body[name];
  if (typeof value !== 'string') throw new Error(`${name} is not a string in ${res.text}`);
  return value;
}

export function numberField(res: WireResponse, name: string): number {
  const value = res.body[name];
  if (typeof value !== 'number') throw new Error(`${name} is not a number in ${res.text}`);
  return value;
}

/** A property of a JSON value known only as `unknown`. */
export function prop(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`not a JSON object: ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value))[key];
}

export function arrayField(res: WireResponse, name: string): unknown[] {
  const value = res.body[name];
  if (!Array.isArray(value)) throw new Error(`${name} is not an array in ${res.text}`);
  return value;
}

export function legacyTokenResponse(emulator: Emulator, app: EmulatorApp = OFFICIAL) {
  return get(emulator, LEGACY_TOKEN_API, {
    grant_type: 'client_credential',
    appid: app.appId,
    secret: app.appSecret,
  });
}

export async function legacyToken(
  emulator: Emulator,
  app: EmulatorApp = OFFICIAL,
): Promise<string> {
  return stringField(await legacyTokenResponse(emulator, app), 'access_token');
}

export function stableTokenResponse(
  emulator: Emulator,
  app: EmulatorApp = OFFICIAL,
  forceRefresh?: boolean,
) {
  return postJson(
    emulator,
    STABLE_TOKEN_API,
    {},
    {
      grant_type: 'client_credential',
      appid: app.appId,
      secret: app.appSecret,
      ...(forceRefresh === undefined ? {} : { force_refresh: forceRefresh }),
    },
  );
}

export async function stableToken(
  emulator: Emulator,
  app: EmulatorApp = OFFICIAL,
  forceRefresh?: boolean,
): Promise<string> {
  return stringField(await stableTokenResponse(emulator, app, forceRefresh), 'access_token');
}

/**
 * What a business endpoint says about an official account's token: 'ok', or the errcode
 * (40001, 42001, ...).
 */
export async function tokenVerdict(emulator: Emulator, token: string): Promise<'ok' | number> {
  const res = await get(emulator, FOLLOWERS_API, { access_token: token });
  if (res.body.errcode === undefined) return 'ok';
  expectErrcode(res, numberField(res, 'errcode'));
  return numberField(res, 'errcode');
}

export interface EmulatorFixture {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
}

/** A fresh emulator on a manual clock for every test of the calling file. */
export function useEmulator(options: Omit<EmulatorOptions, 'clock'> = {}): EmulatorFixture {
  let emulator: Emulator | undefined;
  let clock: ManualClock | undefined;
  beforeEach(async () => {
    clock = createManualClock();
    emulator = await createEmulator({ ...options, clock });
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return {
    get emulator() {
      if (!emulator) throw new Error('emulator not started');
      return emulator;
    },
    get clock() {
      if (!clock) throw new Error('emulator not started');
      return clock;
    },
  };
}
