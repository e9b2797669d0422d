import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { sloLimits } from './slo-limits.ts';

describe('sloLimits', () => {
  const s = sampleSummary({ kind: 'pass' });

  it("draws the SLOs' structured limits", () => {
    assert.deepEqual(sloLimits(s), { p95Ms: { value: 200, from: 'SLO' }, errorRate: { value: 0.01, from: 'SLO' }, cacheHitRate: { value: 0.8, from: 'SLO' } });
  });

  it('reads the limit, never the wording', () => {
    const moved = { ...s, slos: s.slos.map((o) => (o.id === 'p95-latency' && o.limit ? { ...o, limit: { ...o.limit, value: 250 } } : o)) };
    assert.deepEqual(sloLimits(moved).p95Ms, { value: 250, from: 'SLO' }, 'the objective still says 200 ms');
  });

  it('falls back to an unfiltered threshold on the same statistic and bound, else draws nothing', () => {
    const chaos = sampleSummary({ kind: 'chaos' });
    assert.deepEqual(sloLimits(chaos), { p95Ms: { value: 500, from: 'threshold' }, errorRate: { value: 0.05, from: 'threshold' }, cacheHitRate: null });
    const v1 = { ...s, slos: s.slos.map(({ limit: _limit, ...o }) => o), thresholds: s.thresholds.map(({ limit: _limit, ...t }) => t) };
    assert.deepEqual(sloLimits(v1), { p95Ms: null, errorRate: null, cacheHitRate: null }, 'a v1 summary kept its limits in words only');
  });
});
