import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { LoadPlan } from '../engine-types.ts';
import { WorkerThreads } from './worker-threads.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';

const scenarioFile = (name: string): string => fileURLToPath(new URL(`../../../fixtures/scenarios/engine/${name}.ts`, import.meta.url));

function plan(file: string, workers = 2): LoadPlan {
  return {
    scenarioFile: file,
    scenarioName: 'threads',
    // Never contacted: these threads are never told to start.
    baseUrl: 'http://127.0.0.1:9',
    executors: [
      {
        name: 'steady',
        executor: 'constant-vus',
        vus: 1,
        durationMs: 1000,
        startTimeMs: 0,
        gracefulStopMs: 1000,
        tags: {},
        flows: [{ name: 'ping', weight: 1 }],
      },
    ],
    http: { timeoutMs: 1000, connections: 4, discardResponseBodies: false },
    workers,
    seed: 1,
    intervalMs: 1000,
  };
}

/** Worker threads of this process still alive (a thread the main side listens to shows as its MessagePort). */
const liveWorkers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;

describe('WorkerThreads', () => {
  it('disposing terminates threads that do not exit on their own once the grace has passed (on the injected clock)', async () => {
    const before = liveWorkers();
    const clock = new FakeClock();
    {
      await using threads = new WorkerThreads(plan(scenarioFile('ping')), { clock, graceMs: 5_000 });
      // Loaded and waiting for a start that never comes: they would live forever.
      await Promise.all(threads.handles.map((w) => w.ready));
      assert.equal(liveWorkers(), before + 2);
      const disposed = threads[Symbol.asyncDispose]();
      assert.equal(clock.sleepers, 2, 'each thread is given its grace on the clock');
      await clock.advance(5_000);
      await disposed;
      assert.equal(liveWorkers(), before, 'terminated once the grace has passed');
    }
    assert.equal(liveWorkers(), before, 'no thread outlives the scope');
  });

  it('a thread that ends on its own is not waited on: disposal ends with it, the grace unused', async () => {
    const before = liveWorkers();
    let handles: WorkerThreads['handles'];
    {
      // The scenario cannot load: each thread reports it and exits by itself. Time never passes on
      // this clock, so the grace never ends: only the threads' own exit can end the disposal.
      await using threads = new WorkerThreads(plan('/nonexistent/scenario.ts'), { clock: new FakeClock(), graceMs: 5_000 });
      handles = threads.handles;
      await Promise.all(handles.map((w) => w.ready.catch(() => undefined)));
    }
    assert.ok(
      handles.every((w) => w.error?.message.includes('could not load the scenario')),
      'each thread said why',
    );
    assert.equal(liveWorkers(), before);
  });
});
