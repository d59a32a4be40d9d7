import { createHash, timingSafeEqual } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import {
  Kind,
  getOperationAST,
  type DocumentNode,
  type GraphQLFieldMap,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';

export type AdminAccess = { granted: true } | { granted: false; error: GraphQLError };

export interface AdminGuard {
  /** Checks an `Authorization` header value against the configured admin key. */
  check(authorization: string | null): AdminAccess;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Without a configured key admin fields are disabled, never open. Both sides are hashed before
 * `timingSafeEqual`, so neither the comparison time nor a length check reveals anything about the key.
 */
export function createAdminGuard(adminApiKey: string | undefined): AdminGuard {
  if (adminApiKey === undefined || adminApiKey === '') {
    return {
      check: () => ({
        granted: false,
        error: forbidden('Admin fields are disabled: the server has no ADMIN_API_KEY configured.'),
      }),
    };
  }
  const expected = sha256(adminApiKey);
  return {
    check(authorization) {
      const match =
        authorization === null ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
      const presented = match?.[1];
      if (presented === undefined) {
        return {
          granted: false,
          error: unauthenticated(
            'Admin fields need the header "Authorization: Bearer <ADMIN_API_KEY>".',
          ),
        };
      }
      if (!timingSafeEqual(sha256(presented), expected)) {
        return { granted: false, error: unauthenticated('The admin API key is not valid.') };
      }
      return { granted: true };
    },
  };
}

/** Resolver-level check (defence in depth behind `useAdminGuard`). */
export function assertAdmin(context: GraphQLContext): void {
  const access = context.admin();
  if (!access.granted) throw access.error;
}

function adminRootFields(schema: GraphQLSchema): { query: Set<string>; mutation: Set<string> } {
  const collect = (fields: GraphQLFieldMap<unknown, unknown> | undefined) =>
    new Set(
      Object.entries(fields ?? {})
        .filter(([, field]) => field.astNode?.directives?.some((d) => d.name.value === 'admin'))
        .map(([name]) => name),
    );
  return {
    query: collect(schema.getQueryType()?.getFields()),
    mutation: collect(schema.getMutationType()?.getFields()),
  };
}

/** Root field names of the selection, through fragments; `@skip`/`@include` are ignored (stricter). */
function rootFieldNames(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  seen = new Set<string>(),
): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      names.push(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      names.push(...rootFieldNames(selection.selectionSet, document, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
        names.push(...rootFieldNames(fragment.selectionSet, document, seen));
      }
    }
  }
  return names;
}

/**
 * Rejects an operation that selects any `@admin` root field before anything executes, so a request
 * without the right key gets the error alone: no data, no upstream call, HTTP 401 (or 403).
 */
export function useAdminGuard(): Plugin<GraphQLContext> {
  const cache = new WeakMap<GraphQLSchema, ReturnType<typeof adminRootFields>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let admin = cache.get(args.schema);
      if (!admin) {
        admin = adminRootFields(args.schema);
        cache.set(args.schema, admin);
      }
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const guarded = operation.operation === 'mutation' ? admin.mutation : admin.query;
      if (
        !rootFieldNames(operation.selectionSet, args.document).some((name) => guarded.has(name))
      ) {
        return;
      }
      const access = args.contextValue.admin();
      if (!access.granted) setResultAndStopExecution({ errors: [access.error] });
    },
  };
}
