import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (the OS picks it). For servers that must be told
 * their port up front, such as a redis-server that is restarted on the same port; servers that
 * can listen on port 0 and print their address should do that instead.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
