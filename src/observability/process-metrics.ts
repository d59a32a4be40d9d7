/**
 * Node's own metrics (CPU, memory, heap, event-loop lag, GC, handles), from prom-client's
 * collectDefaultMetrics. They describe the process, not a gateway, so they live in one registry
 * per process, made on first use: collectDefaultMetrics starts an event-loop monitor and a GC
 * observer each time it is called, which a registry per gateway (tests make hundreds) would pile up.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

export function processMetricsRegistry(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
