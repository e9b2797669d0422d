import type { Duration, ExecutorOptions } from 'crucible';
import { platformData } from './platform-data.ts';
import { browse, order } from './platform-flows.ts';

/**
 * The load every chaos scenario runs under: 20 iterations/s of browsing (80 %) and ordering (20 %),
 * open model, so a slow platform gets the same arrivals (and shows it) instead of fewer.
 */
export const chaosData = platformData;
export const chaosFlows = { browse: { weight: 8, run: browse }, order: { weight: 2, run: order } };
export function chaosLoad(duration: Duration = '60s'): Record<string, ExecutorOptions> {
  return { light: { executor: 'constant-arrival-rate', rate: 20, duration, preAllocatedVUs: 10, maxVUs: 60 } };
}

/**
 * What the chaos scenarios here share besides their experiment: the kind, the data, the flows and
 * the chaos load (`duration` long). `defineScenario({ name, description, ...underChaosLoad(), chaos })`.
 */
export function underChaosLoad(duration?: Duration): {
  kind: 'chaos';
  data: typeof chaosData;
  flows: typeof chaosFlows;
  load: Record<string, ExecutorOptions>;
} {
  return { kind: 'chaos', data: chaosData, flows: chaosFlows, load: chaosLoad(duration) };
}
