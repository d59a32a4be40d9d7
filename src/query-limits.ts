/**
 * Cheap static limits on an operation's shape, checked once per document (yoga caches validation).
 * The schema is shallow (the deepest useful path is four fields), so the bounds are tight; the cost
 * that matters upstream (users per field, followers per page) is bounded by the resolvers.
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting, counting the root field as 1. */
  maxDepth: number;
  /** Aliased fields in the whole document. */
  maxAliases: number;
  /**
   * Distinct users one operation may load, checked while it runs (100 users per batchget call);
   * the default allows one full `followers(first: 10000) { nodes }` page.
   */
  maxUsers: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 8, maxAliases: 50, maxUsers: 10_000 };

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

function depthOf(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  limit: number,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD && selection.name.value.startsWith('__')) {
      // Introspection (GraphiQL's own query nests `ofType` eight levels deep) costs no upstream call.
      depth = 1;
    } else if (selection.kind === Kind.FIELD) {
      depth =
        1 +
        (selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting, limit) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, visiting, limit);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Cycles are reported by graphql's own NoFragmentCycles rule.
      if (fragment && !visiting.has(fragment.name.value)) {
        visiting.add(fragment.name.value);
        depth = depthOf(fragment.selectionSet, fragments, visiting, limit);
        visiting.delete(fragment.name.value);
      }
    }
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
  }
  return deepest;
}

export function createQueryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === limits.maxAliases + 1) {
          context.reportError(
            limitError(`The operation uses more than ${limits.maxAliases} aliases.`),
          );
        }
      },
      OperationDefinition(node) {
        const fragments = new Map(
          context
            .getDocument()
            .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
            .map((d) => [d.name.value, d]),
        );
        if (depthOf(node.selectionSet, fragments, new Set(), limits.maxDepth) > limits.maxDepth) {
          context.reportError(
            limitError(`The operation nests fields deeper than ${limits.maxDepth} levels.`),
          );
        }
      },
    };
  };
}
