import { defineScenario } from '../../../config/define.ts';

// Every third iteration of a VU throws: a failed iteration, counted in flowErrors; the VU goes on.
export default defineScenario({
  name: 'engine-test-flaky',
  kind: 'load',
  flows: {
    flaky: async ({ http, vu }) => {
      await http.get('/ok');
      if (vu.iteration % 3 === 2) throw new Error('boom');
    },
  },
  load: { steady: { executor: 'constant-vus', vus: 2, duration: '1s' } },
});
