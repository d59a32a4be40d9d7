/**
 * Mini program URL Scheme and URL Link (§9): `POST /wxa/generatescheme` (`jump_wxa{path, query,
 * env_version}`) and `POST /wxa/generate_urllink` (top-level fields). Every link expires within
 * 30 days: expire_type 0 takes expire_time (unix seconds, a minute to 30 days ahead, else 85401),
 * 1 takes expire_interval (1–30 days, else 85402). `linkTarget(url)` tells what a link opens.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { MINI_PROGRAM_PAGES } from './catalogue.js';
import { fail, isRecord, ok, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

const DAY_S = 86_400;
const MAX_DAYS = 30;
const MAX_QUERY = 1024;
const QUERY_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
const ENV_VERSIONS: ReadonlySet<string> = new Set(['release', 'trial', 'develop']);

export interface LinkTarget {
  readonly appId: string;
  readonly path: string;
  readonly query: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface Links {
  readonly schemeRoute: Route;
  readonly urlLinkRoute: Route;
  linkTarget(url: string): LinkTarget | undefined;
}

type Read =
  { ok: true; path: string; query: string; expiresAt: number } | { ok: false; reply: Reply };

function readLink(
  fields: Readonly<Record<string, unknown>>,
  expiry: Readonly<Record<string, unknown>>,
  nowMs: number,
): Read {
  const path = typeof fields.path === 'string' ? fields.path : '';
  if (path !== '' && !MINI_PROGRAM_PAGES.includes(path)) return { ok: false, reply: fail(40165) };
  const query = typeof fields.query === 'string' ? fields.query : '';
  if (query.length > MAX_QUERY || !QUERY_CHARS.test(query))
    return { ok: false, reply: fail(40212) };
  const env = fields.env_version;
  if (env !== undefined && (typeof env !== 'string' || !ENV_VERSIONS.has(env))) {
    return { ok: false, reply: fail(40097) };
  }
  const nowS = Math.floor(nowMs / 1000);
  if (Number(expiry.expire_type ?? 0) === 1) {
    const days = expiry.expire_interval;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      return { ok: false, reply: fail(85402) };
    }
    return { ok: true, path, query, expiresAt: (nowS + days * DAY_S) * 1000 };
  }
  const at = expiry.expire_time;
  if (typeof at !== 'number' || at < nowS + 60 || at > nowS + MAX_DAYS * DAY_S) {
    return { ok: false, reply: fail(85401) };
  }
  return { ok: true, path, query, expiresAt: at * 1000 };
}

export function createLinks(guard: TokenGuard, clock: Clock): Links {
  const targets = new Map<string, LinkTarget>();
  const route = (kind: 'scheme' | 'urllink') =>
    guard.routeFor('miniprogram', 'POST', (req, app) => {
      const parsed = parseJsonObject(req.body);
      if (parsed.kind === 'malformed') return fail(47001);
      const body = parsed.value;
      const fields = kind === 'scheme' ? (isRecord(body.jump_wxa) ? body.jump_wxa : {}) : body;
      const read = readLink(fields, body, clock.now());
      if (!read.ok) return read.reply;
      const ticket = randomBytes(12).toString('base64url');
      const url =
        kind === 'scheme' ? `weixin://dl/business/?t=${ticket}` : `https://wxaurl.cn/${ticket}`;
      targets.set(url, {
        appId: app.config.appId,
        path: read.path,
        query: read.query,
        expiresAt: read.expiresAt,
      });
      return ok(
        kind === 'scheme'
          ? { errcode: 0, errmsg: 'ok', openlink: url }
          : { errcode: 0, errmsg: 'ok', url_link: url },
      );
    });
  return {
    schemeRoute: route('scheme'),
    urlLinkRoute: route('urllink'),
    linkTarget(url) {
      const target = targets.get(url);
      return target && clock.now() < target.expiresAt ? target : undefined;
    },
  };
}
