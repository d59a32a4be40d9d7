/**
 * The drain's yoga plugin: responses close their connection while draining, and a subscription
 * stream (SSE) ends with its `complete` event when the drain ends streams, on a real socket.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createDrain, useDrain } from '../../src/http/drain.js';
import { listenOnLoopback } from '../support/ports.js';

function ticks(): AsyncGenerator<{ tick: number }> {
  let n = 0;
  let returned = false;
  return {
    async next() {
      if (returned) return { done: true, value: undefined };
      await new Promise((resolve) => setTimeout(resolve, 20));
      n += 1;
      return { done: false, value: { tick: n } };
    },
    async return() {
      returned = true;
      ended.push(n);
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
const ended: number[] = [];

describe('useDrain', () => {
  it('ends SSE streams with "complete" and closes connections while draining', async () => {
    const drain = createDrain();
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { ok: Boolean } type Subscription { tick: Int }',
        resolvers: { Subscription: { tick: { subscribe: ticks } } },
      }),
      plugins: [useDrain(drain)],
      logging: false,
    });
    const server = createServer(yoga);
    const { port } = await listenOnLoopback(server);
    try {
      const res = await request(`http://127.0.0.1:${port}/graphql?query=subscription{tick}`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(res.headers['content-type']).toContain('text/event-stream');
      let text = '';
      const read = (async () => {
        for await (const chunk of res.body) text += String(chunk);
      })();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(text).toContain('"tick":1');
      drain.begin('test');
      const plain = await request(`http://127.0.0.1:${port}/graphql?query={ok}`);
      expect(plain.headers['connection']).toBe('close');
      await plain.body.text();
      drain.endStreams();
      await read;
      expect(text).toMatch(/event: complete\ndata:\n\n$/);
      expect(ended).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
