/**
 * The one place access rules are enforced. Before an operation executes, every root field it
 * selects is checked against its `@auth` rule and the caller; if any is refused, the whole
 * operation is answered with the errors alone (no data, nothing runs, HTTP 401/403). A field
 * without a rule is refused (default deny), and a header that proves nothing refuses everything.
 */
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { forbidden, unauthenticated } from '../shared/graphql-errors.js';
import type { AccessLevel, AccessRules } from './access-rules.js';
import type { Caller, EnabledCredentials } from './caller.js';
import type { RequestAuth } from './request-auth.js';
import { rootFieldNodes } from './root-fields.js';
import { accessDenial, INVALID_CREDENTIAL_MESSAGE } from './verdict.js';

interface AuthContext {
  readonly auth: RequestAuth;
}

type Variables = Record<string, unknown>;

/**
 * The operation's variables as execution sees them: coerced, with the defaults of the variable
 * definitions applied (`query ($a: String = "mini")` sent without `a` is "mini", not absent).
 * Undefined when they do not coerce.
 */
function coercedVariables(
  args: ExecutionArgs,
  operation: OperationDefinitionNode,
): Variables | undefined {
  const result = getVariableValues(
    args.schema,
    operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  );
  return result.coerced;
}

/**
 * The `app` argument a field was given, if it has one and it could be read. Undefined too when
 * the variables do not coerce: execution then refuses the operation before any resolver runs.
 */
function appArgument(
  rootType: GraphQLObjectType,
  node: FieldNode,
  variables: () => Variables | undefined,
): string | undefined {
  const field = rootType.getFields()[node.name.value];
  if (!field?.args.some((arg) => arg.name === 'app')) return undefined;
  const coerced = variables();
  if (coerced === undefined) return undefined;
  try {
    const value = getArgumentValues(field, node, coerced)['app'];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined; // Execution reports bad arguments itself.
  }
}

/** The error refusing one root field to this caller, if any. */
function fieldDenial(
  rootType: GraphQLObjectType,
  node: FieldNode,
  level: AccessLevel | undefined,
  caller: Caller,
  enabled: EnabledCredentials,
  variables: () => Variables | undefined,
): GraphQLError | undefined {
  const name = node.name.value;
  if (level === undefined) return forbidden(`"${name}" has no access rule, so nobody may use it.`);
  const denial = accessDenial(name, level, caller, enabled);
  if (denial || caller.kind !== 'session') return denial;
  // A session belongs to one app: a request carrying one acts for that app only, public fields
  // included (without a session header, anyone may call those for any app).
  const app = appArgument(rootType, node, variables);
  const own = caller.session.app.name;
  return app === undefined || app === own
    ? undefined
    : forbidden(`This session belongs to app "${own}"; "${name}" was asked for app "${app}".`);
}

function operationDenials(
  args: ExecutionArgs,
  caller: Caller,
  rules: AccessRules,
  enabled: EnabledCredentials,
  fieldsOf: (document: DocumentNode, operationName: string | null | undefined) => FieldNode[],
): GraphQLError[] {
  if (caller.kind === 'invalid') return [unauthenticated(INVALID_CREDENTIAL_MESSAGE)];
  const operation = getOperationAST(args.document, args.operationName);
  const rootType = operation && args.schema.getRootType(operation.operation);
  if (!operation || !rootType) return []; // Execution answers with its own error.
  // Coerced once, when a session's field takes `app` (the same coercion execution makes).
  let coerced: { variables: Variables | undefined } | undefined;
  const variables = () => (coerced ??= { variables: coercedVariables(args, operation) }).variables;
  const typeRules = rules.get(rootType.name);
  const errors = new Map<string, GraphQLError>();
  for (const node of fieldsOf(args.document, args.operationName)) {
    const name = node.name.value;
    if (name.startsWith('__')) continue; // Introspection: on or off by validation rule.
    const error = fieldDenial(rootType, node, typeRules?.get(name), caller, enabled, variables);
    if (error) errors.set(error.message, error);
  }
  return [...errors.values()];
}

export function useAccessControl(deps: {
  rules: AccessRules;
  enabled: EnabledCredentials;
}): Plugin<AuthContext> {
  // Yoga caches parsed documents, so each operation's root fields are collected once.
  const cache = new WeakMap<DocumentNode, Map<string, FieldNode[]>>();
  const fieldsOf = (document: DocumentNode, operationName: string | null | undefined) => {
    let byName = cache.get(document);
    if (!byName) cache.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let fields = byName.get(key);
    if (!fields) {
      const operation = getOperationAST(document, operationName);
      fields = operation ? rootFieldNodes(operation.selectionSet, document) : [];
      byName.set(key, fields);
    }
    return fields;
  };
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: ExecutionArgs & { contextValue: AuthContext };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }): void | Promise<void> => {
    const decide = (caller: Caller): void => {
      const errors = operationDenials(args, caller, deps.rules, deps.enabled, fieldsOf);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    };
    // A session that cannot be checked right now (revocations.ts) ends the operation with why.
    const unverifiable = (error: unknown): void => {
      if (!(error instanceof GraphQLError)) throw error;
      setResultAndStopExecution({ errors: [error] });
    };
    const caller = args.contextValue.auth.caller();
    return caller instanceof Promise ? caller.then(decide, unverifiable) : decide(caller);
  };
  return { onExecute: check, onSubscribe: check };
}
