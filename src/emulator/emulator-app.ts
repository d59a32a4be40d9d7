/**
 * One emulated app as configured. Its own module, below everything: the registry and the default
 * apps need it, and types.ts (the Emulator interface, which names the endpoints' types) sits on
 * top, so the files import in one direction.
 */
export interface EmulatorApp {
  appId: string;
  appSecret: string;
  kind: 'official' | 'miniprogram';
  /** Seeded followers for official accounts (default 300; must be 0 or absent for mini programs). */
  followers?: number;
}
