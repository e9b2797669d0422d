import { defineScenario } from '../../../config/define.ts';

let iterations = 0;

// The 10th iteration of the worker blocks its event loop for 400 ms (a GC pause, a CPU-heavy
// flow): the iterations due meanwhile start late, and their latency must include that lateness.
export default defineScenario({
  name: 'engine-test-blocker',
  kind: 'load',
  flows: {
    ping: async ({ http }) => {
      await http.get('/ok');
      if (++iterations === 10) {
        const until = performance.now() + 400;
        while (performance.now() < until);
      }
    },
  },
  load: { steady: { executor: 'constant-arrival-rate', rate: 100, duration: '2s', preAllocatedVUs: 1, maxVUs: 50 } },
});
