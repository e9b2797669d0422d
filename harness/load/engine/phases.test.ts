import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedExecutor } from '../engine-types.ts';
import { executorPhases } from './phases.ts';
import { activeExecutors, executorEndMs, executorStopMs, plannedDurationMs, targetRateAt } from './executor-timing.ts';

const base = { startTimeMs: 0, gracefulStopMs: 5000, flows: [{ name: 'f', weight: 1 }], tags: {} };
const ramp: ResolvedExecutor = {
  ...base,
  name: 'ramp',
  executor: 'ramping-arrival-rate',
  startRatePerSec: 0,
  stages: [
    { durationMs: 10_000, target: 100 },
    { durationMs: 20_000, target: 100 },
    { durationMs: 0, target: 200 },
    { durationMs: 5_000, target: 0 },
  ],
  preAllocatedVUs: 10,
  maxVUs: 50,
};
const later: ResolvedExecutor = { ...base, name: 'later', executor: 'constant-vus', vus: 5, durationMs: 10_000, startTimeMs: 30_000, gracefulStopMs: 30_000 };

describe('executor timing', () => {
  it('end = start + duration (or the stages), stop = end + gracefulStop', () => {
    assert.equal(executorEndMs(ramp), 35_000);
    assert.equal(executorStopMs(ramp), 40_000);
    assert.equal(executorEndMs(later), 40_000);
    assert.equal(plannedDurationMs([ramp, later]), 70_000);
  });

  it('target rate: the open-model executors summed; null for a closed-only plan', () => {
    assert.equal(targetRateAt([ramp, later], 5_000), 50);
    assert.equal(targetRateAt([ramp, later], 32_500), 100);
    assert.equal(targetRateAt([ramp], 36_000), 0);
    assert.equal(targetRateAt([later], 35_000), null);
    assert.deepEqual(activeExecutors([ramp, later], 32_000), ['ramp', 'later']);
  });
});

describe('executorPhases()', () => {
  it('ramp where the target changes, steady where it is flat, in run time', () => {
    assert.deepEqual(executorPhases([ramp, later]), [
      { name: 'ramp: 0→100/s', kind: 'ramp', startMs: 0, endMs: 10_000 },
      { name: 'ramp: 100/s', kind: 'steady', startMs: 10_000, endMs: 30_000 },
      { name: 'ramp: 200→0/s', kind: 'ramp', startMs: 30_000, endMs: 35_000 },
      { name: 'later: 5 VUs', kind: 'steady', startMs: 30_000, endMs: 40_000 },
    ]);
  });
});
