import { defineScenario } from 'crucible';
import { platformData } from '../journeys/platform-data.ts';
import { browse, graphqlBatch } from '../journeys/platform-flows.ts';

/** A sudden burst: 20/s to 300/s in 5 s, held 20 s, back down. Does the platform absorb it or shed it? */
export default defineScenario({
  name: 'spike',
  kind: 'load',
  description: 'Read traffic jumps 15x in five seconds and falls back.',
  data: platformData,
  flows: { browse: { weight: 9, run: browse }, graphql: { weight: 1, run: graphqlBatch } },
  load: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: 20,
      stages: [
        { duration: '10s', target: 20 },
        { duration: '5s', target: 300 },
        { duration: '20s', target: 300 },
        { duration: '5s', target: 20 },
        { duration: '10s', target: 20 },
      ],
      preAllocatedVUs: 50,
      maxVUs: 300,
    },
  },
  thresholds: { http_req_failed: ['rate<0.05'], dropped_iterations: ['count==0'] },
  // During a spike the p95 SLO is expected to wobble; errors and drops are what is judged.
  slos: { p95Ms: 500 },
});
