import type { Clock } from '../shared/clock.js';
import { param } from './credentials.js';
import { newTicket } from './identifiers.js';
import { fail, ok, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

const LIFETIME_MS = 7200_000;
const TYPES: ReadonlySet<string> = new Set(['jsapi', 'wx_card']);

export type TicketType = 'jsapi' | 'wx_card';

/** The tickets of every app: the one getticket hands out, and the one wx.config is checked against. */
export interface Tickets {
  /** The ticket while it is valid; a new one once it expired (or before the first). */
  issue(appId: string, type: TicketType): string;
  /** The valid ticket, without issuing one: undefined when none was issued or it expired. */
  current(appId: string, type: TicketType): string | undefined;
}

export function createTickets(clock: Clock): Tickets {
  const tickets = new Map<string, { value: string; expiresAt: number }>();
  const current = (key: string) => {
    const ticket = tickets.get(key);
    return ticket && clock.now() < ticket.expiresAt ? ticket : undefined;
  };
  return {
    issue(appId, type) {
      const key = `${appId}:${type}`;
      let ticket = current(key);
      if (!ticket) {
        ticket = { value: newTicket(), expiresAt: clock.now() + LIFETIME_MS };
        tickets.set(key, ticket);
      }
      return ticket.value;
    },
    current: (appId, type) => current(`${appId}:${type}`)?.value,
  };
}

/**
 * `GET /cgi-bin/ticket/getticket` (§8.1): the same ticket while it is valid, `expires_in` always
 * 7200 (not the remaining time), a new one only once it expired. Success carries errcode 0.
 */
export function createTicketRoute(guard: TokenGuard, tickets: Tickets): Route {
  return guard.route('GET', (req, app) => {
    const type = param(req.query, 'type');
    if (type === undefined || !TYPES.has(type)) return fail(40097);
    const ticket = tickets.issue(app.config.appId, type as TicketType);
    return ok({ errcode: 0, errmsg: 'ok', ticket, expires_in: LIFETIME_MS / 1000 });
  });
}
