import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * 200 ms (± 50 ms) of latency on every gateway→Redis edge for 20 s. Verdict the reference platform
 * must reach: slower (p95 about 1 s: several Redis round trips per request), detected by the p95
 * probe and the latency alert, no request refused (the rate limiter falls back to per-replica
 * memory instead of failing every request), recovered within 30 s of the toxic's removal, no
 * acknowledged order lost.
 */
export default defineScenario({
  name: 'redis-latency',
  description: 'Latency toxic (200 ± 50 ms) on gateway→Redis, all six nodes, for 20 s.',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'Redis latency 200 ms',
        at: '15s',
        duration: '20s',
        fault: { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: 200, jitter: 50 } },
      },
    ],
    expect: { mttr: '30s', detection: '15s', availability: 0.9 },
  },
});
