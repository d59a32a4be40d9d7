import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { codesOf, useGateway } from '../support/harness.js';
import { FOLLOWERS_API } from '../support/wechat-api.js';

describe('query limits', () => {
  const fx = useGateway();

  it('rejects more than 50 aliases before anything runs', async () => {
    const fields = Array.from(
      { length: 51 },
      (_, i) => `a${i}: followers(first: 1) { totalCount }`,
    );
    const res = await fx.gw.query(`{ ${fields.join('\n')} }`);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The operation uses more than 50 aliases.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ],
    });
    expect(fx.gw.emulator.calls(FOLLOWERS_API)).toBe(0);
  });

  it('answers HTTP 400 to a client that accepts application/graphql-response+json', async () => {
    // Aliased __typename costs nothing upstream, so graphql-armor does not count it.
    const fields = Array.from({ length: 51 }, (_, i) => `a${i}: followers { totalCount }`);
    const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
      },
      body: JSON.stringify({ query: `{ ${fields.join(' ')} }` }),
    });
    expect(res.status).toBe(400);
  });

  it('accepts 50 aliases', async () => {
    // Of a field that costs no WeChat call: 50 `followers` would pass this limit and meet the
    // upstream budget (upstream-budget.test.ts).
    const fields = Array.from({ length: 50 }, (_, i) => `a${i}: tokenStatus { mode }`);
    const res = await fx.gw.query(`{ ${fields.join('\n')} }`, { as: 'admin' });
    expect(res.body.errors).toBeUndefined();
  });

  it('rejects nesting deeper than 8 levels', async () => {
    const res = await fx.gw.query(
      '{ followers { edges { node { openid { a { b { c { d { e { f } } } } } } } } } }',
    );
    expect(res.body).not.toHaveProperty('data');
    expect(codesOf(res.body)).toContain('QUERY_TOO_COMPLEX');
  });

  it("lets GraphiQL's introspection query through", async () => {
    const res = await fx.gw.query(getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
  });
});

describe('query limits outside the defaults', () => {
  const fx = useGateway({ queryLimits: { maxTokens: 40 } });

  it('refuses a document with too many tokens while parsing it', async () => {
    const fields = Array.from({ length: 30 }, (_, i) => `a${i}: __typename`);
    const res = await fx.gw.query(`{ ${fields.join(' ')} }`);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The operation has more than 40 tokens.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ],
    });
  });

  it('lets a document under the token limit through', async () => {
    const res = await fx.gw.query('{ a: __typename b: __typename }');
    expect(res.body).toEqual({ data: { a: 'Query', b: 'Query' } });
  });
});
