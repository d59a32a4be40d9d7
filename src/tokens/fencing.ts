/**
 * Which credential is the newer one, across instances, without comparing any host's clock.
 *
 * Generations order fetches:
 * - With the store, each fetch first takes a generation from it (`nextGeneration`): integers in
 *   the order the fetches started. A larger generation is a later fetch, whoever publishes first.
 * - Without the store (down, hung, not yet connected), a fetch takes `floor(seen) + 0.5`, where
 *   `seen` is the newest generation this instance has held. Such a "provisional" generation is
 *   above everything this instance saw (so it beats the record the store still holds from
 *   before the outage, however long its TTL), and below every generation the store hands out
 *   afterwards (integers above every stored generation and above the caller's `seen`): a fetch
 *   the store coordinates after the outage wins over any made during it.
 * - Two instances that fetched during the same outage get the same provisional generation: their
 *   order is unknowable without a shared clock. The first to publish stays (putIfNewer is strict)
 *   and the other keeps its own until the next rotation or rejection brings them together.
 *
 * Fencing: an instance never adopts from the store a credential older than the newest it has
 * held (`gen < seen`), nor one whose value WeChat rejected to it. A record left behind by an
 * outage or a hang is thereby never taken up again, whatever TTL the store still gives it.
 */
import type { Credential } from './credential-record.js';

/** The generation of a fetch made without the store, by an instance that has seen `seen`. */
export function provisionalGeneration(seen: number): number {
  return Math.floor(seen) + 0.5;
}

export function isProvisional(gen: number): boolean {
  return !Number.isInteger(gen);
}

/** Is `record` (read from the store) older than what this instance has already held? */
export function isOlderThanSeen(record: Credential, seen: number): boolean {
  return record.gen < seen;
}
