import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultRecord } from '../result/summary-model.ts';
import { distribution, faultDistributions, OVERALL } from './distribution.ts';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('distribution', () => {
  it('takes nearest-rank percentiles: always an observed value', () => {
    assert.deepEqual(distribution(range(20)), { count: 20, p50: 10, p95: 19, max: 20 });
    // Rank 10.45 is 11, not the closer 10.
    assert.deepEqual(distribution(range(11)), { count: 11, p50: 6, p95: 11, max: 11 });
    assert.deepEqual(distribution([4, 1, 3, 2]), { count: 4, p50: 2, p95: 4, max: 4 });
  });

  it('leaves out missing values and sorts the rest', () => {
    assert.deepEqual(distribution([6000, null, 2000, 4000]), { count: 3, p50: 4000, p95: 6000, max: 6000 });
    assert.deepEqual(distribution([null]), { count: 0, p50: null, p95: null, max: null });
  });

  it('gives one distribution over every fault and one per repeated step name', () => {
    const fault = (name: string, injectedMs: number, mttrMs: number | null, timeToDetectMs: number | null): FaultRecord =>
      ({ name, injectedMs, mttrMs, timeToDetectMs, timeToAlertMs: null }) as FaultRecord;
    const d = faultDistributions([
      fault('kill gateway-1', 10_000, 2000, 500),
      fault('latency', 20_000, 9000, 1000),
      fault('kill gateway-1', 40_000, 4000, 250),
      fault('kill gateway-1', 70_000, null, 750),
    ]);
    assert.deepEqual(
      d.map((x) => x.name),
      [OVERALL, 'kill gateway-1'],
    );
    assert.deepEqual(d[0]!.mttr, { count: 3, p50: 4000, p95: 9000, max: 9000 });
    assert.deepEqual(d[1]!.mttr, { count: 2, p50: 2000, p95: 4000, max: 4000 });
    assert.deepEqual(d[1]!.timeToDetect, { count: 3, p50: 500, p95: 750, max: 750 });
    assert.deepEqual(d[1]!.timeToAlert, { count: 0, p50: null, p95: null, max: null });
  });
});
