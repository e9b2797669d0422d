import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientSeries } from '../result/summary-model.ts';
import { analyzeSoak } from './soak-analysis.ts';
import { analyzeStress, firstSustainedBreak, stressWindows } from './stress-analysis.ts';

/** A per-second series from a function of the second. */
function series(n: number, at: (s: number) => { target: number; rps: number; p95: number; err: number }): ClientSeries {
  const rows = Array.from({ length: n }, (_, s) => at(s));
  return {
    intervalMs: 1000,
    t: rows.map((_, s) => s * 1000),
    rps: rows.map((r) => r.rps),
    errorRate: rows.map((r) => r.err),
    p50Ms: rows.map((r) => r.p95 / 2),
    p95Ms: rows.map((r) => r.p95),
    p99Ms: rows.map((r) => r.p95 * 1.5),
    vus: rows.map(() => 10),
    targetRps: rows.map((r) => r.target),
    dropped: rows.map(() => 0),
    cacheHitRate: rows.map(() => null),
  };
}

const criteria = { windowMs: 10_000, p95Ms: 200, errorRate: 0.01, minAchievedRatio: 0.95, brokenWindows: 2 };

describe('stress analysis', () => {
  // Rate steps 100, 200, ... every 10 s; the platform holds up to 400/s, then latency and 503s climb.
  const s = series(80, (sec) => {
    const target = 100 * (Math.floor(sec / 10) + 1);
    const ok = target <= 400;
    return { target, rps: ok ? target : 400, p95: ok ? 50 : 400, err: ok ? 0 : 0.2 };
  });
  const failures = {
    shed: s.t.map((_, i) => (i >= 40 ? 80 : 0)),
    noResponse: s.t.map((_, i) => (i >= 40 ? 5 : 0)),
    failed: s.t.map((_, i) => (i >= 40 ? 90 : 0)),
    requests: s.rps.map((r) => r),
  };

  it('judges each window against the SLOs', () => {
    const steps = stressWindows(s, criteria);
    assert.equal(steps.length, 8);
    assert.deepEqual(
      steps.map((x) => x.held),
      [true, true, true, true, false, false, false, false],
    );
    assert.equal(steps[4]!.targetRps, 500);
    assert.equal(steps[4]!.achievedRps, 400);
  });

  it('reports the highest rate that held before a sustained break, and how it failed past it', () => {
    const a = analyzeStress(s, failures, criteria);
    assert.equal(a.breakingPointRps, 400);
    assert.equal(a.failureMode, 'shedding');
    assert.equal(a.past.shed, 40 * 80);
    assert.equal(a.past.timeouts, 40 * 5);
    assert.equal(a.past.errors, 40 * 5);
  });

  it('ignores a single broken window when a sustained break is required', () => {
    const steps = [true, false, true, true, false, false].map((held, i) => ({
      held,
      targetRps: (i + 1) * 100,
      achievedRps: 0,
      p95Ms: 0,
      errorRate: 0,
      startMs: 0,
      endMs: 0,
    }));
    assert.equal(firstSustainedBreak(steps, 2), 4);
    assert.equal(firstSustainedBreak(steps, 3), -1);
  });

  it('says latency when the SLOs broke without failures, and none when they never broke', () => {
    const slow = series(40, (sec) => ({ target: 100 * (Math.floor(sec / 10) + 1), rps: 100 * (Math.floor(sec / 10) + 1), p95: sec >= 20 ? 300 : 20, err: 0 }));
    const zero = { shed: slow.t.map(() => 0), noResponse: slow.t.map(() => 0), failed: slow.t.map(() => 0), requests: slow.rps };
    assert.equal(analyzeStress(slow, zero, criteria).failureMode, 'latency');
    assert.equal(analyzeStress(slow, zero, criteria).breakingPointRps, 200);
    const fine = series(40, () => ({ target: 100, rps: 100, p95: 20, err: 0 }));
    const a = analyzeStress(fine, zero, criteria);
    assert.equal(a.failureMode, 'none');
    assert.equal(a.breakingPointRps, 100);
  });
});

describe('soak analysis', () => {
  it('fits no trend through fewer than three points', () => {
    const criteria = { maxRssSlopeMbPerHour: 50, maxP95DriftMsPerHour: 100, burstErrorRate: 0.05 };
    const rss = (n: number) => [{ name: 'gateway-1', points: Array.from({ length: n }, (_, i) => [i * 10_000, 100 + i * 50] as const) }];
    const two = analyzeSoak(
      series(2, (sec) => ({ target: 100, rps: 100, p95: 50 + sec, err: 0 })),
      rss(2),
      criteria,
    );
    assert.equal(two.p95DriftMsPerHour, null);
    assert.deepEqual(two.rssSlopeMbPerHour, {});
    assert.equal(two.leakDetected, false);
    const three = analyzeSoak(
      series(3, (sec) => ({ target: 100, rps: 100, p95: 50 + sec, err: 0 })),
      rss(3),
      criteria,
    );
    assert.ok(three.p95DriftMsPerHour !== null && three.p95DriftMsPerHour > 0);
    assert.ok(three.rssSlopeMbPerHour['gateway-1']! > 50);
  });

  it('fits slopes in units per hour, after the warm-up', () => {
    // p95 rises 1 ms per minute = 60 ms/h; RSS of one instance grows 2 MB per minute = 120 MB/h, another is flat.
    const s = series(600, (sec) => ({ target: 100, rps: 100, p95: 50 + sec / 60, err: sec >= 300 && sec < 305 ? 0.5 : 0 }));
    const rss = [
      { name: 'gateway-1', points: Array.from({ length: 60 }, (_, i) => [i * 10_000, 100 + (i * 10) / 30] as const) },
      { name: 'catalog-1', points: Array.from({ length: 60 }, (_, i) => [i * 10_000, 80 + (i % 2)] as const) },
    ];
    const a = analyzeSoak(s, rss, { maxRssSlopeMbPerHour: 50, maxP95DriftMsPerHour: 100, burstErrorRate: 0.05 });
    assert.ok(Math.abs(a.p95DriftMsPerHour! - 60) < 0.01, `drift ${a.p95DriftMsPerHour}`);
    assert.ok(Math.abs(a.rssSlopeMbPerHour['gateway-1']! - 120) < 0.01);
    assert.ok(Math.abs(a.rssSlopeMbPerHour['catalog-1']!) < 5);
    assert.equal(a.leakDetected, true);
    assert.deepEqual(a.errorBursts, [{ startMs: 300_000, endMs: 305_000, errors: 250 }]);
  });
});
