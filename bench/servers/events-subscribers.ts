/**
 * The subscribers of the events benchmark, in their own process: BENCH_SUBSCRIBERS SSE
 * subscriptions to `wechatEvents(after:)`, spread over the instances in BENCH_ORIGINS. Each
 * checks what it receives against the pushes' sequence numbers (the MsgId minus BENCH_MSG_BASE):
 * count, duplicates, out of order; `stats` reports them per subscriber.
 */
import { BENCH_SERVICE_KEY, serve } from '../ipc.js';

const origins: string[] = JSON.parse(process.env['BENCH_ORIGINS'] ?? '[]');
const count = Number(process.env['BENCH_SUBSCRIBERS'] ?? '20');
const after = process.env['BENCH_AFTER'] ?? '';
const base = BigInt(process.env['BENCH_MSG_BASE'] ?? '0');
if (origins.length === 0 || after === '') throw new Error('set by bench/events.ts');

const QUERY = `subscription ($after: ID) {
  wechatEvents(after: $after, types: [TEXT_MESSAGE]) { id ... on TextMessage { msgId } }
}`;

interface Tally {
  received: number;
  duplicates: number;
  outOfOrder: number;
  /** The log id of the last event: ids must grow (log order, which is not send order). */
  lastId: [number, number];
  seen: Set<number>;
  lastAt: number;
}

const tallies: Tally[] = [];

async function subscribe(origin: string, tally: Tally): Promise<void> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${BENCH_SERVICE_KEY}`,
    },
    body: JSON.stringify({ query: QUERY, variables: { after } }),
  });
  if (!response.body) throw new Error(`no stream from ${origin}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += read.value;
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!block.startsWith('event: next') || data === undefined) continue;
      const payload = JSON.parse(data) as { data: { wechatEvents: { id: string; msgId: string } } };
      const { id, msgId } = payload.data.wechatEvents;
      const n = Number(BigInt(msgId) - base);
      const [ms = 0, seq = 0] = id.split('-').map(Number);
      if (tally.seen.has(n)) tally.duplicates += 1;
      else {
        tally.seen.add(n);
        tally.received += 1;
      }
      const [lastMs, lastSeq] = tally.lastId;
      if (ms < lastMs || (ms === lastMs && seq <= lastSeq)) tally.outOfOrder += 1;
      tally.lastId = [ms, seq];
      tally.lastAt = performance.now();
    }
  }
}

const opened = performance.now();
for (let i = 0; i < count; i++) {
  const tally: Tally = {
    received: 0,
    duplicates: 0,
    outOfOrder: 0,
    lastId: [0, 0],
    seen: new Set(),
    lastAt: 0,
  };
  tallies.push(tally);
  subscribe(origins[i % origins.length] ?? '', tally).catch((error: unknown) => {
    console.error(`subscriber ${i} failed`, error);
    process.exit(1);
  });
}

serve({ subscribers: String(count) }, () => {
  const stats: Record<string, number> = {};
  tallies.forEach((tally, i) => {
    stats[`s${i}.received`] = tally.received;
    stats[`s${i}.duplicates`] = tally.duplicates;
    stats[`s${i}.outOfOrder`] = tally.outOfOrder;
    stats[`s${i}.lastAtMs`] = tally.lastAt === 0 ? 0 : tally.lastAt - opened;
  });
  return stats;
});
