/**
 * An operator's view of a damaged token store file: the gateway (the real `src/main.ts`, in
 * sandbox mode, on `TOKEN_STORE=file:…`) still starts, says in its log which file it moved aside
 * and why (never what the file held), and serves with a fresh file.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine, startGatewayMain, waitListening } from '../support/processes.js';

const TOKEN = 'TOKEN-VALUE-123';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-e2e-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `followers` is a service field (README, "Access"). */
const SERVICE_KEY = 'damaged-store-test-service-key-0123456789abcdef';

describe('gateway start on a damaged token store file', () => {
  it('moves the file aside, logs a short warning without its content, and serves', async () => {
    const path = join(dir, 'tokens');
    await writeFile(path, `{"cache":[["wgg:v1:token",{"value":"${TOKEN}`, { mode: 0o600 });
    const child = startGatewayMain({
      PORT: '0',
      TOKEN_STORE: `file:${path}`,
      LOG_LEVEL: 'info',
      SERVICE_API_KEYS: SERVICE_KEY,
    });
    try {
      const { url } = await waitListening(child);
      const lines = [...child.stdout, ...child.stderr];

      const warnings = lines.filter((line) => parseLogLine(line)?.level === 40);
      const moved = warnings.filter((line) => line.includes('token store file'));
      expect(moved).toHaveLength(1);
      expect(moved[0]).toContain(`token store file ${path} was not valid JSON`);
      expect(moved[0]).toMatch(/moved it to tokens\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z/);
      expect(moved[0]?.length).toBeLessThan(500);
      expect(lines.join('\n')).not.toContain(TOKEN);

      // Serving: a call that needs an access token, which lands in the fresh file.
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_KEY}` },
        body: JSON.stringify({ query: '{ followers(first: 1) { totalCount } }' }),
      });
      expect(await response.json()).toEqual({ data: { followers: { totalCount: 300 } } });
      const aside = (await readdir(dir)).filter((name) => name.startsWith('tokens.damaged-'));
      expect(aside).toHaveLength(1);
      expect(await readFile(join(dir, aside[0] ?? ''), 'utf8')).toContain(TOKEN);
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: 'wgg-token-store' });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await child.stop();
    }
  }, 30_000);
});
