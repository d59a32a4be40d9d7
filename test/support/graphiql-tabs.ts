/**
 * The example operations of GraphiQL's four tabs (anonymous, session, service, admin), in the
 * order the page lists them: what both GraphiQL tests expect the sandbox page to offer.
 */
export const GRAPHIQL_TAB_OPERATIONS: readonly (readonly string[])[] = [
  ['Login', 'LoginMiniProgram', 'JsapiConfig'],
  ['Me', 'Logout'],
  [
    'UserInfo',
    'Users',
    'Followers',
    'OpenidOfficial',
    'OpenidMiniProgram',
    'SendTemplateMessage',
    'MassSend',
    'MassPreview',
    'MassStatus',
    'MassDelete',
    'CreateQrCode',
    'Tags',
    'UsersByTag',
    'CreateTag',
    'RenameTag',
    'DeleteTag',
    'TagUsers',
    'UntagUsers',
    'SetUserRemark',
    'SendSubscribeMessage',
    'MiniProgramCode',
    'MiniProgramLink',
    'PhoneNumber',
    'Events',
    'WechatEvents',
  ],
  ['AccessToken', 'TokenStatus', 'RefreshAccessToken', 'ResetTokenBreaker'],
];
