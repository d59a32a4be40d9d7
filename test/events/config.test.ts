/** The push variables: per app in WECHAT_APPS, single-app variables, EVENTS_RETAIN; problems never quote a secret. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { problemsOf } from '../support/config-problems.js';

const KEY = 'EmuKey0123456789abcdefghijklmnopqrstuvwxyzA';
const OLD_KEY = 'Old0123456789abcdefghijklmnopqrstuvwxyzABCD';
const single = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'secret-value' };

describe('event configuration', () => {
  it('has no callback and keeps 10 000 events per app by default', () => {
    expect(loadConfig(single).events).toEqual({ retain: 10_000, callbacks: {} });
  });

  it('serves the single app at its name with the current key first, then the previous one', () => {
    const config = loadConfig({
      ...single,
      WECHAT_APP_NAME: 'shop',
      WECHAT_CALLBACK_TOKEN: 'wxToken2024',
      WECHAT_ENCODING_AES_KEY: KEY,
      WECHAT_PREVIOUS_ENCODING_AES_KEY: OLD_KEY,
      EVENTS_RETAIN: '500',
    });
    expect(config.events).toEqual({
      retain: 500,
      callbacks: { shop: { token: 'wxToken2024', aesKeys: [KEY, OLD_KEY], mode: 'safe' } },
    });
  });

  it('reads callbackToken and the keys per app in WECHAT_APPS, and keeps them out of the app', () => {
    const config = loadConfig({
      WECHAT_APPS: JSON.stringify([
        {
          name: 'mp',
          kind: 'official',
          appId: 'wx01',
          appSecret: 's1',
          callbackToken: 'tok1',
          encodingAesKey: KEY,
        },
        {
          name: 'mini',
          kind: 'miniprogram',
          appId: 'wx02',
          appSecret: 's2',
          callbackToken: 'tok2',
        },
        { name: 'quiet', kind: 'official', appId: 'wx03', appSecret: 's3' },
      ]),
    });
    expect(config.events.callbacks).toEqual({
      mp: { token: 'tok1', aesKeys: [KEY], mode: 'safe' },
      mini: { token: 'tok2', aesKeys: [], mode: 'plain' },
    });
    expect(config.wechat.mode === 'live' && config.wechat.apps[0]).toEqual({
      name: 'mp',
      kind: 'official',
      appId: 'wx01',
      appSecret: 's1',
      tokenMode: 'stable',
    });
  });

  it('reports every problem without quoting the values', () => {
    const problems = problemsOf({
      ...single,
      WECHAT_CALLBACK_TOKEN: 'bad token!',
      WECHAT_ENCODING_AES_KEY: 'tooShortSecretKey',
      EVENTS_RETAIN: '0',
      WECHAT_APPS: JSON.stringify([
        {
          name: 'mp',
          kind: 'official',
          appId: 'wx01',
          appSecret: 's1',
          callbackToken: 'tok1',
          encodingAesKey: 'anotherShortKey',
        },
      ]),
    });
    expect(problems).toEqual([
      'WECHAT_APPS[0].encodingAesKey: must be 43 letters or digits, as the WeChat console generates it',
      'WECHAT_CALLBACK_TOKEN: must be 3–32 letters or digits, as the WeChat console accepts',
      'WECHAT_ENCODING_AES_KEY: must be 43 letters or digits, as the WeChat console generates it',
      'EVENTS_RETAIN: must be at least 1',
    ]);
    expect(problems.join('\n')).not.toMatch(/tooShortSecretKey|anotherShortKey/);
  });

  it('needs the Token with a key, and an app for the single-app variables', () => {
    expect(problemsOf({ ...single, WECHAT_ENCODING_AES_KEY: KEY })).toEqual([
      'WECHAT_CALLBACK_TOKEN: an EncodingAESKey needs the callback Token too',
    ]);
    expect(
      problemsOf({
        WECHAT_APPS: JSON.stringify([
          { name: 'mp', kind: 'official', appId: 'wx01', appSecret: 's1' },
        ]),
        WECHAT_CALLBACK_TOKEN: 'tok',
      }),
    ).toEqual([
      'WECHAT_CALLBACK_TOKEN: serves the app of WECHAT_APP_ID, which is not set (in WECHAT_APPS give each app its own "callbackToken")',
    ]);
  });

  it('ignores them in sandbox mode, which makes up its own', () => {
    const config = loadConfig({ WECHAT_CALLBACK_TOKEN: 'tok' });
    expect(config.events.callbacks).toEqual({});
    expect(config.warnings).toContain(
      'WECHAT_CALLBACK_TOKEN and the EncodingAESKeys are ignored in sandbox mode',
    );
  });
});

describe('callback mode (WECHAT_CALLBACK_MODE, per app callbackMode)', () => {
  const LONG_TOKEN = 'wxToken0123456789abcdefABCDEF';
  const apps = (...entries: Record<string, string>[]) =>
    JSON.stringify(
      entries.map((entry, index) => ({
        name: `app${index}`,
        kind: 'official',
        appId: `wx0${index}`,
        appSecret: 's',
        ...entry,
      })),
    );

  it('defaults to safe with an EncodingAESKey and to plain without, with no warning', () => {
    const config = loadConfig({
      WECHAT_APPS: apps(
        { callbackToken: LONG_TOKEN, encodingAesKey: KEY },
        { callbackToken: LONG_TOKEN },
      ),
    });
    expect(config.events.callbacks).toEqual({
      app0: { token: LONG_TOKEN, aesKeys: [KEY], mode: 'safe' },
      app1: { token: LONG_TOKEN, aesKeys: [], mode: 'plain' },
    });
    expect(config.warnings.filter((line) => line.includes('callback'))).toEqual([]);
  });

  it('takes WECHAT_CALLBACK_MODE for every app, and an app its own callbackMode over it', () => {
    const config = loadConfig({
      ...single,
      WECHAT_CALLBACK_TOKEN: LONG_TOKEN,
      WECHAT_ENCODING_AES_KEY: KEY,
      WECHAT_CALLBACK_MODE: 'compat',
      WECHAT_APPS: apps(
        { callbackToken: LONG_TOKEN, encodingAesKey: KEY },
        { callbackToken: LONG_TOKEN, encodingAesKey: KEY, callbackMode: 'safe' },
        { callbackToken: LONG_TOKEN, callbackMode: 'plain' },
      ),
    });
    expect(
      Object.fromEntries(
        Object.entries(config.events.callbacks).map(([name, found]) => [name, found.mode]),
      ),
    ).toEqual({ default: 'compat', app0: 'compat', app1: 'safe', app2: 'plain' });
    expect(config.warnings).toContain(
      "WECHAT_CALLBACK_TOKEN: callback mode compat accepts plaintext pushes, whose body WeChat does not sign; keep it only while switching the console's mode, then use safe",
    );
  });

  it('warns when plain leaves a key unused, and when a Token is shorter than 16 characters', () => {
    const config = loadConfig({
      WECHAT_APPS: apps(
        { callbackToken: LONG_TOKEN, encodingAesKey: KEY, callbackMode: 'plain' },
        { callbackToken: 'tok15charactersA'.slice(0, 15), encodingAesKey: KEY },
        { callbackToken: 'tok16charactersA', encodingAesKey: KEY },
      ),
    });
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        'WECHAT_APPS "app0": callback mode plain: encrypted pushes are refused and the EncodingAESKey is not used',
        'WECHAT_APPS "app1": the callback Token is shorter than 16 characters: anyone who sees one signed callback URL can guess it offline; use 32 random letters and digits',
      ]),
    );
    expect(config.warnings.join('\n')).not.toContain('app2');
    expect(config.warnings.join('\n')).not.toContain('tok15');
  });

  it('refuses safe and compat without a key, a mode without a Token, and an unknown mode', () => {
    expect(
      problemsOf({
        WECHAT_CALLBACK_MODE: 'safe',
        WECHAT_APPS: apps(
          { callbackToken: LONG_TOKEN },
          { callbackToken: LONG_TOKEN, callbackMode: 'compat' },
          { callbackMode: 'plain' },
        ),
      }),
    ).toEqual([
      'WECHAT_APPS "app0": callback mode safe needs an EncodingAESKey (plain accepts plaintext pushes only)',
      'WECHAT_APPS "app1": callback mode compat needs an EncodingAESKey (plain accepts plaintext pushes only)',
      'WECHAT_APPS "app2": a callback mode needs the callback Token too',
    ]);
    expect(problemsOf({ ...single, WECHAT_CALLBACK_MODE: 'aes' })).toEqual([
      expect.stringMatching(/^WECHAT_CALLBACK_MODE: must be .*plain, compat.* safe/),
    ]);
    expect(
      problemsOf({ WECHAT_APPS: apps({ callbackToken: LONG_TOKEN, callbackMode: 'raw' }) }),
    ).toEqual([
      expect.stringMatching(/^WECHAT_APPS\[0\]\.callbackMode: must be .*plain, compat.* safe/),
    ]);
  });

  it('is ignored in sandbox mode, which pushes in safe mode', () => {
    const config = loadConfig({ WECHAT_CALLBACK_MODE: 'plain' });
    expect(config.warnings).toContain(
      'WECHAT_CALLBACK_MODE is ignored in sandbox mode (the emulator pushes in safe mode)',
    );
  });
});
