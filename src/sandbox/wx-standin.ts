/**
 * Sandbox only: a stand-in for WeChat's JS-SDK (jweixin.js) with what a page needs to start:
 * `wx.config`, `wx.ready`, `wx.error`. Like WeChat's browser it checks the signature against the
 * account's current jsapi_ticket, the nonce, the timestamp and the page's URL; the ticket stays in
 * the emulator, so the check is a POST to the sandbox. `ready` and `error` callbacks registered
 * after the outcome run at once, as in WeChat. With `debug: true` the outcome (and why a
 * signature failed) goes to the console.
 */
export function wxStandinScript(verifyPath: string): string {
  return `(() => {
  const VERIFY = ${JSON.stringify(verifyPath)};
  let outcome;
  const waiting = { ready: [], error: [] };
  const run = (callback, argument) => {
    try { callback(argument); } catch (error) { setTimeout(() => { throw error; }); }
  };
  const settle = (result) => {
    outcome = result;
    const callbacks = result.ok ? waiting.ready : waiting.error;
    waiting.ready = [];
    waiting.error = [];
    for (const callback of callbacks) run(callback, result.ok ? undefined : { errMsg: result.errMsg });
  };
  window.wx = {
    config(options) {
      outcome = undefined;
      const body = {
        appId: options.appId, timestamp: options.timestamp, nonceStr: options.nonceStr,
        signature: options.signature, url: location.href,
      };
      fetch(VERIFY, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then((response) => response.json())
        .then((result) => {
          if (options.debug) console.warn('wx.config (sandbox stand-in):', result);
          settle(result.ok ? { ok: true } : { ok: false, errMsg: result.errMsg || 'config:fail' });
        }, () => settle({ ok: false, errMsg: 'config:fail' }));
    },
    ready(callback) {
      if (outcome && outcome.ok) run(callback); else waiting.ready.push(callback);
    },
    error(callback) {
      if (outcome && !outcome.ok) run(callback, { errMsg: outcome.errMsg }); else waiting.error.push(callback);
    },
  };
})();
`;
}
