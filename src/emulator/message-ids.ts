import { randomBytes } from 'node:crypto';

/**
 * Message ids as WeChat hands them out: template and subscribe `msgid`s are 64-bit (beyond 2^53,
 * so JSON.parse would round them), mass `msg_id`s fit in 32 bits. Unique per emulator.
 */
export interface MessageIds {
  /** A decimal string between 2^60 and 2^63. */
  next64(): string;
  /** A 10-digit decimal number, increasing. */
  next32(): number;
}

export function createMessageIds(): MessageIds {
  let counter = 0n;
  const base = (1n << 60n) + (BigInt(`0x${randomBytes(6).toString('hex')}`) << 8n);
  let mass = 1_000_000_000 + randomBytes(2).readUInt16BE(0) * 1000;
  return {
    next64() {
      counter += 1n;
      return (base + counter * 4099n).toString();
    },
    next32() {
      mass += 1;
      return mass;
    },
  };
}
