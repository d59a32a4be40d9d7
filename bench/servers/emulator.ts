/** The WeChat emulator in its own process, as WeChat is on another machine in production. */
import { createEmulator } from '../../src/emulator/index.js';
import { serve } from '../ipc.js';

/** Upstream endpoints whose call counts the report shows. */
const COUNTED_PATHS = [
  '/cgi-bin/stable_token',
  '/cgi-bin/token',
  '/cgi-bin/user/info',
  '/cgi-bin/user/info/batchget',
] as const;

const emulator = await createEmulator();
const official = emulator.apps.find((app) => app.kind === 'official');
const follower = official && emulator.followerOpenids(official.appId)[0];
if (!official || follower === undefined) throw new Error('the emulator has no seeded follower');

serve({ url: emulator.url, appId: official.appId, appSecret: official.appSecret, follower }, () =>
  Object.fromEntries(COUNTED_PATHS.map((path) => [path, emulator.calls(path)])),
);
