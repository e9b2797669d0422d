import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistogram } from './hdr.ts';
import { MetricRecorder } from './metric-recorder.ts';
import { MetricStore } from './metric-store.ts';
import { createPrng } from './prng.ts';
import type { MetricsDelta } from './worker-protocol.ts';

function apply(store: MetricStore, delta: MetricsDelta): void {
  for (const t of delta.trends) store.addTrend(t.metric, t.key, t.tags, decodeHistogram(t.histogram));
  for (const c of delta.counters) store.addCounter(c.metric, c.key, c.tags, c.value);
  for (const r of delta.rates) store.addRate(r.metric, r.key, r.tags, r.nonZero, r.total);
}

/** Lognormal latencies in ms (median ~20 ms, long tail), from a seeded generator. */
function lognormal(n: number): number[] {
  const r = createPrng(1, 1);
  return Array.from({ length: n }, () => {
    const gauss = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.exp(Math.log(20) + gauss);
  });
}

describe('MetricStore: merging worker histograms', () => {
  it('100k lognormal samples over 4 workers, several flushes: percentiles within HDR precision', () => {
    const samples = lognormal(100_000);
    const store = new MetricStore();
    const workers = Array.from({ length: 4 }, () => new MetricRecorder());
    samples.forEach((ms, i) => {
      workers[i % 4]!.trend('http_req_duration', { name: 'x' }).record(ms);
      // Deltas go out every 10k samples, as interval reports would.
      if (i % 10_000 === 9_999) for (const w of workers) apply(store, w.flush());
    });
    const exact = samples.map((ms) => Math.round(ms * 1000) / 1000).sort((a, b) => a - b);
    const at = (p: number): number => exact[Math.ceil((p / 100) * exact.length) - 1]!;
    const t = store.trend('http_req_duration')!;
    assert.equal(t.count, 100_000);
    const close = (actual: number, expected: number, what: string): void =>
      assert.ok(Math.abs(actual - expected) <= expected * 0.001 + 0.001, `${what}: ${actual} vs exact ${expected}`);
    close(t.med, at(50), 'p50');
    close(t['p(90)'], at(90), 'p90');
    close(t['p(95)'], at(95), 'p95');
    close(t['p(99)'], at(99), 'p99');
    close(t['p(99.9)'], at(99.9), 'p99.9');
    close(t.max, exact.at(-1)!, 'max');
    close(t.min, exact[0]!, 'min');
    close(t.avg, exact.reduce((a, b) => a + b, 0) / exact.length, 'avg');
  });
});

describe('MetricStore: sub-metrics', () => {
  const store = new MetricStore();
  const w = new MetricRecorder();
  for (let i = 0; i < 100; i++) w.trend('http_req_duration', { name: 'login', status: '200' }).record(100);
  for (let i = 0; i < 100; i++) w.trend('http_req_duration', { name: 'search', status: '200' }).record(10);
  for (let i = 0; i < 10; i++) w.trend('http_req_duration', { name: 'login', status: '500' }).record(1000);
  w.counter('http_reqs', { name: 'login' }).add(110);
  w.counter('http_reqs', { name: 'search' }).add(100);
  w.rate('http_req_failed', { name: 'login' }).add(true);
  w.rate('http_req_failed', { name: 'login' }).add(false);
  w.rate('http_req_failed', { name: 'search' }).add(false);
  apply(store, w.flush());
  store.elapsedMs = 10_000;

  it('a filter merges only the series whose tags include it', () => {
    assert.equal(store.trend('http_req_duration', { name: 'login' })!.count, 110);
    // HDR reports the upper end of a value's bucket: within 0.1 %.
    const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual}`);
    near(store.trend('http_req_duration', { name: 'login' })!.med, 100);
    near(store.trend('http_req_duration', { name: 'login', status: '500' })!.min, 1000);
    near(store.trend('http_req_duration', { name: 'search' })!.max, 10);
    assert.equal(store.trend('http_req_duration')!.count, 210);
    assert.equal(store.trend('http_req_duration', {})!.count, 210);
    assert.equal(store.trend('http_req_duration', { name: 'nope' }), undefined);
    assert.deepEqual(store.counter('http_reqs', { name: 'login' }), { count: 110, rate: 11 });
    assert.deepEqual(store.rate('http_req_failed', { name: 'login' }), { rate: 0.5, passes: 1, fails: 1 });
    assert.deepEqual(store.rate('http_req_failed'), { rate: 1 / 3, passes: 1, fails: 2 });
  });

  it('built-in metrics are known before any sample; counters read 0, others undefined', () => {
    assert.equal(store.typeOf('dropped_iterations'), 'counter');
    assert.deepEqual(store.counter('dropped_iterations'), { count: 0, rate: 0 });
    assert.equal(store.rate('checks'), undefined);
    assert.equal(store.trend('iteration_duration'), undefined);
    assert.equal(store.typeOf('my_metric'), undefined);
    store.setGauge('vus', 5);
    store.setGauge('vus', 2);
    assert.deepEqual(store.gauge('vus'), { value: 2, min: 2, max: 5 });
  });
});
