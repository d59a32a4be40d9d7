/**
 * A tiny client for the gateway: sends a typed document (client/generated) with its variables
 * and the session token, returns the typed data or throws a GatewayError with the gateway's code.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  LoginDocument,
  LogoutDocument,
  type LoginMutation,
  type LoginMutationVariables,
} from '../generated/graphql.js';
import { GatewayError, type GraphQLErrorEntry } from './errors.js';
import { memorySession, type SessionStore } from './session.js';
import { fetchTransport, type Transport } from './transport.js';

/** A document codegen typed: its text, its result and its variables. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  toString(): string;
};

/** Variables may be left out when the operation has no required one. */
export type VariablesArgument<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. https://gw.example.com/graphql */
  url: string;
  /** Default: fetch. Mini programs pass wxRequestTransport(wx). */
  transport?: Transport;
  /** Where the session token lives; default: memory (gone on reload). */
  session?: SessionStore;
}

export interface GatewayClient {
  readonly session: SessionStore;
  /** Runs one operation; any error in the response rejects with a GatewayError. */
  request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<TResult>;
  /** `login(code, app)`, keeping the session token for the requests that follow. */
  login(variables: LoginMutationVariables): Promise<LoginMutation['login']>;
  /**
   * Ends the session everywhere and forgets the token. A session that had already ended counts
   * as logged out; any other failure (e.g. UPSTREAM_UNAVAILABLE) keeps the token, to retry.
   */
  logout(): Promise<void>;
}

function errorEntries(json: unknown): GraphQLErrorEntry[] | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { errors } = json as { errors?: unknown };
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((entry: unknown): GraphQLErrorEntry => {
    const { message, path, extensions } = (entry ?? {}) as Record<string, unknown>;
    return {
      message: typeof message === 'string' ? message : 'Unknown error',
      ...(Array.isArray(path) ? { path } : {}),
      ...(typeof extensions === 'object' && extensions !== null
        ? { extensions: extensions as Record<string, unknown> }
        : {}),
    };
  });
}

function dataOf(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return undefined;
  const { data } = json as { data?: unknown };
  return typeof data === 'object' && data !== null ? data : undefined;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const transport = options.transport ?? fetchTransport();
  const session = options.session ?? memorySession();

  async function request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...[variables]: VariablesArgument<TVariables>
  ): Promise<TResult> {
    const token = session.get();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    };
    const body = JSON.stringify({ query: document.toString(), variables: variables ?? {} });
    let response;
    try {
      response = await transport({ url: options.url, headers, body });
    } catch (cause) {
      const message = `the gateway could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`;
      throw new GatewayError('NETWORK_ERROR', message, { status: 0, cause });
    }
    const errors = errorEntries(response.json);
    if (errors !== undefined) {
      const [first] = errors;
      const code = first?.extensions?.['code'];
      const error = new GatewayError(
        typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
        first?.message ?? 'Unknown error',
        { status: response.status, errors },
      );
      // The session is over (expired, logged out, secret rotated): the token is of no more use.
      if (token !== undefined && error.code === 'UNAUTHENTICATED') session.clear();
      throw error;
    }
    const data = dataOf(response.json);
    if (data === undefined) {
      throw new GatewayError(
        'BAD_RESPONSE',
        `the gateway's answer was not a GraphQL response (HTTP ${response.status})`,
        { status: response.status },
      );
    }
    return data as TResult;
  }

  return {
    session,
    request,
    async login(variables) {
      const { login } = await request(LoginDocument, variables);
      session.set(login.token);
      return login;
    },
    async logout() {
      try {
        await request(LogoutDocument);
      } catch (error) {
        if (!(error instanceof GatewayError && error.code === 'UNAUTHENTICATED')) throw error;
      }
      session.clear();
    },
  };
}
