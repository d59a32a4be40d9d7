/**
 * schema.graphql, the printed schema frontend tools point at (`npm run codegen` writes it; CI fails
 * when it is stale): the schema the gateway serves, descriptions and @auth rules included.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, parse, printSchema, visit } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/app/app.js';

const printed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('is the schema the gateway serves, descriptions included', () => {
    const served = createSchema({ typeDefs: loadTypeDefs() });
    const sorted = (schema: Parameters<typeof lexicographicSortSchema>[0]) =>
      printSchema(lexicographicSortSchema(schema));
    expect(sorted(buildSchema(printed))).toBe(sorted(served));
  });

  it('keeps the @auth rule of every root field', () => {
    const rules: Record<string, string> = {};
    visit(parse(printed), {
      ObjectTypeDefinition(node) {
        if (!['Query', 'Mutation', 'Subscription'].includes(node.name.value)) return;
        for (const field of node.fields ?? []) {
          const auth = field.directives?.find((directive) => directive.name.value === 'auth');
          const requires = auth?.arguments?.[0]?.value;
          rules[`${node.name.value}.${field.name.value}`] =
            requires?.kind === 'EnumValue' ? requires.value : 'none';
        }
      },
    });
    expect(Object.keys(rules).length).toBeGreaterThan(10);
    expect(Object.entries(rules).filter(([, rule]) => rule === 'none')).toEqual([]);
    expect(rules).toMatchObject({
      'Mutation.login': 'PUBLIC',
      'Query.jsapiConfig': 'PUBLIC',
      'Query.me': 'SESSION',
      'Mutation.logout': 'SESSION',
    });
  });
});
