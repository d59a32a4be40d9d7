/**
 * Issue 20, findings 3 and 4 (the callback parts): a genuine message that mentions `<!DOCTYPE`
 * or `<!ENTITY` in its text is accepted while a real DTD is still refused; the URL check's echo
 * cannot be sniffed as HTML; refusals never quote the body; and a flood of refused pushes writes
 * one warning per app and reason a minute, not one per push.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { buildPush, toXml, type PushMode } from '../../src/emulator/push-wire.js';
import { encryptMessage, wechatSignature } from '../../src/events/crypto.js';
import { MalformedPushError, parsePush } from '../../src/events/parse.js';
import { OFFICIAL } from '../support/apps.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { MINUTE, SECOND } from '../support/time.js';
import { CALLBACK, GH_ID, postPush } from './helpers.js';

const BASE = 'http://gateway.test';
const OPENID = 'oEmuUser0000000000000000001';

const seconds = (gw: Gateway) => Math.floor(gw.clock.now() / 1000);
const head = (gw: Gateway) => ({ to: GH_ID, openid: OPENID, createTime: seconds(gw) });

async function contents(gw: Gateway): Promise<string[]> {
  const result = await gw.query<{ events: { nodes: { content?: string }[] } }>(
    '{ events { nodes { ... on TextMessage { content } } } }',
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.events.nodes.map((node) => node.content ?? '') ?? [];
}

/** Posts `message` (the decrypted text) encrypted and signed as WeChat does in safe mode. */
async function postEncrypted(gw: Gateway, message: string) {
  const timestamp = String(seconds(gw));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const encrypt = encryptMessage(message, CALLBACK.aesKeys[0] ?? '', OFFICIAL.appId);
  const query = new URLSearchParams({
    signature: wechatSignature(CALLBACK.token, timestamp, nonce),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: wechatSignature(CALLBACK.token, timestamp, nonce, encrypt),
  });
  const response = await gw.yoga.fetch(`${BASE}/wechat/callback/official?${query.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: toXml({ ToUserName: GH_ID, Encrypt: encrypt }),
  });
  return { status: response.status, text: await response.text() };
}

describe('messages that mention a DOCTYPE (finding 3)', () => {
  const fx = useGateway({ events: { callbacks: { official: CALLBACK } } });

  it('accepts an encrypted text message whose content holds <!DOCTYPE html> and <!ENTITY', async () => {
    const { gw } = fx;
    const content = '<!DOCTYPE html><html></html> and <!ENTITY x "y"> <!-- <?php ?>';
    const message = pushMessages.text(head(gw), content, '24000000000000001');
    expect(await postPush(gw.yoga.fetch, BASE, gw.clock.now(), message)).toEqual({
      status: 200,
      text: 'success',
    });
    expect(await contents(gw)).toEqual([content]);
  });

  it('still refuses a real DOCTYPE in the decrypted message, in any case', async () => {
    const { gw } = fx;
    for (const dtd of ['<!DOCTYPE xml [<!ENTITY a "aaaa">]>', '<!doctype xml>']) {
      const message = `${dtd}<xml><ToUserName>${GH_ID}</ToUserName><FromUserName>${OPENID}</FromUserName><CreateTime>${seconds(gw)}</CreateTime><MsgType>text</MsgType><Content>&a;</Content><MsgId>1</MsgId></xml>`;
      expect(await postEncrypted(gw, message)).toEqual({ status: 400, text: 'XML with a DOCTYPE' });
    }
    const inside = `<xml><!ENTITY a "aaaa"><MsgType>text</MsgType></xml>`;
    expect(await postEncrypted(gw, inside)).toEqual({ status: 400, text: 'XML with a DOCTYPE' });
    expect(await contents(gw)).toEqual([]);
  });
});

describe('the DTD check looks at markup only', () => {
  const wrap = (inner: string) =>
    `<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>${inner}</xml>`;

  it.each([
    ['in CDATA', '<Content><![CDATA[<!DOCTYPE html>]]></Content>', '<!DOCTYPE html>'],
    [
      'in CDATA, split around ]]>',
      '<Content><![CDATA[a]]]]><![CDATA[><!ENTITY]]></Content>',
      'a]]><!ENTITY',
    ],
    ['escaped in text', '<Content>&lt;!DOCTYPE html&gt;</Content>', '<!DOCTYPE html>'],
    ['in a comment', '<!-- <!DOCTYPE x> --><Content>c</Content>', 'c'],
  ])('accepts <!DOCTYPE %s', (_where, inner, content) => {
    expect(parsePush(wrap(inner))['Content']).toBe(content);
  });

  it.each([
    ['before the root', `<!DOCTYPE x>${wrap('')}`, 'XML with a DOCTYPE'],
    ['after a CDATA section', wrap('<A><![CDATA[x]]></A><!ENTITY e "e">'), 'XML with a DOCTYPE'],
    ['after a comment', `<!-- c -->${`<!DoCtYpE x>`}${wrap('')}`, 'XML with a DOCTYPE'],
    ['any other declaration', wrap('<!ELEMENT a ANY>'), 'XML with a DOCTYPE'],
    [
      'an unterminated CDATA hiding one',
      wrap('<A><![CDATA[<!DOCTYPE x></A>'),
      'not well-formed XML',
    ],
  ])('refuses a declaration %s', (_where, text, reason) => {
    expect(() => parsePush(text)).toThrow(new MalformedPushError(reason));
  });
});

describe('no arrangement of markup gets a DTD past the check', () => {
  const DTD = '<!DOCTYPE xml [<!ENTITY e "EXPANDED">]>';
  const PIECES = [
    DTD,
    '<![CDATA[',
    ']]>',
    '<!--',
    '-->',
    '<?',
    '?>',
    '"',
    "'",
    '<A>',
    '</A>',
    '<A b="',
    '">',
    '&e;',
    '<xml>',
    '</xml>',
    ' ',
    '<!',
    'DOCTYPE',
  ];

  it('an entity the text declares is never expanded (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }), (pieces) => {
        let parsed = '';
        try {
          parsed = JSON.stringify(parsePush(`${pieces.join('')}<xml><A>&e;</A></xml>`));
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedPushError);
        }
        expect(parsed).not.toContain('EXPANDED');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('the URL check (finding 4)', () => {
  const fx = useGateway({ events: { callbacks: { official: CALLBACK } } });

  it('answers echostr as text/plain with nosniff', async () => {
    const { gw } = fx;
    const timestamp = String(seconds(gw));
    const signature = wechatSignature(CALLBACK.token, timestamp, '1234567890');
    const echostr = encodeURIComponent('<script>alert(1)</script>');
    const response = await gw.yoga.fetch(
      `${BASE}/wechat/callback/official?signature=${signature}&timestamp=${timestamp}&nonce=1234567890&echostr=${echostr}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('refusals never quote the body (finding 4)', () => {
  const fx = useGateway({ events: { callbacks: { official: { ...CALLBACK, mode: 'compat' } } } });
  const MARK = 'Leak7Marker';

  const bodies: [string, string, PushMode][] = [
    ['XML with a bad tag', `<xml><${MARK}<a></xml>`, 'plaintext'],
    ['XML with a mismatched close', `<xml><A>x</${MARK}></xml>`, 'plaintext'],
    ['XML with a bad entity', `<xml><A>&${MARK};</A></xml>`, 'plaintext'],
    ['XML with a DOCTYPE', `<!DOCTYPE ${MARK}><xml/>`, 'plaintext'],
    ['JSON cut short', `{"${MARK}":`, 'plaintext'],
    ['JSON with a bad token', `{"a":${MARK}}`, 'plaintext'],
    ['neither', `${MARK}`, 'plaintext'],
    ['an envelope of bad JSON', `{"Encrypt":${MARK}`, 'safe'],
    ['an envelope of bad XML', `<xml><Encrypt>${MARK}</Encrypt></xml>`, 'safe'],
  ];

  it.each(bodies)('%s: a fixed reason, in the answer and in the log', async (_what, body, mode) => {
    const { gw } = fx;
    const built = buildPush(
      pushMessages.menuClick(head(gw), 'K'),
      { token: CALLBACK.token, encodingAesKey: CALLBACK.aesKeys[0], appId: OFFICIAL.appId },
      { mode, format: 'xml', timestamp: seconds(gw) },
    );
    const response = await gw.yoga.fetch(`${BASE}/wechat/callback/official?${built.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    const text = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(text).not.toContain(MARK);
    expect(gw.logs.join('\n')).not.toContain(MARK);
    expect(gw.logs.join('\n')).toContain('push refused');
  });
});

describe('warnings of refused pushes (finding 4)', () => {
  const fx = useGateway({ events: { callbacks: { official: CALLBACK } } });

  const refusedLines = (gw: Gateway) =>
    gw.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => String(entry['msg']).startsWith('push refused'));

  it('writes at most one line per app and reason a minute, then says how many it left out', async () => {
    const { gw } = fx;
    const badSignature = () =>
      postPush(gw.yoga.fetch, BASE, gw.clock.now(), pushMessages.menuClick(head(gw), 'K'), {
        token: 'otherToken',
      });
    const stale = () =>
      postPush(gw.yoga.fetch, BASE, gw.clock.now(), pushMessages.menuClick(head(gw), 'K'), {
        timestamp: seconds(gw) - 3_600,
      });
    for (let i = 0; i < 20; i++) {
      expect((await badSignature()).status).toBe(403);
      gw.clock.advance(SECOND);
    }
    expect((await stale()).status).toBe(403);
    expect((await stale()).status).toBe(403);
    expect(
      refusedLines(gw).map((entry) => [entry['app'], entry['reason'], entry['suppressed']]),
    ).toEqual([
      ['official', 'bad signature', undefined],
      ['official', 'timestamp more than 5 minutes off', undefined],
    ]);
    gw.clock.advance(MINUTE);
    expect((await badSignature()).status).toBe(403);
    const last = refusedLines(gw).at(-1);
    expect(last).toMatchObject({
      app: 'official',
      status: 403,
      reason: 'bad signature',
      suppressed: 19,
    });
  });
});
