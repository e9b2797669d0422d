import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsView } from '../load/engine-types.ts';
import type { TrendValues } from '../result/summary-model.ts';
import { evaluateThresholds, thresholdToAbortOn } from './threshold-evaluator.ts';
import { parseThresholds } from '../config/threshold-parser.ts';

const trend = (p95: number, count = 100): TrendValues => ({
  count,
  min: 1,
  max: p95 * 2,
  avg: p95 / 2,
  med: p95 / 2,
  'p(90)': p95 * 0.9,
  'p(95)': p95,
  'p(99)': p95 * 1.5,
  'p(99.9)': p95 * 1.9,
});

/** A view over fixed figures: the evaluator only reads through the interface. */
const view = (figures: { p95?: number; loginP95?: number; failed?: [number, number]; dropped?: number }): MetricsView => ({
  trend: (m, f) =>
    m !== 'http_req_duration'
      ? undefined
      : f?.['name'] === 'login'
        ? figures.loginP95 === undefined
          ? undefined
          : trend(figures.loginP95)
        : figures.p95 === undefined
          ? undefined
          : trend(figures.p95),
  rate: (m) =>
    m === 'http_req_failed' && figures.failed
      ? { rate: figures.failed[0] / (figures.failed[0] + figures.failed[1]), passes: figures.failed[0], fails: figures.failed[1] }
      : undefined,
  counter: (m) => (m === 'dropped_iterations' && figures.dropped !== undefined ? { count: figures.dropped, rate: 0 } : undefined),
  gauge: () => undefined,
  typeOf: () => undefined,
});

describe('threshold evaluation', () => {
  const ts = parseThresholds({
    http_req_duration: ['p(95)<200'],
    'http_req_duration{name:login}': [{ threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '10s' }],
    http_req_failed: ['rate<0.01'],
    dropped_iterations: ['count==0'],
  });

  it('judges each threshold and reports the value it judged', () => {
    const r = evaluateThresholds(view({ p95: 150, loginP95: 350, failed: [5, 995], dropped: 0 }), ts);
    assert.deepEqual(
      r.map((x) => [x.metric, x.ok, x.actual]),
      [
        ['http_req_duration', true, 150],
        ['http_req_duration{name:login}', false, 350],
        ['http_req_failed', true, 0.005],
        ['dropped_iterations', true, 0],
      ],
    );
  });

  it('fails a threshold whose metric has no samples instead of passing it silently', () => {
    const r = evaluateThresholds(view({ p95: 100, failed: [0, 10] }), ts);
    assert.equal(r[1]!.ok, false);
    assert.equal(r[1]!.actual, null);
    assert.equal(r[3]!.ok, true, 'a counter never incremented is zero');
  });

  it('aborts only on an abortOnFail threshold that fails after its delay', () => {
    const v = view({ p95: 500, loginP95: 350, failed: [50, 50] });
    assert.equal(thresholdToAbortOn(v, ts, 5_000), undefined, 'before delayAbortEval');
    assert.equal(thresholdToAbortOn(v, ts, 11_000)?.selector.key, 'http_req_duration{name:login}');
    assert.equal(thresholdToAbortOn(view({ p95: 500, loginP95: 100 }), ts, 60_000), undefined, 'failing thresholds without abortOnFail never abort');
  });
});
