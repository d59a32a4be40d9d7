/**
 * `<NAME>_FILE` for every secret: the value is read from the named file (a Docker or Kubernetes
 * secret, a file only the service user may read) instead of the environment, where any process
 * of the same user and every crash dump could see it. Read once, when the configuration is
 * loaded; surrounding whitespace (the trailing newline of `echo`) is trimmed. Problems name the
 * variable and the path, never the content.
 */
import { readFileSync, statSync } from 'node:fs';

/** Every variable that holds a secret, or may (a `redis://` URL with a password). */
export const SECRET_VARIABLES = [
  'ADMIN_API_KEY',
  'SERVICE_API_KEYS',
  'SESSION_SECRET',
  'WECHAT_APP_SECRET',
  'WECHAT_APPS',
  'TOKEN_STORE',
] as const;

/** A secret file is small: anything larger is the wrong file (or /dev/zero). */
const MAX_BYTES = 64 * 1024;

export interface SecretFileRead {
  /** The environment with every `<NAME>` set from its `<NAME>_FILE`. */
  env: NodeJS.ProcessEnv;
  /** Variable name → the file it was read from, to say where a bad value came from. */
  sources: Map<string, string>;
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? 'unreadable';
  }
}

function readSecret(path: string): { value: string } | { problem: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { problem: `"${path}" is not a regular file` };
    if (stat.size > MAX_BYTES) {
      return { problem: `"${path}" is larger than ${MAX_BYTES / 1024} kB: not a secret file` };
    }
    const value = readFileSync(path, 'utf8').trim();
    if (value === '') return { problem: `"${path}" is empty` };
    return { value };
  } catch (error) {
    return { problem: `cannot read "${path}" (${errnoText(error)})` };
  }
}

/** Resolves every `<NAME>_FILE`; a problem is pushed for a file that cannot be used. */
export function readSecretFiles(env: NodeJS.ProcessEnv, problems: string[]): SecretFileRead {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const sources = new Map<string, string>();
  for (const name of SECRET_VARIABLES) {
    const fileVariable = `${name}_FILE`;
    const path = env[fileVariable]?.trim();
    if (path === undefined || path === '') continue;
    if ((env[name] ?? '').trim() !== '') {
      problems.push(`${name} and ${fileVariable} are both set: set only one of them`);
      continue;
    }
    const read = readSecret(path);
    if ('problem' in read) {
      problems.push(`${fileVariable}: ${read.problem}`);
      continue;
    }
    resolved[name] = read.value;
    sources.set(name, path);
  }
  return { env: resolved, sources };
}

/**
 * `ADMIN_API_KEY: must be …` becomes `ADMIN_API_KEY (read from ADMIN_API_KEY_FILE "/run/…"): must
 * be …` when the value came from a file: the operator looks in the right place.
 */
export function attributeProblems(
  problems: readonly string[],
  sources: ReadonlyMap<string, string>,
): string[] {
  return problems.map((problem) => {
    for (const [name, path] of sources) {
      const match = new RegExp(`^${name}(?=[:.[ ])`).exec(problem);
      if (match) return `${name} (read from ${name}_FILE "${path}")${problem.slice(name.length)}`;
    }
    return problem;
  });
}
