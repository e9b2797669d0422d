import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meets, thresholdAggregation, thresholdLimit, type ThresholdParts } from './limit.ts';

const parts = (over: Partial<ThresholdParts> & Pick<ThresholdParts, 'selector'>): ThresholdParts => ({
  aggregation: 'p',
  percentile: 95,
  operator: '<',
  value: 200,
  ...over,
});

describe('limits', () => {
  it('meets compares with each operator', () => {
    assert.deepEqual(
      (['<', '<=', '>', '>=', '==', '!='] as const).map((op) => meets(200, { op, value: 200 })),
      [false, true, false, true, true, false],
    );
  });

  it("a threshold's limit is in its aggregation's unit", () => {
    const trend = { metric: 'http_req_duration', kind: 'trend' } as const;
    assert.deepEqual(thresholdLimit(parts({ selector: trend })), { op: '<', value: 200, unit: 'ms' });
    assert.equal(thresholdLimit(parts({ selector: trend, aggregation: 'count' })).unit, 'count');
    assert.equal(thresholdLimit(parts({ selector: { metric: 'http_req_failed', kind: 'rate' }, aggregation: 'rate' })).unit, 'ratio');
    assert.equal(thresholdLimit(parts({ selector: { metric: 'http_reqs', kind: 'counter' }, aggregation: 'rate' })).unit, 'per-second');
    assert.equal(thresholdLimit(parts({ selector: { metric: 'data_sent', kind: 'counter' }, aggregation: 'count' })).unit, 'bytes');
    assert.equal(thresholdLimit(parts({ selector: { metric: 'vus', kind: 'gauge' }, aggregation: 'value' })).unit, 'count');
    assert.equal(thresholdAggregation({ aggregation: 'p', percentile: 99.9 }), 'p(99.9)');
    assert.equal(thresholdAggregation({ aggregation: 'avg' }), 'avg');
  });
});
