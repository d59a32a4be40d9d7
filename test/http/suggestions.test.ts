/**
 * With introspection off, error messages do not spell out the schema: no "Did you mean …" for
 * fields, arguments, types or enum values. With it on (GraphiQL, development), they still help.
 */
import { describe, expect, it } from 'vitest';
import { useGateway, type Gateway } from '../support/harness.js';

const TYPOS = {
  field: '{ userInf(openid: "o1") { openid } }',
  argument: '{ userInfo(openi: "o1") { openid } }',
  type: 'query ($l: Languag) { userInfo(openid: "o1", lang: $l) { openid } }',
  enumValue: '{ userInfo(openid: "o1", lang: ZH_C) { openid } }',
  enumVariable: {
    query: 'query ($l: Language) { userInfo(openid: "o1", lang: $l) { openid } }',
    variables: { l: 'ZH_C' },
  },
};

async function messages(gw: Gateway): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, typo] of Object.entries(TYPOS)) {
    const { query, variables } = typeof typo === 'string' ? { query: typo, variables: {} } : typo;
    const res = await gw.query(query, { variables });
    out[name] = (res.body.errors ?? []).map((error) => error.message).join(' | ');
  }
  return out;
}

describe('introspection off', () => {
  const fx = useGateway({ introspection: false });

  it('suggests no names in any error message', async () => {
    const out = await messages(fx.gw);
    for (const [name, text] of Object.entries(out)) {
      expect(text, name).not.toBe('');
      expect(text, name).not.toMatch(/did you mean/i);
    }
    expect(out).toMatchObject({
      field: 'Cannot query field "userInf" on type "Query".',
      enumValue: 'Value "ZH_C" does not exist in "Language" enum.',
    });
    expect(out['enumVariable']).toMatch(/^Variable "\$l" got invalid value "ZH_C"; .*enum\.$/);
  });
});

describe('introspection on', () => {
  const fx = useGateway({ introspection: true });

  it('keeps the suggestions', async () => {
    const out = await messages(fx.gw);
    expect(out['field']).toMatch(/Did you mean "userInfo"/);
    expect(out['enumValue']).toMatch(/Did you mean the enum value "ZH_CN"/);
  });
});
