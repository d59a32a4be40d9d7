/**
 * `npm run emulator`: the WeChat emulator as a standalone server, for exploring with curl or
 * pointing a locally run gateway at it. The only file of the emulator that reads process.env.
 */
import { createOffsetClock } from './offset-clock.js';
import { createEmulator } from './index.js';
import { describeEmulator, readStandaloneConfig } from './standalone.js';

async function main(): Promise<void> {
  const config = readStandaloneConfig(process.env);
  const emulator = await createEmulator({
    host: config.host,
    port: config.port,
    apps: config.apps,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    tokenHandoverSeconds: config.tokenHandoverSeconds,
    // Real time that the clock/advance control can move forward.
    clock: createOffsetClock(),
    controls: true,
  });
  process.stdout.write(describeEmulator(emulator, { controls: true }));
  const stop = (signal: NodeJS.Signals): void => {
    process.stdout.write(`${signal}: stopping the WeChat emulator\n`);
    emulator.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        console.error('WeChat emulator: failed to close', error);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
