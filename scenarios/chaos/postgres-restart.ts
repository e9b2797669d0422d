import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * PostgreSQL is stopped for 10 s, then started again. Verdict: cached product reads go on, orders
 * fail with 503 while it is down (never acknowledged, so never lost), the catalog reconnects when
 * it returns, the platform is back within 30 s, and every order acknowledged before, during or
 * after is in the database afterwards.
 */
export default defineScenario({
  name: 'postgres-restart',
  description: 'Stop PostgreSQL for 10 s under load, then start it again.',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'PostgreSQL down',
        at: '15s',
        duration: '10s',
        fault: { type: 'component-stop', component: 'postgres' },
        // On kind, the StatefulSet scaled to zero and back: postgres-0 starts again on its volume.
        on: { kind: { type: 'scale', workload: 'statefulset/postgres', replicas: 0 }, containers: { type: 'container-stop', container: 'postgres' } },
      },
    ],
    expect: { mttr: '30s', availability: 0.9 },
  },
});
