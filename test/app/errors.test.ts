import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskGatewayError } from '../../src/app/errors.js';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { ERRCODES } from '../../src/wechat/errcodes.js';
import { UpstreamUnavailableError, WechatApiError } from '../../src/wechat/errors.js';
import { NEW_ERRCODES } from '../support/errcode-expectations.js';
import { USER_INFO_API } from '../support/wechat-api.js';

/** What graphql-js hands yoga when a resolver throws: a located error wrapping the original. */
function located(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['userInfo'], originalError: original });
}

function clientView(error: Error) {
  const masked = maskGatewayError(located(error), 'Unexpected error.', false);
  if (!(masked instanceof GraphQLError)) throw new Error('expected a GraphQLError');
  return masked.toJSON();
}

describe('maskGatewayError', () => {
  it.each([
    [40003, 'BAD_USER_INPUT'],
    [40029, 'BAD_USER_INPUT'],
    [40163, 'BAD_USER_INPUT'],
    [40030, 'BAD_USER_INPUT'],
    [40032, 'BAD_USER_INPUT'],
    [41008, 'BAD_USER_INPUT'],
    [41009, 'BAD_USER_INPUT'],
    [45009, 'RATE_LIMITED'],
    [45011, 'RATE_LIMITED'],
    [-1, 'UPSTREAM_UNAVAILABLE'],
    [40001, 'UPSTREAM_UNAVAILABLE'],
    [40014, 'UPSTREAM_UNAVAILABLE'],
    [42001, 'UPSTREAM_UNAVAILABLE'],
    [40013, 'UPSTREAM_MISCONFIGURED'],
    [40125, 'UPSTREAM_MISCONFIGURED'],
    [40164, 'UPSTREAM_MISCONFIGURED'],
    [40243, 'UPSTREAM_MISCONFIGURED'],
    [41002, 'UPSTREAM_MISCONFIGURED'],
    [41004, 'UPSTREAM_MISCONFIGURED'],
    [48001, 'UPSTREAM_MISCONFIGURED'],
    [89503, 'UPSTREAM_MISCONFIGURED'],
    [40226, 'UPSTREAM_REJECTED'],
    [50002, 'UPSTREAM_REJECTED'],
  ])('maps errcode %i to %s with the errcode and rid', (errcode, code) => {
    const errmsg = 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist';
    const view = clientView(
      new WechatApiError(USER_INFO_API, errcode, errmsg, '66b5fb8f-5e3c0071-3d7f539a'),
    );
    expect(view.extensions).toEqual({
      code,
      wechat: { errcode, rid: '66b5fb8f-5e3c0071-3d7f539a' },
    });
    expect(view.path).toEqual(['userInfo']);
    // The gateway writes its own message: WeChat's errmsg can echo the server's IP.
    expect(view.message).not.toContain('203.0.113.7');
    expect(view.message).not.toContain('/cgi-bin');
  });

  it('covers every errcode of the table in the test above', () => {
    expect([...ERRCODES.keys()].sort()).toEqual(
      [
        -1,
        40001,
        40003,
        40013,
        40014,
        40029,
        40030,
        40032,
        40125,
        40163,
        40164,
        40243,
        41002,
        41004,
        41008,
        41009,
        42001,
        45009,
        45011,
        48001,
        89503,
        // Mapped one by one in new-errcodes.test.ts.
        ...NEW_ERRCODES.map(([errcode]) => errcode),
      ].sort(),
    );
  });

  it('keeps the original error as originalError for the logs', () => {
    const original = new WechatApiError(USER_INFO_API, 40003, 'invalid openid');
    const masked = maskGatewayError(located(original), 'Unexpected error.', false);
    expect(masked).toBeInstanceOf(GraphQLError);
    expect(masked instanceof GraphQLError && masked.originalError).toBe(original);
  });

  it.each([
    ['timeout', 'WeChat did not answer in time; retry shortly.'],
    ['network', 'WeChat could not be reached; retry shortly.'],
    ['bad-response', 'WeChat sent a response that could not be read; retry shortly.'],
  ] as const)('maps an upstream %s to UPSTREAM_UNAVAILABLE without the URL', (kind, message) => {
    const view = clientView(
      new UpstreamUnavailableError(USER_INFO_API, kind, 'connect ECONNREFUSED 10.0.0.1:443'),
    );
    expect(view.message).toBe(message);
    expect(view.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each([
    [40125, 'UPSTREAM_MISCONFIGURED'],
    [40164, 'UPSTREAM_MISCONFIGURED'],
    [45009, 'RATE_LIMITED'],
    [-1, 'UPSTREAM_UNAVAILABLE'],
  ])('maps a breaker opened by %i to %s with retryAt', (errcode, code) => {
    const retryAt = Date.UTC(2026, 0, 15, 3, 0, 0);
    const view = clientView(
      new TokenUnavailableError('shop', 'breaker-open', 'breaker open', { errcode, retryAt }),
    );
    expect(view.extensions).toEqual({
      code,
      wechat: { errcode, rid: null },
      retryAt: '2026-01-15T03:00:00.000Z',
    });
    expect(view.message).toMatch(
      /^Access-token calls for app "shop" are paused until 2026-01-15T03:00:00.000Z: /,
    );
  });

  it.each([
    ['force-budget', 'RATE_LIMITED'],
    ['lease-timeout', 'UPSTREAM_UNAVAILABLE'],
    ['upstream-failing', 'UPSTREAM_UNAVAILABLE'],
    ['refresh-budget', 'UPSTREAM_UNAVAILABLE'],
  ] as const)('maps a token %s to %s', (reason, code) => {
    const view = clientView(new TokenUnavailableError('shop', reason, 'internal detail'));
    expect(view.extensions?.['code']).toBe(code);
    expect(view.message).not.toContain('internal detail');
  });

  it.each([
    [45011, 'RATE_LIMITED'],
    [89503, 'UPSTREAM_MISCONFIGURED'],
    [-1, 'UPSTREAM_UNAVAILABLE'],
    // Its row (an account that may not use an API) says so for the token endpoint's 40002 too.
    [40002, 'UPSTREAM_MISCONFIGURED'],
  ])('maps a token fetch failing with %i to %s, as the errcode row says', (errcode, code) => {
    const view = clientView(
      new TokenUnavailableError('shop', 'upstream-failing', 'internal detail', { errcode }),
    );
    expect(view.extensions).toEqual({ code, wechat: { errcode, rid: null } });
    expect(view.message).toMatch(/^No valid access token: /);
  });

  it('masks anything else', () => {
    const view = clientView(new Error('secret-ish internal detail at https://api.weixin.qq.com'));
    expect(view.message).toBe('Unexpected error.');
    expect(view.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', unexpected: true });
  });

  it('leaves the gateway’s own GraphQL errors alone', () => {
    const own = new GraphQLError('bad input', { extensions: { code: 'BAD_USER_INPUT' } });
    expect(maskGatewayError(own, 'Unexpected error.', false)).toBe(own);
  });
});
