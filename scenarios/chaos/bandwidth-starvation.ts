import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * The catalog's answers to the gateway are squeezed to 16 KB/s for 20 s (a saturated link).
 * Verdict: uncached reads and orders slow down to timeouts, cached reads go on, the breaker
 * protects the gateway, and the platform is back within 30 s of the link clearing.
 */
export default defineScenario({
  name: 'bandwidth-starvation',
  description: 'Bandwidth toxic of 16 KB/s on gateway→catalog for 20 s.',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'catalog link at 16 KB/s',
        at: '15s',
        duration: '20s',
        fault: { type: 'toxic', proxy: 'gateway-catalog', toxic: 'bandwidth', attributes: { rate: 16 } },
      },
    ],
    expect: { mttr: '30s', availability: 0.8 },
  },
});
