/**
 * A plugin's route that throws (or rejects, or whose response hook throws) answers a short 500
 * naming the request id, never the error's stack, and logs the error once at error level.
 */
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { guardRouteFailures } from '../../src/http/route-failures.js';
import { useAccessLog } from '../../src/observability/access-log.js';
import { createGatewayMetrics } from '../../src/observability/gateway-metrics.js';
import { REQUEST_ID_HEADER } from '../../src/observability/request-scope.js';
import { captureLogs } from '../support/log-capture.js';

const SECRET_PATH = '/srv/deploy/dist/examples/h5/index.html';

function gateway(route: Plugin) {
  const logs = captureLogs();
  const plugins = [useAccessLog({ logger: logs.logger, metrics: createGatewayMetrics() }), route];
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: {} }),
    logging: false,
    plugins: guardRouteFailures(plugins, logs.logger),
  });
  return { yoga, logs };
}

const failing: Record<string, Plugin> = {
  'throws in onRequest': {
    onRequest({ url }) {
      if (url.pathname === '/broken') throw new Error(`ENOENT: open '${SECRET_PATH}'`);
    },
  },
  'rejects in onRequest': {
    async onRequest({ url }) {
      await Promise.resolve();
      if (url.pathname === '/broken') throw new Error(`ENOENT: open '${SECRET_PATH}'`);
    },
  },
  'throws in onResponse': {
    onResponse({ request }) {
      if (new URL(request.url).pathname === '/broken') {
        throw new Error(`ENOENT: open '${SECRET_PATH}'`);
      }
    },
  },
};

describe('a route that fails unexpectedly', () => {
  it.each(Object.entries(failing))(
    '%s: a short 500 with the request id, one ERROR line with the error',
    async (_what, route) => {
      const { yoga, logs } = gateway(route);
      const res = await yoga.fetch('http://gateway.test/broken', {
        headers: { [REQUEST_ID_HEADER]: 'req-42' },
      });
      expect(res.status).toBe(500);
      expect(res.headers.get(REQUEST_ID_HEADER)).toBe('req-42');
      expect(await res.text()).toBe(
        'internal error; the log has the details (request id req-42)\n',
      );
      const errors = logs.lines.filter((line) => JSON.parse(line).level === 50);
      expect(errors).toHaveLength(1);
      expect(JSON.parse(errors[0] ?? '{}')).toMatchObject({
        requestId: 'req-42',
        path: '/broken',
        err: { message: expect.stringContaining(SECRET_PATH) },
      });

      // Other requests are not affected.
      const fine = await yoga.fetch('http://gateway.test/graphql?query={ok}');
      expect(fine.status).toBe(200);
    },
  );
});

describe('a client that leaves while a route reads its body', () => {
  it('is not an error of ours: no ERROR line (the fuzz test found it on a raw socket)', async () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    const { yoga, logs } = gateway({
      onRequest({ url }) {
        if (url.pathname === '/body') throw aborted;
      },
    });
    await yoga.fetch('http://gateway.test/body', { method: 'POST', body: 'x' });
    expect(logs.lines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
    expect(logs.matching('the client left during a route')).toHaveLength(1);
  });
});
