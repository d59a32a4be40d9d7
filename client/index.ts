/** The gateway's client: typed operations (generated from client/operations) and a tiny client. */
export * from './generated/graphql.js';
export { createGatewayClient } from './src/client.js';
export type {
  GatewayClient,
  GatewayClientOptions,
  TypedDocument,
  VariablesArgument,
} from './src/client.js';
export { GatewayError } from './src/errors.js';
export type {
  ClientFailureCode,
  GatewayErrorCode,
  GraphQLErrorEntry,
  WechatErrorInfo,
  YogaErrorCode,
} from './src/errors.js';
export { memorySession, storageSession } from './src/session.js';
export type { SessionStore, StorageLike } from './src/session.js';
export { fetchTransport } from './src/transport.js';
export type { FetchLike, Transport, TransportRequest, TransportResponse } from './src/transport.js';
export { wxRequestTransport, wxStorageSession } from './src/wx-request.js';
export type { WxRequestApi, WxRequestOptions, WxStorageApi } from './src/wx-request.js';
