import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overallAvailability, sampleAvailability } from './availability.ts';
import { probeSeries } from '../../test/support/probe-series.ts';

describe('availability', () => {
  // 400 samples of edge (every 250 ms) and 100 of db (every 1 s) over 100 s; 2 bad edge samples.
  const edge = probeSeries('edge', { everyMs: 250, toMs: 100_000, bad: [[50_000, 50_500]] });
  const db = probeSeries('db', { everyMs: 1000, toMs: 100_000 });

  it('counts good samples over all samples of every probe in a half-open span', () => {
    assert.deepEqual(sampleAvailability([edge, db], 0, 100_000), { good: 498, total: 500, ratio: 0.996 });
    assert.deepEqual(sampleAvailability([edge, db], 50_000, 50_500), { good: 1, total: 3, ratio: 1 / 3 });
    assert.deepEqual(sampleAvailability([edge, db], 50_500, 50_500), { good: 0, total: 0, ratio: null });
  });

  it('leaves latency objectives (availability: false) out: a slow answer is still an answer', () => {
    const p95 = { ...probeSeries('p95', { everyMs: 1000, toMs: 100_000, bad: [[0, 100_000]] }), availability: false };
    assert.deepEqual(sampleAvailability([edge, db, p95], 0, 100_000), { good: 498, total: 500, ratio: 0.996 });
  });

  it('reports the error budget consumed against the objective', () => {
    const a = overallAvailability([edge, db], 0, 100_000, 0.99);
    assert.equal(a.ratio, 0.996);
    assert.equal(a.objective, 0.99);
    // 0.4 % failed against a 1 % budget.
    assert.ok(Math.abs(a.errorBudgetConsumed! - 0.4) < 1e-9);
    const strict = overallAvailability([edge, db], 0, 100_000, 0.999);
    assert.ok(Math.abs(strict.errorBudgetConsumed! - 4) < 1e-9);
  });

  it('has no budget figure without samples, and none to spend at an objective of 1', () => {
    assert.equal(overallAvailability([], 0, 100_000, 0.999).errorBudgetConsumed, null);
    assert.equal(overallAvailability([edge], 0, 100_000, 1).errorBudgetConsumed, null);
    assert.equal(overallAvailability([db], 0, 100_000, 1).errorBudgetConsumed, 0);
  });
});
