/**
 * A `.env` file for local runs: `KEY=value` lines (Node's own parser, `util.parseEnv`) for
 * variables the environment does not set; a variable set in the environment always wins, even
 * when empty. `ENV_FILE` names another file (it must exist then) or `none` for no file. Read by
 * main.ts before the configuration, so every variable (and `*_FILE`) may come from it.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { StartupError } from './startup-errors.js';

export const DEFAULT_ENV_FILE = '.env';

export interface EnvFileLoad {
  file: string;
  /** The variables taken from the file (names only: values may be secrets). */
  loaded: string[];
  /** Set in the file and in the environment: the environment's value was kept. */
  overridden: string[];
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? 'unreadable';
}

/** Loads the file into `env`; undefined when there is none. Throws StartupError if unreadable. */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): EnvFileLoad | undefined {
  const setting = env['ENV_FILE']?.trim();
  if (setting?.toLowerCase() === 'none') return undefined;
  const file = setting === undefined || setting === '' ? DEFAULT_ENV_FILE : setting;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // No .env is the normal case; a file named in ENV_FILE is expected to be there.
    if (file === DEFAULT_ENV_FILE && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new StartupError(
      `Cannot read the env file "${file}"${setting ? ' (ENV_FILE)' : ''}: ${reason(error)}. Fix it, or set ENV_FILE=none to read no file.`,
    );
  }
  const loaded: string[] = [];
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || name === 'ENV_FILE') continue;
    if (env[name] === undefined) {
      env[name] = value;
      loaded.push(name);
    } else {
      overridden.push(name);
    }
  }
  return { file, loaded, overridden };
}
