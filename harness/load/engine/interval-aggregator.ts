import type { IntervalSnapshot, LoadPlan } from '../engine-types.ts';
import type { ClientSeries } from '../../result/summary-model.ts';
import { emptyClientSeries } from '../empty-client-series.ts';
import { activeExecutors, plannedDurationMs, targetRateAt } from './executor-timing.ts';
import { FlowErrors } from './flow-errors.ts';
import { createHistogram, createTransientHistogram, decodeHistogram, percentileMs, type Histogram, type TransientLayout } from './hdr.ts';
import type { MetricStore } from './metric-store.ts';
import type { IntervalReport } from './worker-protocol.ts';

interface Bucket {
  readonly latency: Histogram;
  /** Latency per request name (ClientSeries.requestP95Ms). */
  readonly byName: Map<string, Histogram>;
  reqs: number;
  failed: number;
  failedTotal: number;
  cacheHits: number;
  cacheTotal: number;
  dropped: number;
  vus: number;
}

type Columns = { -readonly [K in Exclude<keyof ClientSeries, 'requestP95Ms'>]: ClientSeries[K] extends readonly (infer T)[] ? T[] : ClientSeries[K] } & {
  requestP95Ms: Record<string, (number | null)[]>;
};

/**
 * Merges worker reports into the cumulative store as they arrive, and into per-interval buckets;
 * an interval is closed once every worker has reported it (or finished), which appends one point
 * to the series and yields the snapshot for live output and threshold checks. Only the open
 * buckets (one or two) hold histograms: memory does not grow with the run's length.
 */
export class IntervalAggregator {
  readonly series: Columns;
  readonly flowErrors = new FlowErrors();
  readonly #plan: LoadPlan;
  readonly #store: MetricStore;
  readonly #plannedMs: number;
  readonly #buckets = new Map<number, Bucket>();
  /** Highest interval index each worker has reported; Infinity once it is done. */
  readonly #reported: number[];
  readonly #vusMax: number[];
  readonly #layout: TransientLayout;
  #next = 0;
  #stopped = false;

  /** `layout`: of the decoded deltas and the interval buckets (see TransientLayout). */
  constructor(plan: LoadPlan, store: MetricStore, workers: number, layout: TransientLayout = 'packed') {
    this.#plan = plan;
    this.#layout = layout;
    this.#store = store;
    this.#plannedMs = plannedDurationMs(plan.executors);
    this.#reported = new Array<number>(workers).fill(-1);
    this.#vusMax = new Array<number>(workers).fill(0);
    this.series = { ...emptyClientSeries(plan.intervalMs), requestP95Ms: {} };
  }

  /** The run was stopped: no executor counts as active from now on. */
  markStopped(): void {
    this.#stopped = true;
  }

  /** Applies one report; returns the snapshots of the intervals it closed (in order). */
  accept(worker: number, r: IntervalReport, final: boolean, elapsedMs: number): IntervalSnapshot[] {
    // Never into an interval already closed (reports are in order per worker; this is a guard).
    const b = this.#bucket(Math.max(r.index, this.#next));
    const store = this.#store;
    for (const t of r.delta.trends) {
      const h = decodeHistogram(t.histogram, this.#layout);
      store.addTrend(t.metric, t.key, t.tags, h);
      if (t.metric === 'http_req_duration') {
        b.latency.add(h);
        const name = t.tags.name ?? '';
        let byName = b.byName.get(name);
        if (!byName) b.byName.set(name, (byName = this.#transient()));
        byName.add(h);
      }
    }
    for (const c of r.delta.counters) {
      store.addCounter(c.metric, c.key, c.tags, c.value);
      if (c.metric === 'http_reqs') b.reqs += c.value;
      else if (c.metric === 'dropped_iterations') b.dropped += c.value;
    }
    for (const x of r.delta.rates) {
      store.addRate(x.metric, x.key, x.tags, x.nonZero, x.total);
      if (x.metric === 'http_req_failed') {
        b.failed += x.nonZero;
        b.failedTotal += x.total;
      } else if (x.metric === 'cache_hit') {
        b.cacheHits += x.nonZero;
        b.cacheTotal += x.total;
      }
    }
    this.flowErrors.merge(r.flowErrors);
    b.vus += r.vus;
    this.#vusMax[worker] = r.vusMax;
    this.#reported[worker] = final ? Infinity : Math.max(this.#reported[worker]!, r.index);
    return this.#close(Math.min(...this.#reported), elapsedMs);
  }

  /** Closes every interval still open: the run is over at `endMs`. */
  finish(endMs: number): IntervalSnapshot[] {
    const last = Math.max(-1, ...this.#buckets.keys());
    return this.#close(last, endMs);
  }

  #close(upTo: number, elapsedMs: number): IntervalSnapshot[] {
    const out: IntervalSnapshot[] = [];
    const last = Number.isFinite(upTo) ? upTo : Math.max(-1, ...this.#buckets.keys());
    while (this.#next <= last) out.push(this.#closeOne(this.#next++, elapsedMs));
    return out;
  }

  #closeOne(i: number, elapsedMs: number): IntervalSnapshot {
    const I = this.#plan.intervalMs;
    const b = this.#bucket(i);
    this.#buckets.delete(i);
    const startMs = i * I;
    // The last interval ends with the run, not on the grid.
    const endMs = Math.max(startMs + 1, Math.min(startMs + I, elapsedMs));
    const seconds = (endMs - startMs) / 1000;
    const s = this.series;
    const errorRate = b.failedTotal > 0 ? b.failed / b.failedTotal : 0;
    const p95 = percentileMs(b.latency, 95);
    s.t.push(startMs);
    s.rps.push(b.reqs / seconds);
    s.errorRate.push(errorRate);
    s.p50Ms.push(percentileMs(b.latency, 50));
    s.p95Ms.push(p95);
    s.p99Ms.push(percentileMs(b.latency, 99));
    s.vus.push(b.vus);
    s.targetRps.push(targetRateAt(this.#plan.executors, (startMs + endMs) / 2));
    s.dropped.push(b.dropped);
    s.cacheHitRate.push(b.cacheTotal > 0 ? b.cacheHits / b.cacheTotal : null);
    // Every name's column has the length of t: nulls before its first sample and where it had none.
    for (const name of b.byName.keys()) s.requestP95Ms[name] ??= new Array<number | null>(s.t.length - 1).fill(null);
    for (const [name, column] of Object.entries(s.requestP95Ms)) {
      const h = b.byName.get(name);
      column.push(h ? percentileMs(h, 95) : null);
    }

    const store = this.#store;
    store.elapsedMs = endMs;
    store.setGauge('vus', b.vus);
    store.setGauge(
      'vus_max',
      this.#vusMax.reduce((a, n) => a + n, 0),
    );
    return {
      elapsedMs: endMs,
      plannedMs: this.#plannedMs,
      rps: b.reqs / seconds,
      p95Ms: p95,
      errorRate,
      vus: b.vus,
      requests: store.counter('http_reqs')!.count,
      iterations: store.counter('iterations')!.count,
      dropped: store.counter('dropped_iterations')!.count,
      active: this.#stopped ? [] : activeExecutors(this.#plan.executors, endMs - 1),
    };
  }

  #transient(): Histogram {
    return this.#layout === 'packed' ? createTransientHistogram() : createHistogram();
  }

  #bucket(i: number): Bucket {
    let b = this.#buckets.get(i);
    if (!b) {
      b = { latency: this.#transient(), byName: new Map(), reqs: 0, failed: 0, failedTotal: 0, cacheHits: 0, cacheTotal: 0, dropped: 0, vus: 0 };
      this.#buckets.set(i, b);
    }
    return b;
  }
}
