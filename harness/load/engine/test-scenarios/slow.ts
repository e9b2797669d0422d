import { defineScenario } from '../../../config/define.ts';

// Every response takes `data().stallMs`: VUs stay busy, so a small maxVUs makes the executor drop iterations.
export default defineScenario({
  name: 'engine-test-slow',
  kind: 'stress',
  data: () => ({ stallMs: 300 }),
  flows: {
    slow: async ({ http, data }) => void (await http.get(`/stall?ms=${data.stallMs}`, { name: 'stall' })),
    // Holds a request for 10 s: only an abort ends it early.
    stuck: async ({ http }) => void (await http.get('/stall?ms=10000', { name: 'stuck' })),
  },
  load: { slow: { executor: 'constant-arrival-rate', rate: 50, duration: '2s', preAllocatedVUs: 2, maxVUs: 4 } },
});
