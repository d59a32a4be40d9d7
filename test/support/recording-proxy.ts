/**
 * A loopback proxy between the gateway and the emulator that keeps every secret passing through
 * it: the app secrets and login codes the gateway sends (query strings and JSON bodies) and the
 * access tokens, tickets, session keys and OAuth tokens WeChat hands back. A test then knows the
 * run's real secrets without asking the gateway for them.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { Upstream } from './harness.js';
import { listenOnLoopback } from './ports.js';

/** Field names whose values are secrets, in WeChat's requests and answers. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'secret',
  'code',
  'js_code',
  'access_token',
  'ticket',
  'session_key',
  'refresh_token',
]);

export interface RecordingProxy extends Upstream {
  /** Every secret value seen so far, requests and answers alike. */
  readonly secrets: Set<string>;
  /** How many values of each secret field were seen (to check the run covered them). */
  seen(field: string): number;
}

function collect(value: unknown, found: (field: string, value: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'string' && SECRET_FIELDS.has(key)) found(key, inner);
      else collect(inner, found);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // images, empty bodies
  }
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const secrets = new Set<string>();
  const counts = new Map<string, number>();
  const found = (field: string, value: string) => {
    if (value === '') return;
    secrets.add(value);
    counts.set(field, (counts.get(field) ?? 0) + 1);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    for (const [key, value] of url.searchParams) if (SECRET_FIELDS.has(key)) found(key, value);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      collect(parseJson(body.toString('utf8')), found);
      const forwarded = httpRequest(
        url,
        { method: req.method, headers: { ...req.headers, host: url.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            collect(parseJson(text.toString('utf8')), found);
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(text);
          });
        },
      );
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, close, secrets, seen: (field) => counts.get(field) ?? 0 };
}
