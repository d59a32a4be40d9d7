/**
 * Default deny: every root field (Query, Mutation, Subscription) declares who may call it next
 * to it in the SDL. A field added without `@auth(requires: …)` fails here, and the gateway
 * refuses to start with it; at run time a field without a rule is refused to everyone.
 */
import { Kind, type GraphQLSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/app/app.js';
import {
  MissingAccessRuleError,
  readAccessRules,
  rootTypes,
  type AccessLevel,
} from '../../src/auth/access-rules.js';
import { createAuthenticator } from '../../src/auth/caller.js';
import { useAccessControl } from '../../src/auth/enforce.js';
import { createKeyring } from '../../src/auth/keyring.js';
import { createRequestAuth, type RequestAuth } from '../../src/auth/request-auth.js';
import { resolvers } from '../../src/resolvers/index.js';

const LEVELS = ['PUBLIC', 'SESSION', 'SERVICE', 'SESSION_OR_SERVICE', 'ADMIN'];

/** Root fields without an `@auth` directive naming one of the four levels, read from the AST. */
function undeclaredRootFields(schema: GraphQLSchema): string[] {
  return rootTypes(schema).flatMap((type) =>
    Object.values(type.getFields()).flatMap((field) => {
      const auth = field.astNode?.directives?.find((d) => d.name.value === 'auth');
      const requires = auth?.arguments?.find((a) => a.name.value === 'requires')?.value;
      const declared = requires?.kind === Kind.ENUM && LEVELS.includes(requires.value);
      return declared ? [] : [`${type.name}.${field.name}`];
    }),
  );
}

const gatewaySchema = (extra: string[] = []) =>
  createSchema({ typeDefs: [...loadTypeDefs(), ...extra], resolvers });

describe('access declarations in the schema', () => {
  it('are on every root field of the gateway', () => {
    const schema = gatewaySchema();
    expect(rootTypes(schema).map((type) => type.name)).toEqual([
      'Query',
      'Mutation',
      'Subscription',
    ]);
    expect(undeclaredRootFields(schema)).toEqual([]);
    expect(() => readAccessRules(schema)).not.toThrow();
  });

  it('catch a new root field added without one, in every root type', () => {
    const schema = gatewaySchema([
      'extend type Query { newField: String }',
      'extend type Mutation { newMutation: Boolean @deprecated }',
      'extend type Subscription { events: String }',
    ]);
    const missing = ['Query.newField', 'Mutation.newMutation', 'Subscription.events'];
    expect(undeclaredRootFields(schema)).toEqual(missing);
    expect(() => readAccessRules(schema)).toThrow(MissingAccessRuleError);
    expect(() => readAccessRules(schema)).toThrow(`missing on: ${missing.join(', ')}`);
  });
});

describe('the enforcement', () => {
  it('refuses a root field it has no rule for, to every caller', async () => {
    const schema = createSchema<{ auth: RequestAuth }>({
      typeDefs: /* GraphQL */ `
        type Query {
          open: String
          unruled: String
        }
      `,
      resolvers: { Query: { open: () => 'yes', unruled: () => 'leaked' } },
    });
    const rules = new Map([['Query', new Map<string, AccessLevel>([['open', 'PUBLIC']])]]);
    const keyring = createKeyring({ adminApiKey: 'admin-key-0123456789', serviceApiKeys: [] });
    const authenticator = createAuthenticator(keyring, undefined);
    const yoga = createYoga({
      schema,
      context: ({ request }) => ({
        auth: createRequestAuth(authenticator, request.headers.get('authorization')),
      }),
      plugins: [useAccessControl({ rules, enabled: authenticator.enabled })],
    });
    const ask = async (query: string, authorization?: string) => {
      const res = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, text: await res.text() };
    };
    expect(await ask('{ open }')).toEqual({ status: 200, text: '{"data":{"open":"yes"}}' });
    for (const authorization of [undefined, 'Bearer admin-key-0123456789']) {
      const refused = await ask('{ open unruled }', authorization);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toEqual({
        errors: [
          {
            message: '"unruled" has no access rule, so nobody may use it.',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
  });
});
