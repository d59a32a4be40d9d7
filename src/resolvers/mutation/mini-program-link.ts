import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertIntInRange } from '../input.js';
import { assertKind } from '../message-input.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 30;
const ENV = { RELEASE: 'release', TRIAL: 'trial', DEVELOP: 'develop' } as const;

export const miniProgramLink: NonNullable<MutationResolvers['miniProgramLink']> = async (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'miniprogram', 'miniProgramLink');
  if (input.expiresInDays != null && input.expiresAt != null) {
    throw badUserInput('Give "expiresInDays" or "expiresAt", not both.');
  }
  if (input.path != null && (input.path.startsWith('/') || input.path.includes('?'))) {
    throw badUserInput(
      '"path" must be a page path without a leading "/"; put the query in "query".',
    );
  }
  if (input.query != null && input.query.length > 1024) {
    throw badUserInput('"query" may be at most 1024 characters.');
  }
  const now = context.clock.now();
  let expiry: { days: number } | { at: number };
  let expiresAt: number;
  if (input.expiresAt != null) {
    expiresAt = input.expiresAt.getTime();
    if (expiresAt < now + 60_000 || expiresAt > now + MAX_DAYS * DAY_MS) {
      throw badUserInput('"expiresAt" must be between a minute and 30 days from now.');
    }
    expiry = { at: Math.floor(expiresAt / 1000) };
    expiresAt = expiry.at * 1000;
  } else {
    const days = input.expiresInDays ?? MAX_DAYS;
    assertIntInRange(days, 'expiresInDays', 1, MAX_DAYS);
    expiry = { days };
    expiresAt = now + days * DAY_MS;
  }
  const url = await app.apis.miniProgram.link({
    kind: input.kind === 'SCHEME' ? 'scheme' : 'urllink',
    path: input.path ?? undefined,
    query: input.query ?? undefined,
    envVersion: input.envVersion ? ENV[input.envVersion] : undefined,
    expiry,
  });
  return { url, expiresAt: new Date(expiresAt) };
};
