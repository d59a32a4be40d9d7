/** Requests received per path, and per path and app, since the last reset. */
export interface CallCounter {
  record(path: string, appId: string | undefined): void;
  count(path: string, appId?: string): number;
  /** Every path counted so far with its count, optionally for one app only. */
  snapshot(appId?: string): Record<string, number>;
  reset(): void;
}

export function createCallCounter(): CallCounter {
  const totals = new Map<string, number>();
  const byApp = new Map<string, Map<string, number>>();
  return {
    record(path, appId) {
      totals.set(path, (totals.get(path) ?? 0) + 1);
      if (appId === undefined) return;
      let apps = byApp.get(path);
      if (!apps) {
        apps = new Map();
        byApp.set(path, apps);
      }
      apps.set(appId, (apps.get(appId) ?? 0) + 1);
    },
    count(path, appId) {
      if (appId === undefined) return totals.get(path) ?? 0;
      return byApp.get(path)?.get(appId) ?? 0;
    },
    snapshot(appId) {
      if (appId === undefined) return Object.fromEntries(totals);
      const result: Record<string, number> = {};
      for (const [path, apps] of byApp) {
        const count = apps.get(appId);
        if (count !== undefined) result[path] = count;
      }
      return result;
    },
    reset() {
      totals.clear();
      byApp.clear();
    },
  };
}
