import { randomInt } from 'node:crypto';
import type { Clock } from '../shared/clock.js';

/** murmur3's 32-bit finaliser: turns a counter into a random-looking word. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * Request ids shaped like WeChat's (`66b5fb8f-5e3c0071-3d7f539a`): real ones start with the unix
 * time in hex, followed by two opaque words. A counter keeps them unique within one emulator.
 */
export function createRidGenerator(
  clock: Clock,
  salt: number = randomInt(0x7fffffff),
): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    const seconds = Math.floor(clock.now() / 1000);
    return `${hex8(seconds)}-${hex8(mix32(counter ^ salt))}-${hex8(mix32(counter + salt * 31))}`;
  };
}
