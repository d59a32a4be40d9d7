/**
 * The emulator's state and rules, built once from the options: what the WeChat endpoints
 * (endpoints.ts) and the in-process controls (in-process.ts) share.
 */
import { systemClock, type Clock } from '../shared/clock.js';
import {
  DEFAULT_TOKEN_HANDOVER_MS,
  DEFAULT_TOKEN_LIFETIME_MS,
  createAccessTokens,
  type AccessTokens,
} from './access-tokens.js';
import { createCallCounter, type CallCounter } from './call-counter.js';
import { DEFAULT_EMULATOR_APPS } from './default-apps.js';
import { createFaults, type Faults } from './faults.js';
import { createMiniProgramLogin, type MiniProgramLogin } from './jscode.js';
import { createLinks, type Links } from './links.js';
import { createMassRoutes, type MassJobs } from './mass.js';
import { createMessageIds } from './message-ids.js';
import { createOAuthSessions, type OAuthSessions } from './oauth-sessions.js';
import { createPhoneNumbers, type PhoneNumbers } from './phone.js';
import { createQrCodes, type QrCodes } from './qrcode.js';
import { createEmulatorAppRegistry, type EmulatorAppRegistry } from './registry.js';
import { createSendLog, type SendLog } from './send-log.js';
import { createSubscribeMessages, type SubscribeMessages } from './subscribe-message.js';
import { createTags, type TagRoutes } from './tags.js';
import type { MessageDeps } from './template-message.js';
import { createTickets, type Tickets } from './ticket.js';
import { createTokenGuard, type TokenGuard } from './token-guard.js';
import type { EmulatorOptions } from './types.js';
import type { UserInfoOptions } from './users.js';

const DEFAULT_LEGACY_TOKEN_QUOTA = 2000;

export interface EmulatorServices {
  readonly clock: Clock;
  readonly registry: EmulatorAppRegistry;
  readonly tokens: AccessTokens;
  readonly guard: TokenGuard;
  readonly userInfo: UserInfoOptions;
  readonly oauth: OAuthSessions;
  readonly login: MiniProgramLogin;
  readonly faults: Faults;
  readonly calls: CallCounter;
  readonly tickets: Tickets;
  readonly log: SendLog;
  readonly messageDeps: MessageDeps;
  readonly subscribe: SubscribeMessages;
  readonly tags: TagRoutes;
  readonly mass: MassJobs;
  readonly qrCodes: QrCodes;
  readonly links: Links;
  readonly phones: PhoneNumbers;
}

function positiveCount(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Token lifetime and hand-over in ms; the hand-over must end before the token does. */
function tokenTimes(options: EmulatorOptions): { lifetimeMs: number; handoverMs: number } {
  const lifetime = positiveCount(options.tokenLifetimeSeconds, 'tokenLifetimeSeconds');
  const handover = positiveCount(options.tokenHandoverSeconds, 'tokenHandoverSeconds');
  const lifetimeMs = lifetime === undefined ? DEFAULT_TOKEN_LIFETIME_MS : lifetime * 1000;
  const handoverMs = handover === undefined ? DEFAULT_TOKEN_HANDOVER_MS : handover * 1000;
  if (handoverMs >= lifetimeMs) {
    throw new RangeError(
      `tokenHandoverSeconds (${handoverMs / 1000}) must be shorter than tokenLifetimeSeconds (${lifetimeMs / 1000})`,
    );
  }
  return { lifetimeMs, handoverMs };
}

/** The apps, their users and the cgi-bin tokens: what every other service builds on. */
function createFoundation(options: EmulatorOptions, clock: Clock) {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const legacyDailyQuota =
    positiveCount(options.legacyTokenDailyQuota, 'legacyTokenDailyQuota') ??
    DEFAULT_LEGACY_TOKEN_QUOTA;
  const registry = createEmulatorAppRegistry(options.apps ?? DEFAULT_EMULATOR_APPS, seed);
  const tokens = createAccessTokens({
    clock,
    appIds: registry.apps.map((app) => app.appId),
    legacyDailyQuota,
    ...tokenTimes(options),
  });
  return { registry, tokens, guard: createTokenGuard(registry, tokens) };
}

/** Throws RangeError on an option out of range (seed, quota, token times, apps). */
export function createServices(options: EmulatorOptions): EmulatorServices {
  const clock = options.clock ?? systemClock;
  const { registry, tokens, guard } = createFoundation(options, clock);
  const log = createSendLog(clock);
  const messageDeps: MessageDeps = { registry, guard, log, ids: createMessageIds(), clock };
  const tags = createTags(registry, guard);
  return {
    clock,
    registry,
    tokens,
    guard,
    userInfo: { legacyEmptyFields: options.legacyUserInfoFields ?? false },
    oauth: createOAuthSessions(registry, clock),
    login: createMiniProgramLogin(registry, clock),
    faults: createFaults(),
    calls: createCallCounter(),
    tickets: createTickets(clock),
    log,
    messageDeps,
    subscribe: createSubscribeMessages(messageDeps),
    tags,
    mass: createMassRoutes({ ...messageDeps, tags }),
    qrCodes: createQrCodes(guard, clock),
    links: createLinks(guard, clock),
    phones: createPhoneNumbers(registry, guard, clock),
  };
}
