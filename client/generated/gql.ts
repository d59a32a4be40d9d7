/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query JsapiConfig($url: String!, $app: String) {\n  jsapiConfig(url: $url, app: $app) {\n    appId\n    timestamp\n    nonceStr\n    signature\n    url\n  }\n}": typeof types.JsapiConfigDocument,
    "mutation Login($code: String!, $app: String) {\n  login(code: $code, app: $app) {\n    token\n    expiresAt\n    openid\n    unionid\n    scope\n    profile {\n      nickname\n      avatarUrl\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation Logout {\n  logout\n}": typeof types.LogoutDocument,
    "query Me($app: String) {\n  me(app: $app) {\n    app\n    openid\n    unionid\n    user {\n      subscribed\n      subscribedAt\n    }\n  }\n}": typeof types.MeDocument,
    "query PhoneNumber($code: String!, $app: String) {\n  phoneNumber(code: $code, app: $app) {\n    phoneNumber\n    purePhoneNumber\n    countryCode\n  }\n}": typeof types.PhoneNumberDocument,
};
const documents: Documents = {
    "query JsapiConfig($url: String!, $app: String) {\n  jsapiConfig(url: $url, app: $app) {\n    appId\n    timestamp\n    nonceStr\n    signature\n    url\n  }\n}": types.JsapiConfigDocument,
    "mutation Login($code: String!, $app: String) {\n  login(code: $code, app: $app) {\n    token\n    expiresAt\n    openid\n    unionid\n    scope\n    profile {\n      nickname\n      avatarUrl\n    }\n  }\n}": types.LoginDocument,
    "mutation Logout {\n  logout\n}": types.LogoutDocument,
    "query Me($app: String) {\n  me(app: $app) {\n    app\n    openid\n    unionid\n    user {\n      subscribed\n      subscribedAt\n    }\n  }\n}": types.MeDocument,
    "query PhoneNumber($code: String!, $app: String) {\n  phoneNumber(code: $code, app: $app) {\n    phoneNumber\n    purePhoneNumber\n    countryCode\n  }\n}": types.PhoneNumberDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JsapiConfig($url: String!, $app: String) {\n  jsapiConfig(url: $url, app: $app) {\n    appId\n    timestamp\n    nonceStr\n    signature\n    url\n  }\n}"): typeof import('./graphql.js').JsapiConfigDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($code: String!, $app: String) {\n  login(code: $code, app: $app) {\n    token\n    expiresAt\n    openid\n    unionid\n    scope\n    profile {\n      nickname\n      avatarUrl\n    }\n  }\n}"): typeof import('./graphql.js').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout {\n  logout\n}"): typeof import('./graphql.js').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me($app: String) {\n  me(app: $app) {\n    app\n    openid\n    unionid\n    user {\n      subscribed\n      subscribedAt\n    }\n  }\n}"): typeof import('./graphql.js').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PhoneNumber($code: String!, $app: String) {\n  phoneNumber(code: $code, app: $app) {\n    phoneNumber\n    purePhoneNumber\n    countryCode\n  }\n}"): typeof import('./graphql.js').PhoneNumberDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
