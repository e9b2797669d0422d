import { defineScenario } from 'crucible';
import { platformData } from '../journeys/platform-data.ts';
import { browse, graphqlBatch, order, search } from '../journeys/platform-flows.ts';

/**
 * A steady realistic mix for a long time: fails on a memory leak (RSS slope from Prometheus), a p95
 * drift, or error bursts. Nightly runs it for 10 minutes; CRUCIBLE_SOAK_DURATION overrides (e.g. 2h).
 */
export default defineScenario({
  name: 'soak',
  kind: 'soak',
  description: 'Constant 50 iterations/s of the full mix; memory and latency trends judged.',
  data: platformData,
  flows: {
    browse: { weight: 70, run: browse },
    search: { weight: 5, run: search },
    order: { weight: 10, run: order },
    graphql: { weight: 15, run: graphqlBatch },
  },
  load: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: 50,
      duration: (process.env['CRUCIBLE_SOAK_DURATION'] as `${number}m` | undefined) ?? '10m',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
  },
  thresholds: { http_req_failed: ['rate<0.01'], dropped_iterations: ['count==0'] },
  soak: { maxRssSlopeMbPerHour: 50, maxP95DriftMsPerHour: 100 },
  http: { discardResponseBodies: false },
});
