/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type JsapiConfigQueryVariables = Exact<{
  url: string;
  app?: string | null | undefined;
}>;


export type JsapiConfigQuery = { jsapiConfig: { appId: string, timestamp: number, nonceStr: string, signature: string, url: string } };

export type LoginMutationVariables = Exact<{
  code: string;
  app?: string | null | undefined;
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, openid: string, unionid: string | null, scope: string | null, profile: { nickname: string, avatarUrl: string | null } | null } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type MeQueryVariables = Exact<{
  app?: string | null | undefined;
}>;


export type MeQuery = { me: { app: string, openid: string, unionid: string | null, user: { subscribed: boolean, subscribedAt: string | null } | null } };

export type PhoneNumberQueryVariables = Exact<{
  code: string;
  app?: string | null | undefined;
}>;


export type PhoneNumberQuery = { phoneNumber: { phoneNumber: string, purePhoneNumber: string, countryCode: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const JsapiConfigDocument = new TypedDocumentString(`
    query JsapiConfig($url: String!, $app: String) {
  jsapiConfig(url: $url, app: $app) {
    appId
    timestamp
    nonceStr
    signature
    url
  }
}
    `) as unknown as TypedDocumentString<JsapiConfigQuery, JsapiConfigQueryVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($code: String!, $app: String) {
  login(code: $code, app: $app) {
    token
    expiresAt
    openid
    unionid
    scope
    profile {
      nickname
      avatarUrl
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me($app: String) {
  me(app: $app) {
    app
    openid
    unionid
    user {
      subscribed
      subscribedAt
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const PhoneNumberDocument = new TypedDocumentString(`
    query PhoneNumber($code: String!, $app: String) {
  phoneNumber(code: $code, app: $app) {
    phoneNumber
    purePhoneNumber
    countryCode
  }
}
    `) as unknown as TypedDocumentString<PhoneNumberQuery, PhoneNumberQueryVariables>;