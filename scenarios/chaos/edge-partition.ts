import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * The edge loses its path to gateway replica 1 (the mesh proxy is disabled) for 20 s. Verdict:
 * HAProxy's health check marks that server down within a second and the other replica carries
 * everything; availability at or above 99.9 %, back within 15 s of the partition healing.
 */
export default defineScenario({
  name: 'edge-partition',
  description: 'Disable the edge→gateway-1 proxy for 20 s under load.',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    // The local edge's path to one gateway process; kind's edge reaches the gateways through one Service.
    targets: ['local'],
    method: [{ name: 'edge→gateway-1 partitioned', at: '15s', duration: '20s', fault: { type: 'proxy-down', proxy: 'edge-gateway-1' } }],
    expect: { mttr: '15s', availability: 0.999 },
  },
});
