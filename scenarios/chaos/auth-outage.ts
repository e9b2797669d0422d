import { defineScenario } from 'crucible';
import { underChaosLoad } from '../journeys/chaos-load.ts';
import { steadyStateProbes } from '../journeys/steady-state.ts';

/**
 * The auth service is stopped for 20 s. Verdict: tokens already issued keep working (the gateway
 * verifies them against its cached JWKS), new logins fail with 503 and are counted as errors,
 * browsing and ordering with a token go on, the platform is back within 30 s of auth's return,
 * and no acknowledged order is lost.
 */
export default defineScenario({
  name: 'auth-outage',
  description: 'Stop auth for 20 s under load (auth-1 locally; on kind, deployment/auth scaled to 0).',
  ...underChaosLoad(),
  chaos: {
    steadyState: { probes: steadyStateProbes() },
    method: [
      {
        name: 'auth down',
        at: '15s',
        duration: '20s',
        fault: { type: 'component-stop', component: 'auth-1' },
        // On kind, both auth replicas: the Deployment scaled to zero, then back.
        on: { kind: { type: 'scale', workload: 'deployment/auth', replicas: 0 }, containers: { type: 'container-stop', container: 'auth' } },
      },
    ],
    expect: { mttr: '30s', availability: 0.99 },
  },
});
