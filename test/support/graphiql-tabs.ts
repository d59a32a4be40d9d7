/**
 * The example operations of GraphiQL's tabs (anonymous, session, the service fields by family,
 * admin), in the order the page lists them, and the tabs' titles: what both GraphiQL tests
 * expect the sandbox page to offer.
 */
export const GRAPHIQL_TAB_TITLES: readonly string[] = [
  'Anonymous',
  'Session',
  'Service: users',
  'Service: messages',
  'Service: tags',
  'Service: codes',
  'Service: events',
  'Admin',
];

export const GRAPHIQL_TAB_OPERATIONS: readonly (readonly string[])[] = [
  ['Login', 'LoginMiniProgram', 'JsapiConfig'],
  ['Me', 'Logout'],
  [
    'UserInfo',
    'Users',
    'Followers',
    'OpenidOfficial',
    'OpenidMiniProgram',
    'PhoneNumber',
    'SetUserRemark',
  ],
  [
    'SendTemplateMessage',
    'SendSubscribeMessage',
    'MassSend',
    'MassPreview',
    'MassStatus',
    'MassDelete',
  ],
  ['Tags', 'UsersByTag', 'CreateTag', 'RenameTag', 'DeleteTag', 'TagUsers', 'UntagUsers'],
  ['CreateQrCode', 'MiniProgramCode', 'MiniProgramLink'],
  ['Events', 'WechatEvents'],
  ['AccessToken', 'TokenStatus', 'RefreshAccessToken', 'ResetTokenBreaker'],
];
