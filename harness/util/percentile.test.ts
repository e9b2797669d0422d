import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolated, nearestRank } from './percentile.ts';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('nearestRank', () => {
  it('is the value at rank ceil(q × n), always an observed value', () => {
    assert.equal(nearestRank(range(20), 0.95), 19);
    assert.equal(nearestRank(range(20), 0.5), 10);
    // Rank 10.45 is 11, not the closer 10.
    assert.equal(nearestRank(range(11), 0.95), 11);
    assert.equal(nearestRank([1, 2, 3, 4], 0.5), 2);
    assert.equal(nearestRank([1, 2, 3, 4], 0.95), 4);
    assert.equal(nearestRank([10, 20, 30, 40, 50], 0.95), 50);
  });

  it('gives the minimum at q = 0, the maximum at q = 1, null without values', () => {
    assert.equal(nearestRank([3, 5, 9], 0), 3);
    assert.equal(nearestRank([3, 5, 9], 1), 9);
    assert.equal(nearestRank([7], 0.5), 7);
    assert.equal(nearestRank([], 0.5), null);
  });
});

describe('interpolated', () => {
  it("interpolates between the closest ranks, like k6's TrendSink (R-7)", () => {
    assert.equal(interpolated([1, 2, 3, 4], 0.5), 2.5);
    // h = 0.95 × 4 = 3.8: 40 + 0.8 × 10
    assert.ok(Math.abs(interpolated([10, 20, 30, 40, 50], 0.95)! - 48) < 1e-9);
    assert.equal(interpolated([10, 20, 30, 40, 50], 0.5), 30);
    assert.equal(interpolated([7], 0.99), 7);
  });

  it('gives the minimum at q = 0, the maximum at q = 1, clamps outside [0, 1], null without values', () => {
    assert.equal(interpolated([3, 5, 9], 0), 3);
    assert.equal(interpolated([3, 5, 9], 1), 9);
    assert.equal(interpolated([3, 5, 9], 1.5), 9);
    assert.equal(interpolated([3, 5, 9], -1), 3);
    assert.equal(interpolated([], 0.5), null);
  });

  it('differs from nearest rank between ranks', () => {
    assert.ok(Math.abs(interpolated([1, 2, 3, 4], 0.95)! - 3.85) < 1e-9);
    assert.equal(nearestRank([1, 2, 3, 4], 0.95), 4);
  });
});

describe("interpolated is k6's Trend percentile", () => {
  it("gives k6's own pinned values (grafana/k6 metrics/sink_test.go: two samples 5 and 10)", () => {
    assert.equal(interpolated([5, 10], 0), 5);
    assert.equal(interpolated([5, 10], 0.5), 7.5);
    assert.equal(interpolated([5, 10], 0.95), 5 + (10 - 5) * 0.95);
    assert.equal(interpolated([5, 10], 0.99), 5 + (10 - 5) * 0.99);
    assert.equal(interpolated([5, 10], 1), 10);
  });

  it('with 10 samples puts p95 between the two largest, where nearest rank gives the maximum', () => {
    const ten = [12, 15, 18, 20, 22, 25, 30, 41, 60, 250];
    // h = 0.95 × 9 = 8.55: 60 + 0.55 × 190 = 164.5 (k6's summary says p(95)=164.5)
    assert.ok(Math.abs(interpolated(ten, 0.95)! - 164.5) < 1e-9);
    assert.ok(Math.abs(interpolated(ten, 0.99)! - 232.9) < 1e-9);
    assert.equal(interpolated(ten, 0.5), 23.5, "k6's med of an even count: the mean of the middle two");
    assert.equal(nearestRank(ten, 0.95), 250);
  });
});
