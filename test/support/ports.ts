/**
 * Loopback ports: servers of the test process listen on one the OS picks (`listenOnLoopback`);
 * `freePort` is for servers that must be told their port up front (a redis-server restarted on
 * the same port, a gateway given PORT).
 */
import { Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';

export interface Listening {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Drops every connection (an HTTP server's) and closes the server. */
  close(): Promise<void>;
}

/** Listens on a port the OS picks on 127.0.0.1; resolves once it does. */
export async function listenOnLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (server instanceof HttpServer) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on right now (the OS picks it; it is closed again at once). */
export async function freePort(): Promise<number> {
  const probe = await listenOnLoopback(createServer());
  await probe.close();
  return probe.port;
}

/** Whether a server can listen on `port` now, i.e. no process holds it. */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}
