import type { EmulatorApp } from './emulator-app.js';

/**
 * The sandbox apps every emulator starts with unless told otherwise. The values are fake by
 * construction (real appids are `wx` + 16 hex digits, real secrets 32 hex digits), so they can
 * never be mistaken for, or collide with, real credentials.
 */
export const DEFAULT_EMULATOR_APPS: readonly EmulatorApp[] = Object.freeze([
  Object.freeze({
    appId: 'wx00000000000000a1',
    appSecret: 'sandbox-official-secret-0000000a1',
    kind: 'official',
    followers: 300,
  }),
  Object.freeze({
    appId: 'wx00000000000000b2',
    appSecret: 'sandbox-miniprogram-secret-00000b2',
    kind: 'miniprogram',
    followers: 0,
  }),
] satisfies EmulatorApp[]);
