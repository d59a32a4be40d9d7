/**
 * The access rule of every root field, read once from the `@auth(requires: …)` directive next to
 * the field in the SDL. A root field without one is an error at start-up (createApp throws), so a
 * new field cannot be open by accident; the enforcement also refuses any field it has no rule for.
 */
import {
  getDirectiveValues,
  type GraphQLDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** Who may select a field (schema/access.graphql, enum Access). */
export type AccessLevel = 'PUBLIC' | 'SESSION' | 'SERVICE' | 'SESSION_OR_SERVICE' | 'ADMIN';

const LEVELS: readonly string[] = ['PUBLIC', 'SESSION', 'SERVICE', 'SESSION_OR_SERVICE', 'ADMIN'];
export const AUTH_DIRECTIVE = 'auth';

/** Rules by root type name, then field name. */
export type AccessRules = ReadonlyMap<string, ReadonlyMap<string, AccessLevel>>;

export class MissingAccessRuleError extends Error {
  readonly fields: readonly string[];

  constructor(fields: readonly string[]) {
    super(
      `every root field needs an access rule, e.g. \`@${AUTH_DIRECTIVE}(requires: SERVICE)\`; ` +
        `missing on: ${fields.join(', ')}`,
    );
    this.fields = fields;
  }
}

export function rootTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
    (type): type is GraphQLObjectType => type !== null && type !== undefined,
  );
}

function levelOf(
  directive: GraphQLDirective | undefined,
  node: Parameters<typeof getDirectiveValues>[1] | null | undefined,
): AccessLevel | undefined {
  if (!directive || !node) return undefined;
  const requires = getDirectiveValues(directive, node)?.['requires'];
  return typeof requires === 'string' && LEVELS.includes(requires)
    ? (requires as AccessLevel)
    : undefined;
}

/** Reads every root field's rule; throws MissingAccessRuleError naming each field without one. */
export function readAccessRules(schema: GraphQLSchema): AccessRules {
  const directive = schema.getDirective(AUTH_DIRECTIVE) ?? undefined;
  const missing: string[] = [];
  const rules = new Map<string, Map<string, AccessLevel>>();
  for (const type of rootTypes(schema)) {
    const fields = new Map<string, AccessLevel>();
    for (const field of Object.values(type.getFields())) {
      const level = levelOf(directive, field.astNode);
      if (level === undefined) missing.push(`${type.name}.${field.name}`);
      else fields.set(field.name, level);
    }
    rules.set(type.name, fields);
  }
  if (missing.length > 0) throw new MissingAccessRuleError(missing);
  return rules;
}
