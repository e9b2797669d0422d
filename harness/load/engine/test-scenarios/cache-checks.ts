import { defineScenario } from '../../../config/define.ts';

// Alternates cache hits and misses (x-cache) and runs one passing and one failing check per iteration.
export default defineScenario({
  name: 'engine-test-cache-checks',
  kind: 'load',
  flows: {
    browse: async ({ http, check, vu }) => {
      const res = await http.get(`/cache/${vu.iteration}`, { name: 'product' });
      check(res, { 'is 200': (r) => r.status === 200, 'is 201': (r) => r.status === 201 });
      await http.get('/status/404', { name: 'missing', expect: 404 });
      await http.get('/status/503', { name: 'unavailable' });
    },
  },
  load: { steady: { executor: 'constant-vus', vus: 1, duration: '1s' } },
});
