import { describe, expect, it } from 'vitest';
import { describeListenError } from '../../src/config/startup-errors.js';

/** An error shaped as node:net reports a failed listen. */
function listenError(code: string, message = `listen ${code}`): Error {
  return Object.assign(new Error(message), { code, syscall: 'listen' });
}

describe('describeListenError', () => {
  it('writes IPv6 hosts in brackets', () => {
    expect(describeListenError(listenError('EADDRINUSE'), '::1', 4000)).toMatch(
      /^Cannot listen on \[::1\]:4000: port 4000 is already in use/,
    );
  });

  it('explains an IPv6 HOST on a machine without IPv6', () => {
    expect(describeListenError(listenError('EAFNOSUPPORT'), '::1', 4000)).toMatch(
      /HOST=::1 .*IPv6 disabled\?\)\. Set HOST to an IPv4 address/,
    );
  });

  it('treats every resolver failure as a HOST that does not resolve', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']) {
      expect(describeListenError(listenError(code), 'gw.example', 80)).toBe(
        `Cannot listen on gw.example:80: HOST=gw.example does not resolve to an address (${code}). Set HOST to an IP address such as 127.0.0.1 or 0.0.0.0, or to a name that resolves.`,
      );
    }
  });

  it('mentions privileged ports only for ports below 1024', () => {
    expect(describeListenError(listenError('EACCES'), '0.0.0.0', 443)).toContain(
      'permission denied (ports below 1024',
    );
    expect(describeListenError(listenError('EPERM'), '0.0.0.0', 8080)).toBe(
      'Cannot listen on 0.0.0.0:8080: permission denied. Set PORT to 1024 or above, or run with the needed privilege.',
    );
  });

  it('keeps an unknown failure to one line', () => {
    const text = describeListenError(listenError('EMFILE', 'too many open files\n  at x'), 'h', 1);
    expect(text).toBe('Cannot listen on h:1: too many open files.');
    expect(describeListenError('odd', 'h', 1)).toBe('Cannot listen on h:1: odd.');
  });
});
