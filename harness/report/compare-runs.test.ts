import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { compareRuns, holmAdjust, renderComparisonMarkdown, renderComparisonText } from './compare-runs.ts';
import { erfc, mannWhitneyU } from './mann-whitney.ts';
import type { RunSummary } from '../result/summary-model.ts';

const row = (c: ReturnType<typeof compareRuns>, metric: string) => c.rows.find((r) => r.metric === metric)!;

/** The first `n` intervals of a run (a short run), phases cut to match. */
function truncate(s: RunSummary, n: number): RunSummary {
  const cut = <T>(xs: readonly T[]): T[] => xs.slice(0, n);
  const se = s.series;
  const endMs = n === 0 ? 0 : se.t[n - 1]! + se.intervalMs;
  return {
    ...s,
    phases: s.phases.filter((p) => p.startMs < endMs).map((p) => ({ ...p, endMs: Math.min(p.endMs, endMs) })),
    series: {
      ...se,
      t: cut(se.t),
      rps: cut(se.rps),
      errorRate: cut(se.errorRate),
      p50Ms: cut(se.p50Ms),
      p95Ms: cut(se.p95Ms),
      p99Ms: cut(se.p99Ms),
      vus: cut(se.vus),
      targetRps: cut(se.targetRps),
      dropped: cut(se.dropped),
      cacheHitRate: cut(se.cacheHitRate),
      requestP95Ms: Object.fromEntries(Object.entries(se.requestP95Ms ?? {}).map(([k, v]) => [k, cut(v)])),
    },
  };
}

describe('Mann–Whitney U', () => {
  it('matches the textbook values (no ties; scipy asymptotic with continuity: p = 0.012186)', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.equal(r.u, 0);
    assert.ok(Math.abs(r.z + 2.50672) < 1e-4);
    assert.ok(Math.abs(r.p - 0.012186) < 1e-5);
  });

  it('corrects for ties (many zero-error intervals)', () => {
    const r = mannWhitneyU([0, 0, 0, 0, 1, 2, 2, 3], [0, 1, 1, 2, 3, 3, 4, 5, 5]);
    assert.equal(r.u, 16);
    assert.ok(Math.abs(r.p - 0.055426) < 1e-5, String(r.p));
    assert.deepEqual(mannWhitneyU([0, 0, 0], [0, 0, 0]), { u: 4.5, z: 0, p: 1 }, 'all tied: no evidence');
  });

  it('erfc is accurate where it matters', () => {
    assert.ok(Math.abs(erfc(0) - 1) < 1e-7);
    assert.ok(Math.abs(erfc(2.5758293 / Math.SQRT2) - 0.01) < 1e-8, 'p = 0.01 at z = 2.576');
    assert.ok(Math.abs(erfc(-1) - 1.8427007929) < 1e-7);
  });

  it('Holm adjusts step-down and stays monotone', () => {
    assert.deepEqual(
      holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => +p.toFixed(4)),
      [0.03, 0.06, 0.06, 0.02],
    );
  });
});

describe('compareRuns', () => {
  it('flags a 30 % p95 regression, overall and per request, with tiny p-values', () => {
    for (const seed of [1, 2, 3]) {
      const c = compareRuns(sampleSummary({ kind: 'pass', seed }), sampleSummary({ kind: 'pass', seed: seed + 100, latencyFactor: 1.3 }));
      assert.equal(c.verdict, 'regression', `seed ${seed}`);
      const p95 = row(c, 'p95 latency');
      assert.equal(p95.verdict, 'regression');
      assert.equal(p95.test, 'mann-whitney');
      assert.ok(p95.deltaPct! > 20 && p95.deltaPct! < 45, `delta ${p95.deltaPct}`);
      assert.ok(p95.pAdjusted! < 1e-6);
      assert.equal(row(c, 'p95 latency: POST order').verdict, 'regression');
      assert.equal(row(c, 'error rate').verdict, 'no-change', 'only latency changed');
      assert.equal(row(c, 'throughput').verdict, 'no-change');
    }
  });

  it('does not raise a false alarm for runs of the same platform with different seeds', () => {
    // Family-wise false alarm rate is at most alpha (1 %) per comparison; these seeds are fixed, so the test is stable.
    for (let seed = 1; seed <= 12; seed++) {
      const c = compareRuns(sampleSummary({ kind: 'pass', seed }), sampleSummary({ kind: 'pass', seed: seed + 1000 }));
      const flagged = c.rows
        .filter((r) => r.verdict === 'regression' || r.verdict === 'improvement')
        .map((r) => `${r.metric} ${r.deltaPct?.toFixed(1)} % p=${r.pAdjusted}`);
      assert.deepEqual(flagged, [], `seed ${seed}`);
      assert.equal(c.verdict, 'no-change');
    }
  });

  it('needs practical significance too: a real but small (8 %) shift is not a regression', () => {
    const c = compareRuns(sampleSummary({ kind: 'pass', seed: 9 }), sampleSummary({ kind: 'pass', seed: 10, latencyFactor: 1.06 }));
    const p95 = row(c, 'p95 latency');
    assert.ok(p95.pAdjusted! < 0.01, 'statistically significant');
    assert.ok(Math.abs(p95.deltaPct!) < 10);
    assert.equal(p95.verdict, 'no-change');
    assert.match(p95.reason, /significant, but smaller than 10\.0 % and 5 ms: too small to matter/);
  });

  it('sees error-rate and cache-hit changes, and an improvement as an improvement', () => {
    const errors = compareRuns(sampleSummary({ kind: 'pass', seed: 1 }), sampleSummary({ kind: 'pass', seed: 2, extraErrorRate: 0.02 }));
    assert.equal(row(errors, 'error rate').verdict, 'regression');
    assert.equal(row(errors, 'error rate').unit, 'ratio');
    const better = compareRuns(sampleSummary({ kind: 'pass', seed: 1, latencyFactor: 1.4 }), sampleSummary({ kind: 'pass', seed: 2 }));
    assert.equal(row(better, 'p95 latency').verdict, 'improvement');
    assert.equal(better.verdict, 'improvement');
    const cache = compareRuns(sampleSummary({ kind: 'pass', seed: 1 }), sampleSummary({ kind: 'fail', seed: 2 }));
    assert.equal(row(cache, 'cache hit rate').verdict, 'regression');
  });

  it('compares only the steady phases: warmup does not count', () => {
    const c = compareRuns(sampleSummary({ kind: 'pass', seed: 1 }), sampleSummary({ kind: 'pass', seed: 2 }));
    assert.equal(row(c, 'p95 latency').samples.baseline, 100);
    assert.match(c.notes.join('\n'), /steady phases; 100 baseline and 100 current intervals/);
  });

  it('falls back to the effect-size rule below 8 intervals, and says so', () => {
    const base = truncate(sampleSummary({ kind: 'pass', seed: 1 }), 26);
    const slow = truncate(sampleSummary({ kind: 'pass', seed: 2, latencyFactor: 1.5 }), 26);
    const c = compareRuns(base, slow);
    const p95 = row(c, 'p95 latency');
    assert.equal(p95.samples.baseline, 6);
    assert.equal(p95.test, 'effect-size-only');
    assert.equal(p95.pValue, null);
    assert.equal(p95.verdict, 'regression');
    assert.match(p95.reason, /fewer than 8 intervals \(6 vs 6\): effect-size rule only/);
  });

  it('without per-request series, judges requests on run-level p95 by effect size', () => {
    const strip = (s: RunSummary): RunSummary => ({ ...s, series: { ...s.series, requestP95Ms: undefined } });
    const c = compareRuns(strip(sampleSummary({ kind: 'pass', seed: 1 })), strip(sampleSummary({ kind: 'pass', seed: 2, latencyFactor: 1.3 })));
    const order = row(c, 'p95 latency: POST order');
    assert.equal(order.test, 'effect-size-only');
    assert.equal(order.verdict, 'regression');
    assert.match(order.reason, /no per-request series/);
  });

  it('does not compare throughput across different target rates', () => {
    const c = compareRuns(sampleSummary({ kind: 'pass', seed: 1 }), sampleSummary({ kind: 'pass', seed: 2, rps: 100 }));
    assert.equal(row(c, 'throughput').verdict, 'not-compared');
    assert.match(row(c, 'throughput').reason, /target rates differ \(80\.0 vs 100\.0 rps\)/);
  });

  it('compares against a run without data by marking rows not-compared, not by throwing', () => {
    const base = sampleSummary({ kind: 'pass', seed: 1 });
    const c = compareRuns(base, { ...truncate(base, 0), requests: [] });
    assert.equal(row(c, 'p95 latency').verdict, 'not-compared');
    assert.equal(row(c, 'p95 latency: POST order').reason, 'only in the baseline run');
    assert.equal(c.verdict, 'no-change');
    assert.match(c.notes.join('\n'), /No metric could be compared/);
  });

  it('renders text and Markdown with every row, delta, p-value and verdict', () => {
    const c = compareRuns(sampleSummary({ kind: 'pass', seed: 1 }), sampleSummary({ kind: 'pass', seed: 2, latencyFactor: 1.3 }));
    const text = renderComparisonText(c);
    assert.match(text, /^compare storefront-baseline: ✗ REGRESSION/);
    assert.match(text, /^p95 latency +\d+\.\d ms +\d+\.\d ms +\+\d+\.\d % +< 0\.0001 +✗ REGRESSION$/m);
    assert.match(text, /^error rate +[\d.]+ % +[\d.]+ % +[+−±][\d.]+ pp +[\d.]+ +no change$/m);
    assert.match(text, /docs\/report-schema\.md#how-compare-decides/);
    const md = renderComparisonMarkdown(c);
    assert.match(md, /^### ✗ REGRESSION/);
    assert.match(md, /\| p95 latency \| [\d.]+ ms \| [\d.]+ ms \| \+[\d.]+ % \| < 0\.0001 \| \*\*✗ REGRESSION\*\* \|/);
    assert.equal(md.split('\n').filter((l) => l.startsWith('| p95 latency')).length, 1 + 6);
  });
});
