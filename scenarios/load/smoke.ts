import { defineScenario } from 'crucible';
import { platformData } from '../journeys/platform-data.ts';
import { browse, graphqlBatch, order, search } from '../journeys/platform-flows.ts';

/** Half a minute of light traffic over every journey: proves the platform serves before heavier runs. */
export default defineScenario({
  name: 'smoke',
  kind: 'load',
  description: 'Every journey (browse, search, order, GraphQL batch) at a light constant rate.',
  data: platformData,
  flows: {
    browse: { weight: 6, run: browse },
    search: { weight: 1, run: search },
    order: { weight: 1, run: order },
    graphql: { weight: 2, run: graphqlBatch },
  },
  load: {
    warmup: { executor: 'constant-arrival-rate', rate: 20, duration: '5s', preAllocatedVUs: 5, maxVUs: 20, warmup: true },
    light: { executor: 'constant-arrival-rate', rate: 20, duration: '15s', startTime: '5s', preAllocatedVUs: 5, maxVUs: 20 },
  },
  // Twenty seconds from a cold cache cannot show a steady hit rate (a few hundred reads over 10,000
  // products); the baseline load judges the 80 % SLO. Here any hit proves the cache path works.
  slos: { cacheHitRate: 0 },
  k6: { script: '../k6/smoke.ts' },
  thresholds: {
    http_req_duration: ['p(95)<200'],
    'http_req_duration{name:place order}': ['p(95)<400'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
});
