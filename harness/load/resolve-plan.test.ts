import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineScenario } from '../config/define.ts';
import { resolveScenario } from '../config/resolve-scenario.ts';
import { executorEndMs } from './engine/executor-timing.ts';
import { resolvePlan } from './resolve-plan.ts';

const flow = async (): Promise<void> => {};

describe('resolvePlan', () => {
  const scenario = resolveScenario(
    defineScenario({
      name: 'plan',
      kind: 'load',
      flows: { browse: { weight: 3, run: flow }, order: flow },
      load: {
        rate: { executor: 'constant-arrival-rate', rate: 120, timeUnit: '1m', duration: '30s', preAllocatedVUs: 5, startTime: '10s' },
        ramp: {
          executor: 'ramping-arrival-rate',
          stages: [
            { duration: '10s', target: 50 },
            { duration: '1m', target: 50 },
          ],
          preAllocatedVUs: 10,
          maxVUs: 40,
          flows: { order: 1 },
        },
        vus: { executor: 'ramping-vus', stages: [{ duration: '5s', target: 3 }], gracefulStop: '2s' },
      },
      http: { connections: 8 },
    }),
    { file: '/x/plan.ts' },
  );
  const plan = resolvePlan(scenario, { baseUrl: 'http://127.0.0.1:7300/', workers: 2 });

  it('converts rates to per second and durations to ms, applying defaults', () => {
    const [rate, ramp, vus] = plan.executors;
    assert.equal(rate!.executor === 'constant-arrival-rate' && rate!.ratePerSec, 2, '120 per minute = 2/s');
    assert.equal(rate!.startTimeMs, 10_000);
    assert.equal(rate!.executor === 'constant-arrival-rate' && rate!.maxVUs, 5, 'maxVUs defaults to preAllocatedVUs');
    assert.equal(ramp!.executor === 'ramping-arrival-rate' && ramp!.startRatePerSec, 0);
    assert.equal(vus!.executor === 'ramping-vus' && vus!.startVUs, 1);
    assert.equal(vus!.gracefulStopMs, 2_000);
    assert.equal(plan.baseUrl, 'http://127.0.0.1:7300');
    assert.deepEqual(plan.http, { timeoutMs: 10_000, connections: 8, discardResponseBodies: false });
  });

  it('runs the scenario file unless told another (a k6 script)', () => {
    assert.equal(plan.scenarioFile, '/x/plan.ts');
    assert.equal(resolvePlan(scenario, { baseUrl: 'http://x', scenarioFile: '/x/plan.k6.ts' }).scenarioFile, '/x/plan.k6.ts');
  });

  it('normalizes flow weights, per executor when it names its flows', () => {
    assert.deepEqual(plan.executors[0]!.flows, [
      { name: 'browse', weight: 0.75 },
      { name: 'order', weight: 0.25 },
    ]);
    assert.deepEqual(plan.executors[1]!.flows, [{ name: 'order', weight: 1 }]);
  });

  it('knows when each executor ends', () => {
    assert.deepEqual(plan.executors.map(executorEndMs), [40_000, 70_000, 5_000]);
  });
});
