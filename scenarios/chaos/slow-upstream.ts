import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * The catalog answers the gateway 2 s late (beyond the 1.5 s per-attempt timeout) for 20 s.
 * Verdict: attempts time out and are retried within the retry budget, the circuit breaker opens
 * and turns waits into fast 503s (the circuit alert fires), cached product reads go on, the
 * circuit closes after the latency goes, and the platform is back within 30 s.
 */
export default defineScenario({
  name: 'slow-upstream',
  description: 'Latency toxic of 2 s on gateway→catalog for 20 s: timeouts, retries, circuit breaking.',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'catalog 2 s slow',
        at: '15s',
        duration: '20s',
        fault: { type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency', attributes: { latency: 2000 } },
      },
    ],
    expect: { mttr: '30s', availability: 0.8, alert: true },
  },
});
