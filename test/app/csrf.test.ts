/**
 * CSRF prevention (yoga's plugin): a request a foreign page can send without a CORS preflight (a
 * form POST, a text/plain POST, a plain GET) is refused before anything runs unless it carries a
 * header such a page cannot add. JSON POSTs, the way every client calls, are unaffected.
 */
import { describe, expect, it } from 'vitest';
import { OAUTH_TOKEN_API } from '../support/wechat-api.js';
import { serviceHeaders, useGateway } from '../support/harness.js';

const REFUSED = { errors: [{ message: 'Required CSRF header(s) not present' }] };

describe('CSRF prevention', () => {
  const fx = useGateway();

  it('refuses a cross-site form POST: the login code is not spent', async () => {
    const { code } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, { scope: 'snsapi_base' });
    const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example.net',
      },
      body: new URLSearchParams({ query: `mutation { login(code: "${code}") { token } }` }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(REFUSED);
    expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(0);
    // The code still works for the page it was meant for.
    const login = await fx.gw.query(`mutation { login(code: "${code}") { openid } }`, {
      as: 'anonymous',
    });
    expect(login.body.errors).toBeUndefined();
  });

  it('refuses a text/plain POST and a GET without a preflight header', async () => {
    const plain = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(plain.status).toBe(403);
    const get = await fx.gw.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D');
    expect(get.status).toBe(403);
    expect(await get.json()).toEqual(REFUSED);
  });

  it('lets through a GET with the CSRF header or a bearer credential, and JSON POSTs', async () => {
    for (const headers of [{ 'x-graphql-yoga-csrf': '1' }, serviceHeaders]) {
      const res = await fx.gw.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D', {
        headers,
      });
      expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    }
    const post = await fx.gw.query('{ __typename }', { as: 'anonymous' });
    expect(post.body).toEqual({ data: { __typename: 'Query' } });
  });
});
