/**
 * The push parser stays linear on hostile input (issue 20, finding 2). The id-keeping JSON parse
 * used to be a regex that backtracked quadratically (64 kB of `\"` took ~2 s, `{"a":` + 65 000
 * digits + `e1}` ~5 s), and it ran on the outer body before msg_signature was checked: anyone
 * holding one captured query string could stall the event loop. Now the scanners count their
 * steps (at most a few per character, whatever the input), the whole parse scales linearly in
 * CPU time, and the issue's bodies are answered at once while /healthz keeps answering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePush, quoteLongIntegers } from '../../src/events/parse.js';
import { wechatSignature } from '../../src/events/crypto.js';
import { rootChildText, scanXml, type ScanMeter } from '../../src/events/xml-scan.js';
import { useGateway } from '../support/harness.js';
import { CALLBACK } from './helpers.js';

/** Pieces that trip backtracking regexes and naive scanners: quotes, escapes, digits, markup. */
const HOSTILE_PIECES = [
  '\\"',
  '"',
  '\\',
  '1',
  '9',
  '-',
  'e',
  'E',
  '.',
  '+',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  ' ',
  '\n',
  '{"a":',
  '<',
  '>',
  '/',
  '=',
  "'",
  '&',
  ';',
  'a',
  '<a',
  '</a>',
  '<a/>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?',
  '?>',
  '<!',
  '<Encrypt>',
  '</Encrypt>',
] as const;

const hostileText = (maxLength: number) =>
  fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength }).map((pieces) => pieces.join(''));

const steps = (run: (meter: ScanMeter) => unknown): number => {
  const meter: ScanMeter = { steps: 0 };
  run(meter);
  return meter.steps;
};

describe('the scanners count at most a few steps per character', () => {
  it('quoteLongIntegers: at most 2 per character plus 1, on any input', () => {
    fc.assert(
      fc.property(hostileText(2_000), (text) => {
        expect(steps((meter) => quoteLongIntegers(text, meter))).toBeLessThanOrEqual(
          2 * text.length + 1,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('scanXml and rootChildText: at most 2 per character plus 2, on any input', () => {
    fc.assert(
      fc.property(hostileText(2_000), (text) => {
        const bound = 2 * text.length + 2;
        expect(steps((meter) => scanXml(text, () => false, meter))).toBeLessThanOrEqual(bound);
        expect(steps((meter) => rootChildText(text, 'Encrypt', meter))).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 300 },
    );
  });

  it('quoteLongIntegers quotes exactly the integers of 16 digits or more, outside strings', () => {
    expect(
      JSON.parse(
        quoteLongIntegers(
          '{"MsgId":24000000000000001,"n":-1234567890123456,"f":1234567890123456.5,"e":1234567890123456e1,"s":"24000000000000001 \\" 99999999999999999","short":123}',
        ),
      ),
    ).toEqual({
      MsgId: '24000000000000001',
      n: '-1234567890123456',
      f: 1234567890123456.5,
      e: 12345678901234560,
      s: '24000000000000001 " 99999999999999999',
      short: 123,
    });
  });
});

/** CPU ms of one `run`: the least of 5 batches of `reps`, so a busy machine adds little noise. */
function cpuMsPerRun(run: () => void, reps: number): number {
  let best = Infinity;
  for (let batch = 0; batch < 5; batch++) {
    const start = process.cpuUsage();
    for (let rep = 0; rep < reps; rep++) run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000 / reps);
  }
  return best;
}

const tryParse = (body: string) => () => {
  try {
    parsePush(body);
  } catch {
    // Refused: what counts is how long it took.
  }
};

/** A quadratic parse fails this at once; a linear one answers in well under a millisecond. */
const SINGLE_PARSE_CAP_MS = 50;

/** What backtracking feeds on most: quotes, escapes, digits and what may follow digits. */
const NUMERIC_AND_QUOTES = ['\\"', '"', '\\', '1', '9', '-', 'e', '.'] as const;

describe('parsing scales linearly in CPU time', () => {
  it('a body 4 times longer costs less than 8 times the CPU (fast-check over hostile bodies)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '{"a":', '{"a":"', '"', '{', '<xml>', '<xml><A>', '<xml><A><![CDATA['),
        fc.array(
          fc.oneof(
            { arbitrary: fc.constantFrom(...NUMERIC_AND_QUOTES), weight: 3 },
            { arbitrary: fc.constantFrom(...HOSTILE_PIECES), weight: 1 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom('', 'e1}', '}', '"}', ']]></A></xml>', '</xml>'),
        (prefix, pieces, suffix) => {
          const unit = pieces.join('');
          const body = (size: number) =>
            prefix + unit.repeat(Math.ceil(size / unit.length)) + suffix;
          const small = body(12 * 1024);
          const large = body(48 * 1024);
          // One run each, capped, small first: the old regex took seconds on the large ones.
          for (const text of [small, large]) {
            expect(cpuMsPerRun(tryParse(text), 1)).toBeLessThan(SINGLE_PARSE_CAP_MS * 4);
          }
          const smallMs = cpuMsPerRun(tryParse(small), 10);
          const largeMs = cpuMsPerRun(tryParse(large), 10);
          // A floor of 0.05 ms: below it, timer resolution and GC are all that is measured.
          expect(largeMs).toBeLessThan(8 * Math.max(smallMs, 0.05));
        },
      ),
      {
        numRuns: 25,
        // The issue's shapes first: runs of `\"` in and out of a string, a digit run before `e`.
        examples: [
          ['{"a":"', ['\\"'], ''],
          ['{', ['\\"'], ''],
          ['{"a":', ['1'], 'e1}'],
          ['{"a":', ['1'], '}'],
        ],
        // No shrinking: a timing failure shrinks to noise, and a quadratic parse to minutes.
        endOnFailure: true,
      },
    );
  });
});

describe("the issue's bodies", () => {
  const safe = useGateway({ events: { callbacks: { official: CALLBACK } } });
  const plain = useGateway({ events: { callbacks: { official: { ...CALLBACK, mode: 'plain' } } } });
  const gateways = { safe, plain };

  const BODIES: [string, string][] = [
    ['64 kB of \\"', `{"a":"${'\\"'.repeat(32 * 1024 - 8)}`],
    ['{"a": + 65 000 digits + e1}', `{"a":${'1'.repeat(65_000)}e1}`],
    ['64 kB of digits in an id', `{"MsgId":${'7'.repeat(65_000)}}`],
    ['64 kB of <![CDATA[', `<xml><A>${'<![CDATA['.repeat(7_000)}</A></xml>`],
  ];

  it.each([
    ['safe', 'aes'],
    ['safe', 'raw'],
    ['plain', 'raw'],
  ] as const)(
    'each is answered within 50 ms of CPU (%s mode, encrypt_type=%s) while /healthz keeps answering',
    async (mode, encryptType) => {
      const { gw } = gateways[mode];
      const timestamp = String(Math.floor(gw.clock.now() / 1000));
      for (const [index, [what, body]] of BODIES.entries()) {
        expect(body.length, what).toBeLessThanOrEqual(64 * 1024);
        // A genuine, captured query string: the URL signature is valid.
        const nonce = `${encryptType}${index}`;
        const query = new URLSearchParams({
          signature: wechatSignature(CALLBACK.token, timestamp, nonce),
          timestamp,
          nonce,
          encrypt_type: encryptType,
          msg_signature: '0'.repeat(40),
        });
        const health = (async () => {
          const started = performance.now();
          const answer = await gw.yoga.fetch('http://gateway.test/healthz');
          return { status: answer.status, ms: performance.now() - started };
        })();
        const start = process.cpuUsage();
        const response = await gw.yoga.fetch(
          `http://gateway.test/wechat/callback/official?${query.toString()}`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body },
        );
        await response.text();
        const used = process.cpuUsage(start);
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect((used.user + used.system) / 1000, what).toBeLessThan(SINGLE_PARSE_CAP_MS);
        const healthz = await health;
        expect(healthz.status).toBe(200);
        // Wall time, with a generous margin on a loaded machine: no multi-second stall.
        expect(healthz.ms, what).toBeLessThan(1_000);
      }
    },
  );
});
