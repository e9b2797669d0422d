import { defineScenario } from 'crucible';
import { platformData } from '../journeys/platform-data.ts';
import { browse, graphqlBatch, search } from '../journeys/platform-flows.ts';

/**
 * Ramps the arrival rate until the SLOs break, then reports the breaking point (the highest rate
 * that held them) and how the platform failed past it: shedding (429/503), timeouts, or errors.
 */
export default defineScenario({
  name: 'stress',
  kind: 'stress',
  description: 'Rate rises by 50/s every 10 s from 50/s up to 1,000/s; stops after three broken windows.',
  data: platformData,
  flows: { browse: { weight: 8, run: browse }, search: { weight: 1, run: search }, graphql: { weight: 1, run: graphqlBatch } },
  load: {
    ramp: {
      executor: 'ramping-arrival-rate',
      startRate: 50,
      stages: Array.from({ length: 20 }, (_, i) => [
        { duration: '1s' as const, target: 50 * (i + 1) },
        { duration: '9s' as const, target: 50 * (i + 1) },
      ]).flat(),
      preAllocatedVUs: 50,
      maxVUs: 400,
      gracefulStop: '3s',
    },
  },
  stress: { window: '10s', stopAfterBrokenWindows: 3 },
  http: { timeoutMs: 5_000 },
});
