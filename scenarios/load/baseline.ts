import { defineScenario } from 'crucible';
import { platformData } from '../journeys/platform-data.ts';
import { browse, graphqlBatch, order, search } from '../journeys/platform-flows.ts';

/**
 * The baseline load: Zipf-distributed catalog reads, searches, logins and orders, GraphQL batches,
 * at a steady open-model rate after a warm-up ramp that fills the cache. The roadmap SLOs judge the
 * steady minute (p95 < 200 ms, errors < 1 %, cache hit rate > 80 %).
 */
export default defineScenario({
  name: 'baseline-load',
  kind: 'load',
  description: 'Warm-up ramp to 100 iterations/s over 20 s, then 60 s steady; browse-heavy mix.',
  data: platformData,
  flows: {
    browse: { weight: 70, run: browse },
    search: { weight: 5, run: search },
    order: { weight: 10, run: order },
    graphql: { weight: 15, run: graphqlBatch },
  },
  load: {
    warmup: { executor: 'ramping-arrival-rate', startRate: 10, stages: [{ duration: '20s', target: 100 }], preAllocatedVUs: 20, maxVUs: 100, warmup: true },
    steady: { executor: 'constant-arrival-rate', rate: 100, duration: '60s', startTime: '20s', preAllocatedVUs: 20, maxVUs: 100 },
  },
  k6: { script: '../k6/baseline.ts' },
  thresholds: {
    http_req_duration: ['p(95)<200', 'p(99)<500'],
    'http_req_duration{name:product}': ['p(95)<100'],
    'http_req_duration{name:place order}': ['p(95)<300'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    dropped_iterations: ['count==0'],
  },
});
