import { defineScenario } from '../harness/config/define.ts';

// The bench's flow: one GET of the fixed 200 response per iteration, nothing else, so the
// comparison with autocannon and wrk measures the load generator, not the flow.
export default defineScenario({
  name: 'engine-bench',
  kind: 'load',
  flows: { get: async ({ http }) => void (await http.get('/')) },
  // The bench builds its own LoadPlans; this is what `crucible run` would use.
  load: { closed: { executor: 'constant-vus', vus: 64, duration: '10s' } },
  http: { discardResponseBodies: true },
});
