/**
 * Which pages jsapiConfig signs: those on the official account's JS-SDK secure domains
 * (JS接口安全域名), listed in JSSDK_ALLOWED_HOSTS. A listed host also allows its subdomains.
 * A signature for any other page would let a foreign page use the account's JS-SDK grant.
 */
export interface HostAllowlist {
  /** Undefined when pages on `host` may be signed, else why not (for BAD_USER_INPUT). */
  refusal(host: string): string | undefined;
}

export function createHostAllowlist(hosts: readonly string[] | 'any' | undefined): HostAllowlist {
  if (hosts === 'any') return { refusal: () => undefined };
  if (hosts === undefined || hosts.length === 0) {
    return {
      refusal: () =>
        'jsapiConfig signs no page yet: set JSSDK_ALLOWED_HOSTS to the JS-SDK secure domains ' +
        '(JS接口安全域名) of the official account, e.g. JSSDK_ALLOWED_HOSTS=shop.example.com.',
    };
  }
  const allowed = hosts.map((host) => host.toLowerCase());
  return {
    refusal(host) {
      const name = host.toLowerCase();
      if (allowed.some((entry) => name === entry || name.endsWith(`.${entry}`))) return undefined;
      return `jsapiConfig does not sign pages on "${name}": the host is not in JSSDK_ALLOWED_HOSTS.`;
    },
  };
}
