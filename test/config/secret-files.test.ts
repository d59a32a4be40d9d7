/**
 * `<NAME>_FILE` for every secret: read once at configuration time, trimmed; problems name the
 * variable and the path, never the content.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { problemsOf } from '../support/config-problems.js';
import { SECRET_VARIABLES } from '../../src/config/secret-files.js';

const dir = mkdtempSync(join(tmpdir(), 'wgg-secret-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function secretFile(content: string): string {
  n += 1;
  const path = join(dir, `secret-${n}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const ADMIN = 'admin-key-from-a-file-0123456789';
const SERVICE = ['service-key-one-0123456789abcdefgh', 'service-key-two-0123456789abcdefgh'];
const SESSION = 'session-secret-from-a-file-0123456789abcdef';
const APP_SECRET = 'app-secret-from-a-file';
const APPS = [{ name: 'mini', kind: 'miniprogram', appId: 'wxb2', appSecret: 'mini-secret-1' }];

describe('*_FILE variables', () => {
  it('covers every secret variable', () => {
    expect([...SECRET_VARIABLES].sort()).toEqual(
      [
        'ADMIN_API_KEY',
        'SERVICE_API_KEYS',
        'SESSION_SECRET',
        'TOKEN_STORE',
        'WECHAT_APPS',
        'WECHAT_APP_SECRET',
      ].sort(),
    );
  });

  it('reads each secret from its file, trimmed (the trailing newline of echo)', () => {
    const config = loadConfig({
      WECHAT_APP_ID: 'wxa1',
      WECHAT_APP_SECRET_FILE: secretFile(`${APP_SECRET}\n`),
      WECHAT_APPS_FILE: secretFile(`${JSON.stringify(APPS)}\n`),
      ADMIN_API_KEY_FILE: secretFile(`  ${ADMIN}\r\n`),
      SERVICE_API_KEYS_FILE: secretFile(`${SERVICE.join(',')}\n`),
      SESSION_SECRET_FILE: secretFile(`${SESSION}\n`),
      TOKEN_STORE_FILE: secretFile('redis://:pa55word@127.0.0.1:6379\n'),
    });
    expect(config.access.adminApiKey).toBe(ADMIN);
    expect(config.access.serviceApiKeys).toEqual(SERVICE);
    expect(config.access.sessionSecrets).toEqual([SESSION]);
    expect(config.tokenStore).toBe('redis://:pa55word@127.0.0.1:6379');
    expect(config.wechat).toMatchObject({
      mode: 'live',
      apps: [
        { name: 'default', appId: 'wxa1', appSecret: APP_SECRET },
        { name: 'mini', appId: 'wxb2', appSecret: 'mini-secret-1' },
      ],
    });
  });

  it('a secret file alone means live mode, as the variable does', () => {
    const config = loadConfig({
      WECHAT_APP_ID: 'wxa1',
      WECHAT_APP_SECRET_FILE: secretFile(APP_SECRET),
    });
    expect(config.wechat.mode).toBe('live');
    expect(loadConfig({ WECHAT_APPS_FILE: secretFile(JSON.stringify(APPS)) }).wechat.mode).toBe(
      'live',
    );
  });

  it('refuses both the variable and its file', () => {
    expect(problemsOf({ ADMIN_API_KEY: ADMIN, ADMIN_API_KEY_FILE: secretFile(ADMIN) })).toContain(
      'ADMIN_API_KEY and ADMIN_API_KEY_FILE are both set: set only one of them',
    );
  });

  it('says what is wrong with the file, naming its path, never its content', () => {
    const empty = secretFile(' \n');
    const unreadable = secretFile(SESSION);
    chmodSync(unreadable, 0o000);
    const directory = join(dir, 'a-directory');
    mkdirSync(directory);
    const short = secretFile('too-short\n');
    const badJson = secretFile(`[{"name":"x","appSecret":"${APP_SECRET}"`);
    const problems = problemsOf({
      ADMIN_API_KEY_FILE: short,
      SERVICE_API_KEYS_FILE: join(dir, 'missing'),
      SESSION_SECRET_FILE: empty,
      WECHAT_APP_SECRET_FILE: directory,
      WECHAT_APP_ID: 'wxa1',
      WECHAT_APPS_FILE: badJson,
      TOKEN_STORE_FILE: unreadable,
    });
    const running = process.getuid?.() === 0;
    expect(problems).toEqual(
      expect.arrayContaining([
        `ADMIN_API_KEY (read from ADMIN_API_KEY_FILE "${short}"): must be at least 32 characters: generate one with \`openssl rand -base64 32\``,
        `SERVICE_API_KEYS_FILE: cannot read "${join(dir, 'missing')}" (no such file)`,
        `SESSION_SECRET_FILE: "${empty}" is empty`,
        `WECHAT_APP_SECRET_FILE: "${directory}" is not a regular file`,
        expect.stringMatching(
          new RegExp(`^WECHAT_APPS \\(read from WECHAT_APPS_FILE ".*"\\): is not valid JSON`),
        ),
      ]),
    );
    if (!running) {
      // root reads any file: the permission check only means something for other users.
      expect(problems).toContain(
        `TOKEN_STORE_FILE: cannot read "${unreadable}" (permission denied)`,
      );
    }
    const text = problems.join('\n');
    for (const secret of ['too-short', APP_SECRET, SESSION]) expect(text).not.toContain(secret);
  });
});
