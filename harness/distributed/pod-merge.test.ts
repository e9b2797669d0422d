import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadPlan } from '../load/engine-types.ts';
import { createHistogram, encodeHistogram, recordMs } from '../load/engine/hdr.ts';
import { IntervalAggregator } from '../load/engine/interval-aggregator.ts';
import { MetricStore } from '../load/engine/metric-store.ts';
import { createPrng } from '../load/engine/prng.ts';
import { PodBreakdown } from './pod-breakdown.ts';
import { coordinatorRecord, decodeRecord, encodeRecord, podRecord, POD_STREAM_VERSION, type PodInterval } from './pod-stream.ts';

const plan: LoadPlan = {
  scenarioFile: '/none.ts',
  scenarioName: 'merge',
  baseUrl: 'http://127.0.0.1:1',
  executors: [
    { name: 'steady', executor: 'constant-vus', vus: 6, durationMs: 3_000, startTimeMs: 0, gracefulStopMs: 0, tags: {}, flows: [{ name: 'f', weight: 1 }] },
  ],
  http: { timeoutMs: 1_000, connections: 1, discardResponseBodies: true },
  workers: 2,
  seed: 1,
  intervalMs: 1_000,
};

/** The nearest-rank percentile of the exact samples (what HDR approximates within its precision). */
const exact = (sorted: readonly number[], q: number): number => sorted[Math.max(0, Math.ceil((q / 100) * sorted.length) - 1)]!;
/** 3 significant digits (HDR's), plus the µs the samples are recorded in. */
const withinHdr = (actual: number, expected: number): boolean => Math.abs(actual - expected) <= expected * 1e-3 + 1e-3;

describe('the pod stream', () => {
  it('round-trips a record and refuses another version, a stray line and a malformed record', () => {
    const r = { v: POD_STREAM_VERSION, type: 'start', atEpochMs: 1_700_000_000_000 } as const;
    assert.deepEqual(decodeRecord(coordinatorRecord, encodeRecord(r)), r);
    assert.throws(() => decodeRecord(coordinatorRecord, JSON.stringify({ ...r, v: 2 })), /version 2 is not 1/);
    assert.throws(() => decodeRecord(podRecord, 'hello from a flow'), /not JSON/);
    assert.throws(() => decodeRecord(podRecord, JSON.stringify({ v: 1, type: 'interval', pod: 0 })), /invalid pod stream record/);
  });
});

describe('merging pod streams', () => {
  it('3 pods x 2 workers x 3 intervals: merged percentiles are the exact percentiles of the union within HDR precision, counts add up, and each pod keeps its own', () => {
    const store = new MetricStore();
    const aggregator = new IntervalAggregator(plan, store, 6);
    const breakdown = new PodBreakdown([2, 2, 2]);
    const union: number[] = [];
    const perPod: number[][] = [[], [], []];
    const random = createPrng(7, 1);
    for (let index = 0; index < 3; index++) {
      for (let pod = 0; pod < 3; pod++) {
        for (let worker = 0; worker < 2; worker++) {
          // Skewed on purpose: pod 2 is ten times slower, so a merge that weighed pods equally or dropped one would show.
          const h = createHistogram();
          const samples = Array.from({ length: 100 }, () => Math.round((pod === 2 ? 200 : 20) * (0.5 + random()) * 1000) / 1000);
          for (const s of samples) recordMs(h, s);
          union.push(...samples);
          perPod[pod]!.push(...samples);
          const record: PodInterval = {
            v: POD_STREAM_VERSION,
            type: 'interval',
            pod,
            worker,
            final: index === 2,
            index,
            delta: {
              trends: [{ metric: 'http_req_duration', key: 'k', tags: {}, histogram: encodeHistogram(h) }],
              counters: [{ metric: 'http_reqs', key: 'k', tags: {}, value: samples.length }],
              rates: [{ metric: 'http_req_failed', key: 'k', tags: {}, nonZero: pod, total: samples.length }],
            },
            vus: 1,
            vusMax: 1,
            flowErrors: {},
          };
          // Through the wire format, as the coordinator reads it.
          const read = decodeRecord(podRecord, encodeRecord(record));
          assert.equal(read.type, 'interval');
          if (read.type === 'interval') aggregator.accept(breakdown.accept(read), read, read.final, (index + 1) * 1000);
        }
      }
    }
    aggregator.finish(3000);
    union.sort((a, b) => a - b);
    const merged = store.trend('http_req_duration')!;
    assert.equal(merged.count, 1800);
    for (const [q, key] of [
      [50, 'med'],
      [90, 'p(90)'],
      [95, 'p(95)'],
      [99, 'p(99)'],
    ] as const)
      assert.ok(withinHdr(merged[key], exact(union, q)), `p${q}: merged ${merged[key]} vs exact ${exact(union, q)}`);
    assert.ok(withinHdr(merged.max, union.at(-1)!));
    assert.equal(store.counter('http_reqs')!.count, 1800);
    assert.deepEqual(aggregator.series.rps, [600, 600, 600]);
    const pods = breakdown.summaries(false);
    assert.deepEqual(
      pods.map((p) => p.requests),
      [600, 600, 600],
    );
    for (const p of pods) {
      const own = perPod[p.index]!.sort((a, b) => a - b);
      assert.ok(withinHdr(p.p95Ms!, exact(own, 95)), `pod ${p.index} p95 ${p.p95Ms} vs ${exact(own, 95)}`);
      assert.equal(p.errorRate, p.index / 100);
    }
  });

  it('a record from a pod or worker the run does not have is refused, not merged', () => {
    const breakdown = new PodBreakdown([1, 1]);
    const r: PodInterval = {
      v: POD_STREAM_VERSION,
      type: 'interval',
      pod: 2,
      worker: 0,
      final: false,
      index: 0,
      delta: { trends: [], counters: [], rates: [] },
      vus: 0,
      vusMax: 0,
      flowErrors: {},
    };
    assert.throws(() => breakdown.accept(r), /pod 2 worker 0/);
    assert.throws(() => breakdown.accept({ ...r, pod: 1, worker: 1 }), /pod 1 worker 1/);
  });
});
