// Profiles one closed-model run of the bench's trivial flow (node --cpu-prof writes one profile per thread).
import { fileURLToPath } from 'node:url';
import { createBuiltinEngine } from '../harness/load/engine/index.ts';
import { startHaproxy } from './haproxy-target.ts';

const workers = Number(process.argv[2] ?? 1);
const target = process.env.URL ? { url: process.env.URL, stop: async () => {} } : await startHaproxy(7843);
try {
  const r = await createBuiltinEngine().run({
    scenarioFile: fileURLToPath(new URL('./trivial-scenario.ts', import.meta.url)),
    scenarioName: 'profile',
    baseUrl: new URL(target.url).origin,
    executors: [
      {
        startTimeMs: 0,
        gracefulStopMs: 5000,
        flows: [{ name: 'get', weight: 1 }],
        tags: {},
        name: 'closed',
        executor: 'constant-vus',
        vus: 64,
        durationMs: 5000,
      },
    ],
    http: { timeoutMs: 10_000, connections: Math.round(64 / workers), discardResponseBodies: true },
    workers,
    seed: 1,
    intervalMs: 1000,
  });
  console.log(`${r.view.counter('http_reqs')!.count / 5} req/s`);
} finally {
  await target.stop();
}
