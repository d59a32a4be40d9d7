/**
 * The refresh budget for rejected tokens is sized by TOKEN_REFRESH_BUDGET_BURST and
 * TOKEN_REFRESH_BUDGET_REFILL_SECONDS, read as the other TOKEN_* variables are, and the provider
 * spends by it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { OFFICIAL } from '../support/apps.js';
import { MINUTE } from '../support/time.js';
import { STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));

describe('TOKEN_REFRESH_BUDGET_*', () => {
  it('size the budget the providers spend from', async () => {
    const config = loadConfig({
      TOKEN_REFRESH_BUDGET_BURST: '1',
      TOKEN_REFRESH_BUDGET_REFILL_SECONDS: '600',
    });
    expect(config.tokens).toEqual({ rejectedRefreshBurst: 1, rejectedRefreshRefillMs: 600_000 });
    const provider = h.provider({ options: config.tokens });
    expect((await provider.status()).rejectedRefreshBudget).toMatchObject({
      remaining: 1,
      capacity: 1,
      refillMs: 10 * MINUTE,
    });

    const api = h.api(provider);
    await api.getUserInfo(h.follower(), 'zh_CN');
    // One rejection spends the only refresh; the next finds none for 10 minutes.
    for (let i = 0; i < 2; i += 1) {
      h.emulator.expireTokens(OFFICIAL.appId);
      await api.getUserInfo(h.follower(), 'zh_CN').catch(() => undefined);
    }
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    await expect(api.getUserInfo(h.follower(), 'zh_CN')).rejects.toMatchObject({
      reason: 'refresh-budget',
      retryAt: h.clock.now() + 10 * MINUTE,
    });
    expect(h.emulator.calls(USER_INFO_API)).toBe(4);
  });

  it('defaults to 3 at once, one more every 2 minutes', async () => {
    expect(loadConfig({}).tokens).toEqual({});
    await expect(h.provider().status()).resolves.toMatchObject({
      rejectedRefreshBudget: { capacity: 3, refillMs: 2 * MINUTE },
    });
  });

  it.each([
    ['TOKEN_REFRESH_BUDGET_BURST', '0'],
    ['TOKEN_REFRESH_BUDGET_BURST', '1.5'],
    ['TOKEN_REFRESH_BUDGET_REFILL_SECONDS', '0'],
    ['TOKEN_REFRESH_BUDGET_REFILL_SECONDS', 'soon'],
  ])('refuse %s=%s at start-up', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
