/**
 * The upstream budget of one operation: before anything runs, the WeChat calls the operation may
 * make are estimated from its root fields, their coerced arguments and what they select (one row
 * per root field, src/resolvers/upstream-costs.ts); above UPSTREAM_BUDGET_PER_OPERATION it is
 * refused with QUERY_TOO_COMPLEX and WeChat sees nothing. Without it aliases multiply calls: 40
 * aliased `followers` were 40 `user/get` calls, 50 aliased `tagUsers` of 300 openids 300 writes.
 *
 * The estimate is an upper bound of the calls a field asks for, counted as the resolvers make
 * them (user look-ups of one operation merged into batchget calls of 100, see `lookups`); it
 * leaves out what the gateway adds on its own and bounds elsewhere: token and ticket fetches
 * (single-flight for every caller), the one retry after -1 or a rejected token, the halvings of a
 * batch with an unknown openid (SPLIT_BUDGET). Cache hits only make the real count smaller.
 *
 * The same plugin runs each operation in its caller's scope (src/tokens/caller-gate.ts): at most
 * UPSTREAM_CONCURRENCY_PER_CALLER of a caller's WeChat calls are in flight at once.
 */
import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { parseAuthorization } from '../auth/bearer.js';
import type { Caller } from '../auth/caller.js';
import { addressSubject, clientAddress, type ClientSocketContext } from '../auth/client-address.js';
import { queryTooComplex } from '../shared/graphql-errors.js';
import { runAsCaller, type CallerGate } from '../tokens/caller-gate.js';
import { BATCHGET_MAX_USERS } from '../wechat/api.js';

/** One root field as its row sees it: arguments after coercion, and what it selects. */
export interface FieldUse {
  /** The field's arguments, coerced as execution will see them (defaults applied). */
  readonly args: Readonly<Record<string, unknown>>;
  /** Does the field select this path, e.g. `selects('edges', 'node')`? (fragments included) */
  selects(...path: string[]): boolean;
}

/** What one root field may cost. */
export interface FieldCost {
  /** WeChat calls of its own. */
  calls?: number;
  /**
   * Users it looks up as the operation starts: with the other fields' look-ups of the same app,
   * they go out in batchget calls of 100 (user-loader.ts merges them).
   */
  lookups?: number;
}

/** One row per root field of the schema, by type (`Query`, `Mutation`, `Subscription`). */
export type UpstreamCostTable = Readonly<
  Record<string, Readonly<Record<string, (field: FieldUse) => FieldCost>>>
>;

export interface UpstreamEstimate {
  /** The calls the operation may make. */
  calls: number;
  /** The same, by root field name (aliases added up), largest first: for the refusal. */
  byField: [string, number][];
}

/** The schema's root fields that have no row (a start-up error) and the rows of no field. */
export function costTableGaps(
  schema: GraphQLSchema,
  table: UpstreamCostTable,
): { missing: string[]; stale: string[] } {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const fields = roots.flatMap((type) =>
    type ? Object.keys(type.getFields()).map((name) => `${type.name}.${name}`) : [],
  );
  const rows = Object.entries(table).flatMap(([type, row]) =>
    Object.keys(row).map((name) => `${type}.${name}`),
  );
  return {
    missing: fields.filter((field) => !rows.includes(field)),
    stale: rows.filter((row) => !fields.includes(row)),
  };
}

/** Start-up: a root field without a row would have no budget; refuse to start, naming it. */
export function assertCostTable(schema: GraphQLSchema, table: UpstreamCostTable): void {
  const { missing } = costTableGaps(schema, table);
  if (missing.length > 0) {
    throw new Error(
      `no upstream cost row (src/resolvers/upstream-costs.ts) for ${missing.join(', ')}`,
    );
  }
}

type Variables = Record<string, unknown>;

interface Walk {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Variables;
}

/** Whether `@skip`/`@include` leave this selection in, as execution will decide. */
function included(node: SelectionNode, walk: Walk): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables);
  return include?.['if'] !== false;
}

/** The fields a selection set selects, by response key, through fragments (each spread once). */
function fieldsByKey(sets: readonly SelectionSetNode[], walk: Walk): Map<string, FieldNode[]> {
  const byKey = new Map<string, FieldNode[]>();
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (!included(selection, walk)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        byKey.set(key, [...(byKey.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const fragment = walk.fragments.get(selection.name.value);
        if (fragment === undefined || spread.has(selection.name.value)) continue;
        spread.add(selection.name.value);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return byKey;
}

/** Does any of `nodes` select `path` below it? */
function selectsPath(nodes: readonly FieldNode[], path: readonly string[], walk: Walk): boolean {
  const [name, ...rest] = path;
  if (name === undefined) return true;
  const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const found of fieldsByKey(sets, walk).values()) {
    const matching = found.filter((node) => node.name.value === name);
    if (matching.length > 0 && selectsPath(matching, rest, walk)) return true;
  }
  return false;
}

/** The coerced arguments of a field, or undefined when they do not coerce (it will not run). */
function argumentsOf(
  rootType: GraphQLObjectType,
  node: FieldNode,
  variables: Variables,
): Record<string, unknown> | undefined {
  const field = rootType.getFields()[node.name.value];
  if (field === undefined) return undefined;
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return undefined; // Execution reports bad arguments itself.
  }
}

/** Non-negative whole calls: a row fed nonsense (first: -5) costs nothing, not less. */
const whole = (value: number | undefined): number =>
  value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, Math.ceil(value));

/**
 * The calls an operation may make, or undefined when its variables do not coerce (execution
 * then refuses it before any resolver runs). A root field without a row counts as over any
 * budget: createApp refuses to start without one, so only a test can meet this.
 */
export function estimateUpstreamCalls(
  args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues'>,
  table: UpstreamCostTable,
): UpstreamEstimate | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  const rootType = operation && args.schema.getRootType(operation.operation);
  if (!operation || !rootType) return undefined;
  const coerced = getVariableValues(
    args.schema,
    operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  );
  if (coerced.coerced === undefined) return undefined;
  const walk: Walk = { fragments: fragmentsOf(args.document), variables: coerced.coerced };
  const rows = table[rootType.name] ?? {};
  const byField = new Map<string, number>();
  const lookupsByApp = new Map<string, number>();
  for (const nodes of fieldsByKey([operation.selectionSet], walk).values()) {
    const [node] = nodes;
    if (node === undefined || node.name.value.startsWith('__')) continue;
    const name = node.name.value;
    const fieldArgs = argumentsOf(rootType, node, walk.variables);
    if (fieldArgs === undefined) continue;
    const row = rows[name];
    const cost = row
      ? row({ args: fieldArgs, selects: (...path) => selectsPath(nodes, path, walk) })
      : { calls: Infinity };
    byField.set(name, (byField.get(name) ?? 0) + (row ? whole(cost.calls) : Infinity));
    const app = typeof fieldArgs['app'] === 'string' ? fieldArgs['app'] : '';
    lookupsByApp.set(app, (lookupsByApp.get(app) ?? 0) + whole(cost.lookups));
  }
  const batchgets = [...lookupsByApp.values()].reduce(
    (sum, users) => sum + Math.ceil(users / BATCHGET_MAX_USERS),
    0,
  );
  if (batchgets > 0) byField.set('user look-ups (batchget)', batchgets);
  const sorted = [...byField].filter(([, calls]) => calls > 0).sort((a, b) => b[1] - a[1]);
  return { calls: sorted.reduce((sum, [, calls]) => sum + calls, 0), byField: sorted };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

function refusal(estimate: UpstreamEstimate, budget: number) {
  const parts = estimate.byField.map(([name, calls]) => `${name}: ${calls}`).join(', ');
  return queryTooComplex(
    `The operation may make up to ${estimate.calls} calls to WeChat (${parts}), over the budget of ${budget} per operation; split it into smaller operations.`,
  );
}

/** What the plugin needs of the GraphQL context (yoga's request and socket included). */
interface BudgetContext extends ClientSocketContext {
  readonly request: Request;
  readonly auth: { caller(): Caller | Promise<Caller> };
}

/** How callers are told apart for the concurrency cap. */
export interface CallerKeyOptions {
  /** TRUST_PROXY: proxies whose X-Forwarded-For entries are believed. */
  trustProxyHops: number;
  /** IPv6 clients count by this prefix, as for the rate limits. */
  ipv6PrefixBits: number;
}

/**
 * Whom a caller's WeChat calls count against: a service or admin key (a digest of it, never the
 * key), a session, or for anonymous callers their client address (as the rate limits count it).
 */
export function callerKey(
  caller: Caller,
  context: BudgetContext,
  options: CallerKeyOptions,
): string {
  if (caller.kind === 'session') return `session:${caller.session.id}`;
  if (caller.kind === 'service' || caller.kind === 'admin') {
    const presented = parseAuthorization(context.request.headers.get('authorization'));
    const key = presented.kind === 'bearer' ? presented.value : '';
    return `${caller.kind}:${createHash('sha256').update(key).digest('base64url')}`;
  }
  const address = clientAddress(context.request, context, options.trustProxyHops);
  return `address:${addressSubject(address, options.ipv6PrefixBits)}`;
}

export interface UpstreamBudgetOptions extends CallerKeyOptions {
  costs: UpstreamCostTable;
  /** UPSTREAM_BUDGET_PER_OPERATION. */
  budget: number;
  /** One per gateway: UPSTREAM_CONCURRENCY_PER_CALLER slots per caller. */
  gate: CallerGate;
}

/**
 * Refuses an operation over the budget before it runs, and runs the others in their caller's
 * scope. After the access control plugin: a refused caller is told so first, and its caller is
 * identified by then.
 */
export function useUpstreamBudget(options: UpstreamBudgetOptions): Plugin<BudgetContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const estimate = estimateUpstreamCalls(args, options.costs);
      if (estimate !== undefined && estimate.calls > options.budget) {
        setResultAndStopExecution({ errors: [refusal(estimate, options.budget)] });
        return;
      }
      const context = args.contextValue;
      const scoped = (caller: Caller): void => {
        const key = callerKey(caller, context, options);
        setExecuteFn((execution) => runAsCaller(options.gate, key, () => executeFn(execution)));
      };
      const caller = context.auth.caller();
      // A caller that cannot be identified was refused by the access control already.
      return caller instanceof Promise ? caller.then(scoped, () => undefined) : scoped(caller);
    },
  };
}
