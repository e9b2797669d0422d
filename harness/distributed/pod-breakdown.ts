import type { PodSummary } from '../result/summary-model.ts';
import { decodeHistogram, percentileMs } from '../load/engine/hdr.ts';
import { MetricStore } from '../load/engine/metric-store.ts';
import type { IntervalReport } from '../load/engine/worker-protocol.ts';
import type { PodInterval } from './pod-stream.ts';

interface PodState {
  /** Its first lane: worker w of this pod is reporter base + w of the merged aggregator. */
  readonly base: number;
  readonly workers: number;
  readonly store: MetricStore;
  /** Per worker: sent its final record; its last vusMax. */
  readonly final: boolean[];
  readonly vusMax: number[];
  lost?: { readonly atMs: number; readonly reason: string };
}

/**
 * Each pod's own figures beside the merged ones, and where each pod's workers sit among the merged
 * aggregator's reporters (lanes). A pod's records are applied here as well as to the merged store, so
 * a skewed or starved pod shows in its row.
 */
export class PodBreakdown {
  readonly lanes: number;
  readonly #pods: PodState[];

  /** `workers`: each pod's worker count, from its ready record. */
  constructor(workers: readonly number[]) {
    let base = 0;
    this.#pods = workers.map((n) => {
      const s: PodState = { base, workers: n, store: new MetricStore(), final: new Array<boolean>(n).fill(false), vusMax: new Array<number>(n).fill(0) };
      base += n;
      return s;
    });
    this.lanes = base;
  }

  /** Applies a pod's record to its own figures; returns the record's lane among the merged reporters. */
  accept(r: PodInterval): number {
    const p = this.#pods[r.pod];
    if (!p || r.worker >= p.workers) throw new Error(`pod stream record from pod ${r.pod} worker ${r.worker}, which this run does not have`);
    for (const t of r.delta.trends) p.store.addTrend(t.metric, t.key, t.tags, decodeHistogram(t.histogram));
    for (const c of r.delta.counters) p.store.addCounter(c.metric, c.key, c.tags, c.value);
    for (const x of r.delta.rates) p.store.addRate(x.metric, x.key, x.tags, x.nonZero, x.total);
    p.vusMax[r.worker] = r.vusMax;
    if (r.final) p.final[r.worker] = true;
    return p.base + r.worker;
  }

  markLost(pod: number, atMs: number, reason: string): void {
    const p = this.#pods[pod]!;
    p.lost ??= { atMs, reason };
  }

  /** The lanes of a pod whose workers never sent their final record, each with an empty report that closes it. */
  openLanes(pod: number): { readonly lane: number; readonly closing: IntervalReport }[] {
    const p = this.#pods[pod]!;
    return p.final.flatMap((done, w) =>
      done ? [] : [{ lane: p.base + w, closing: { index: 0, delta: { trends: [], counters: [], rates: [] }, vus: 0, vusMax: p.vusMax[w]!, flowErrors: {} } }],
    );
  }

  /** One row per pod, at the end of the run (`stopped`: the run was stopped before its plan ended). */
  summaries(stopped: boolean): PodSummary[] {
    return this.#pods.map((p, index) => {
      const { store } = p;
      const latency = store.mergedTrend('http_req_duration');
      const at = (q: number): number | null => (latency ? percentileMs(latency, q) : null);
      return {
        index,
        status: p.lost ? 'lost' : stopped ? 'stopped' : 'completed',
        workers: p.workers,
        requests: store.counter('http_reqs')?.count ?? 0,
        iterations: store.counter('iterations')?.count ?? 0,
        droppedIterations: store.counter('dropped_iterations')?.count ?? 0,
        errorRate: store.rate('http_req_failed')?.rate ?? 0,
        p50Ms: at(50),
        p95Ms: at(95),
        p99Ms: at(99),
        vusMax: p.vusMax.reduce((a, n) => a + n, 0),
        ...(p.lost ? { lostAtMs: Math.round(p.lost.atMs), reason: p.lost.reason } : {}),
      };
    });
  }
}
