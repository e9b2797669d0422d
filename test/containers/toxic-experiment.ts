import { defineScenario } from '../../harness/config/define.ts';
import { chaosData, chaosFlows } from '../../scenarios/journeys/chaos-load.ts';
import { steadyStateProbes } from '../../scenarios/journeys/steady-state.ts';

/**
 * The chaos experiment the containers test runs with `crucible run --target containers`: 25 s of light
 * load, a 150 ms latency toxic on the gateway's Redis edges for 6 s, then a container kill of a gateway
 * replica (healed by its restart policy); recovery judged on 3 good windows. The steady state is the
 * reference one without the Chromium journey (the test's time budget).
 */
export default defineScenario({
  name: 'containers-toxic-experiment',
  kind: 'chaos',
  data: chaosData,
  flows: chaosFlows,
  load: { light: { executor: 'constant-arrival-rate', rate: 10, duration: '25s', preAllocatedVUs: 5, maxVUs: 40 } },
  chaos: {
    steadyState: { probes: steadyStateProbes().filter((p) => p.type !== 'browser'), recoverWindows: 3, recoveryTimeout: '45s' },
    method: [
      {
        name: 'Redis latency 150 ms',
        at: '5s',
        duration: '6s',
        fault: { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: 150 } },
      },
      { name: 'kill the gateway-1 container', at: '15s', fault: { type: 'container-kill', container: 'gateway-1' } },
    ],
    ledger: { rate: 5 },
    expect: { mttr: '30s', availability: 0.9 },
  },
});
