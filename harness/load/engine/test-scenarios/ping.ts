import { defineScenario } from '../../../config/define.ts';

// The simplest open-model scenario: one GET per iteration, with a check on the status.
export default defineScenario({
  name: 'engine-test-ping',
  kind: 'load',
  flows: {
    ping: async ({ http, check }) => {
      const res = await http.get('/ok');
      check(res, { 'status is 200': (r) => r.status === 200 });
    },
  },
  load: { steady: { executor: 'constant-arrival-rate', rate: 200, duration: '3s', preAllocatedVUs: 20 } },
});
