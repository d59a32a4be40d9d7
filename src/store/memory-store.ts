import { Keyv } from 'keyv';
import { systemClock, type Clock } from '../shared/clock.js';
import { createCellTokenStore, createSerialQueue, isCell, type CellAccess } from './cell-store.js';
import type { TokenStore } from './store.js';

// Keyv's own TTL runs on Date.now(); the deadline that counts is the cell's, on the injected
// clock. Keyv only gets a generous TTL so that entries nobody reads again (old ledger days) are
// eventually dropped from memory.
const GC_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * Process-local store; fine for one instance and for tests, lost on restart. One queue runs
 * every operation in turn, which makes the compound ones atomic within the process.
 */
export function createMemoryTokenStore(options: { namespace: string; clock?: Clock }): TokenStore {
  const clock = options.clock ?? systemClock;
  const keyv = new Keyv({ useKeyPrefix: false, throwOnErrors: true });
  const serial = createSerialQueue();
  const cells: CellAccess = {
    async get(key) {
      const raw: unknown = await keyv.get(key);
      return isCell(raw) ? raw : undefined;
    },
    async put(key, cell) {
      await keyv.set(
        key,
        cell,
        cell.exp === null ? undefined : cell.exp - clock.now() + GC_SLACK_MS,
      );
    },
    async remove(key) {
      await keyv.delete(key);
    },
  };
  return createCellTokenStore({
    kind: 'memory',
    namespace: options.namespace,
    clock,
    run: (_mode, task) => serial(() => task(cells)),
    close: () => serial(() => keyv.disconnect()),
  });
}
