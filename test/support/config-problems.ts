import { ConfigError, loadConfig } from '../../src/config/config.js';

/** The problems loadConfig names for `env`; throws if it accepts `env` or fails otherwise. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
