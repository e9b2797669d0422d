import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * SIGKILL of gateway replica 1, three times, 15 s apart. Verdict: HAProxy takes the dead replica
 * out within its health-check interval and the other replica serves, the supervisor restarts the
 * killed one, MTTR under 15 s each time (a distribution over three kills), availability at or
 * above 99.9 %, no acknowledged order lost.
 */
export default defineScenario({
  name: 'gateway-replica-kill',
  description: 'SIGKILL gateway-1 three times, 15 s apart, under load.',
  ...underChaosLoad('70s'),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'kill a gateway replica',
        at: '10s',
        fault: { type: 'process-kill', component: 'gateway-1' },
        // On kind, a gateway pod deleted with no grace period (a crash): its Deployment replaces it.
        on: {
          kind: { type: 'pod-kill', selector: { 'app.kubernetes.io/name': 'gateway' }, gracePeriodSeconds: 0 },
          // On the containers target, SIGKILL to gateway-1's container: its restart policy brings it back.
          containers: { type: 'container-kill', container: 'gateway-1' },
        },
        repeat: { times: 3, every: '15s' },
      },
    ],
    expect: { mttr: '15s', availability: 0.999 },
  },
});
