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
  description: '40 s browsing warm-up (up to 200 iterations/s) that fills the cache, then 100 iterations/s for 60 s; browse-heavy mix.',
  data: platformData,
  flows: {
    browse: { weight: 75, run: browse },
    search: { weight: 5, run: search },
    // 5 % of iterations order (conversion rates are a few per cent); each order invalidates its
    // product's cache entry, and orders follow the same Zipf popularity as reads.
    order: { weight: 5, run: order },
    graphql: { weight: 15, run: graphqlBatch },
  },
  load: {
    // Browsing only, ~7,000 product reads: a cache as warm as a platform that has been serving for a
    // while (Zipf 1.1 over 10,000 products leaves ~13 % of reads in a long tail no short run warms).
    warmup: {
      executor: 'ramping-arrival-rate',
      startRate: 50,
      stages: [
        { duration: '10s', target: 200 },
        { duration: '30s', target: 200 },
      ],
      preAllocatedVUs: 20,
      maxVUs: 100,
      flows: { browse: 1 },
      warmup: true,
    },
    steady: { executor: 'constant-arrival-rate', rate: 100, duration: '60s', startTime: '40s', preAllocatedVUs: 20, maxVUs: 100 },
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
