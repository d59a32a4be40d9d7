/**
 * Fleet fault suite, part 3: the file store (`TOKEN_STORE=file:<path>`, the default outside
 * sandbox mode). Issue 8's Done-when: two processes on one file spend one token call per
 * rotation, as one does; a damaged or empty file found at start is moved aside with a warning and
 * the start goes on.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useScenario } from './support/scenario.js';

describe('two gateway processes on one file store', () => {
  const scenario = useScenario('two processes on one file');

  it('legacy mode: one token call for the cold start, one per rotation', async () => {
    const dir = await scenario.tempDir();
    const store = `file:${join(dir, 'tokens')}`;
    const emulator = await scenario.emulator();
    const gateways = await scenario.gateways(2, { mode: 'legacy', store });

    const start = await scenario.mark();
    scenario.load(gateways, { openid: await emulator.follower() });
    await sleep(2_500);
    const warm = await scenario.mark();
    scenario.phase('cold start', start, warm, { maxTokenCalls: 1, minTokenCalls: 1 });
    const token = await scenario.settle('cold start', gateways, 3_000);

    // The token expires (42001 for every call made with it): a legacy rotation.
    await emulator.expireTokens();
    await scenario.settle('rotation', gateways, 8_000, token);
    await sleep(1_500);
    const rotated = await scenario.finish();
    scenario.phase('legacy rotation', warm, rotated, { maxTokenCalls: 1, minTokenCalls: 1 });
  }, 60_000);
});

describe('a damaged file store at start', () => {
  const scenario = useScenario('damaged file store');

  const damaged = {
    empty: '',
    // A store file cut short, as a crash in the middle of an in-place rewrite leaves it.
    truncated:
      '{"cache":[["wgg:v1:{wx00000000000000a1.0123456789ab}:token:stable",{"value":{"v":"{\\"value\\":\\"86_AbC',
    garbage: 'this is not JSON \u0000\u0001 at all\n',
  } as const;

  it('each gateway moves its empty, truncated or garbage file aside, warns, starts and serves', async () => {
    const dir = await scenario.tempDir();
    const kinds = Object.keys(damaged) as (keyof typeof damaged)[];
    const paths = kinds.map((kind) => join(dir, kind, 'tokens'));
    for (const kind of kinds) {
      await mkdir(join(dir, kind));
      await writeFile(join(dir, kind, 'tokens'), damaged[kind]);
    }
    const emulator = await scenario.emulator();
    const gateways = await scenario.gateways(kinds.length, {
      mode: 'stable',
      store: (i) => `file:${paths[i]}`,
    });

    const start = await scenario.mark();
    scenario.load(gateways, { openid: await emulator.follower() });
    await sleep(2_000);
    const served = await scenario.finish();
    scenario.phase('serving after a damaged file', start, served, {
      maxTokenCalls: kinds.length,
      minTokenCalls: 1,
      note: 'one cold fetch per gateway: each has its own file',
    });

    for (const [i, kind] of kinds.entries()) {
      const gateway = gateways[i];
      const warned = gateway?.process.stdout.some(
        (line) => /"level":(4|5|6)0/.test(line) && !line.includes('upstream failure'),
      );
      expect.soft(warned, `${kind} file: a warning in the log`).toBe(true);
      if (damaged[kind] === '') continue;
      // Moved aside, not lost: the damaged bytes are still in a file next to the store.
      const kept: string[] = [];
      for (const name of await readdir(join(dir, kind))) {
        if (name === 'tokens') continue;
        if ((await readFile(join(dir, kind, name), 'utf8')) === damaged[kind]) kept.push(name);
      }
      expect.soft(kept, `${kind} file: its content kept aside`).not.toEqual([]);
    }
  }, 60_000);
});
