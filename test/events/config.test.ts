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
      callbacks: { shop: { token: 'wxToken2024', aesKeys: [KEY, OLD_KEY] } },
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
      mp: { token: 'tok1', aesKeys: [KEY] },
      mini: { token: 'tok2', aesKeys: [] },
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
