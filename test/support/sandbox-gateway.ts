/**
 * What a newcomer runs: `npx tsx src/main.ts` with no WeChat credentials (sandbox mode), as a
 * child process in its own process group, with its JSON log lines at hand.
 */
import { childEnv, parseLogLine, startChild, waitListening, type LogEntry } from './processes.js';

export interface SandboxGateway {
  /** The GraphiQL / GraphQL URL the gateway logged. */
  url: string;
  /** The first log line (so far or to come, up to 20 s) that `match` accepts. */
  waitForLog(match: (entry: LogEntry) => boolean): Promise<LogEntry>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: nothing of the shutdown runs (the keys file stays). */
  kill(): Promise<void>;
}

/**
 * `settings`: environment variables on top of those of someone who has configured nothing (no
 * credentials, defaults everywhere), e.g. a fixed PORT for a restart.
 */
export async function startSandboxGateway(
  settings: Record<string, string> = {},
): Promise<SandboxGateway> {
  // Its own process group: npx → sh → tsx → node, and SIGTERM must reach the gateway itself.
  const child = startChild('npx', ['tsx', 'src/main.ts'], {
    name: 'the sandbox gateway',
    env: childEnv({ PORT: '0', TOKEN_STORE: 'memory', ...settings }),
    group: true,
    killAfterMs: 5_000,
  });
  const stop = async () => {
    await child.stop();
  };
  try {
    // Generous: a loaded 2-core machine starts tsx and the emulator slowly.
    const { url } = await waitListening(child, 60_000);
    return {
      url,
      async waitForLog(match) {
        const accepts = (line: string) => {
          const entry = parseLogLine(line);
          return entry !== undefined && match(entry);
        };
        return parseLogLine(await child.waitForLine(accepts, 'the expected log line')) ?? {};
      },
      stop,
      async kill() {
        await child.stop('SIGKILL');
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
