/** wechat-api-more.md §1.1 (worked example) and §1.4 (safe-mode vector), verbatim. */
export const VECTOR = {
  token: 'wxEmuToken2024',
  timestamp: '1700000000',
  nonce: '1234567890',
  echostr: '7052137424352937187',
  signature: '4527841820cb6bd886efe3db085ef8e995f764c8',
  encodingAesKey: 'EmuKey0123456789abcdefghijklmnopqrstuvwxyzA',
  aesKeyHex: '126b8a7b2d35db7e39ebbf3d69b71d79f8218a39259a7a29aabb2dbafc31cb30',
  appId: 'wx0123456789abcdef',
  random: 'aaaabbbbccccdddd',
  plaintext:
    '<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oEmuUser0000000000000000001]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello from emulator]]></Content><MsgId>24000000000000001</MsgId></xml>',
  encrypt:
    'Vtyq4b2dF0Vt/2EdLg0KEGOeZdlt/rBwa0c5HwpcZEsrbuV+FU77foz1aoC9fR+mdyi5hxI6cgWvRp1hCnm/dsiZNgTBm7KAGngg+mGMOSxkTlMBqZKOgm+NnVN9z/mCjU+5wYwAFOnuLF1R+kHh0Q71ltVF92E7WIGaut6UEhWRn7bPnqreCfARoGfCBJLFdvHz5zuD2jTWlWAyYiXxfPry0Mfo6ARVRRwexSXQlW7ifwWo2XQIe9J6EC5eUl/Y+n4XKJXpaIb56vN6tiHJyveWOI+NbMEY2MqD/1Eh0ty0+geyPIPop+TPPqbuNaOPruvwENkgCyaDf2RKoWouLchg+kWjB2TftJp6n81eZuEsoHB66suxXbK6DTgyT4b/BO9/J9/tRnVshTqgLkvSe1dKUbkZ9n7qZS0yE4K3gH35Tl+s9jDbJUAgfxbYPphXpZ/1w22xZdELpwUm+86XDw==',
  msgSignature: 'f9cfd11ffae5e02964122ff740743da67606a79c',
} as const;
