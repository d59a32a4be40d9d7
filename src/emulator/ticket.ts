import type { Clock } from '../clock.js';
import { param } from './credentials.js';
import { newTicket } from './identifiers.js';
import { fail, ok, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

const LIFETIME_MS = 7200_000;
const TYPES: ReadonlySet<string> = new Set(['jsapi', 'wx_card']);

/**
 * `GET /cgi-bin/ticket/getticket` (§8.1): the same ticket while it is valid, `expires_in` always
 * 7200 (not the remaining time), a new one only once it expired. Success carries errcode 0.
 */
export function createTicketRoute(guard: TokenGuard, clock: Clock): Route {
  const tickets = new Map<string, { value: string; expiresAt: number }>();
  return guard.route('GET', (req, app) => {
    const type = param(req.query, 'type');
    if (type === undefined || !TYPES.has(type)) return fail(40097);
    const key = `${app.config.appId}:${type}`;
    const now = clock.now();
    let ticket = tickets.get(key);
    if (!ticket || now >= ticket.expiresAt) {
      ticket = { value: newTicket(), expiresAt: now + LIFETIME_MS };
      tickets.set(key, ticket);
    }
    return ok({ errcode: 0, errmsg: 'ok', ticket: ticket.value, expires_in: LIFETIME_MS / 1000 });
  });
}
