/**
 * Start-up failures that are the operator's to fix (the port is taken, HOST is not an address of
 * this machine, no permission): one line that says what to change, as configuration errors do,
 * never a stack trace.
 */

/** Its message is the whole story: main.ts prints it alone and exits 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Codes getaddrinfo gives for a name that does not resolve (now or at all). */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** `127.0.0.1:4000`, `[::1]:4000`. */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * What `server.listen(port, host)` failing with `error` means for the operator, in one line.
 * `port` is the configured one (0: any free port).
 */
export function describeListenError(error: unknown, host: string, port: number): string {
  const code = errorCode(error);
  const where = hostPort(host, port);
  switch (code) {
    case 'EADDRINUSE':
      return `Cannot listen on ${where}: port ${port} is already in use by another process. Stop that process or set PORT to a free port.`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: HOST=${host} is not an address of this machine. Set HOST to one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`;
    case 'EAFNOSUPPORT':
      return `Cannot listen on ${where}: this machine does not support the address family of HOST=${host} (IPv6 disabled?). Set HOST to an IPv4 address such as 127.0.0.1 or 0.0.0.0.`;
    case 'EACCES':
    case 'EPERM': {
      const privileged =
        port > 0 && port < 1024 ? ` (ports below 1024 need root or CAP_NET_BIND_SERVICE)` : '';
      return `Cannot listen on ${where}: permission denied${privileged}. Set PORT to 1024 or above, or run with the needed privilege.`;
    }
    default:
      break;
  }
  if (code !== undefined && UNRESOLVED.has(code)) {
    return `Cannot listen on ${where}: HOST=${host} does not resolve to an address (${code}). Set HOST to an IP address such as 127.0.0.1 or 0.0.0.0, or to a name that resolves.`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Cannot listen on ${where}: ${reason.split('\n')[0]}.`;
}
