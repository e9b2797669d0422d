import type { ParsedThreshold } from '../config/threshold-parser.ts';
import type { IntervalSnapshot, MetricsView } from '../load/engine-types.ts';
import { sustainedBreakSoFar, type FailureSeries, type StressCriteria } from '../measure/stress-analysis.ts';
import { thresholdToAbortOn } from '../metrics/threshold-evaluator.ts';

/** Per-interval failure counts, from cumulative status counters sampled every interval. */
export class FailureTracker {
  readonly series: { shed: number[]; noResponse: number[]; failed: number[]; requests: number[] } = { shed: [], noResponse: [], failed: [], requests: [] };
  private prev = { shed: 0, noResponse: 0, failed: 0, requests: 0 };

  sample(view: MetricsView): void {
    const count = (status: string): number => view.counter('http_reqs', { status })?.count ?? 0;
    const now = {
      shed: count('429') + count('503'),
      noResponse: count('0'),
      failed: view.rate('http_req_failed')?.passes ?? 0,
      requests: view.counter('http_reqs')?.count ?? 0,
    };
    for (const k of Object.keys(now) as (keyof typeof now)[]) this.series[k].push(now[k] - this.prev[k]);
    this.prev = now;
  }

  /** Aligned with the engine's series (the engine may emit one more or fewer interval than we sampled). */
  aligned(n: number): FailureSeries {
    const fit = (xs: number[]): number[] => Array.from({ length: n }, (_, i) => xs[i] ?? 0);
    return { shed: fit(this.series.shed), noResponse: fit(this.series.noResponse), failed: fit(this.series.failed), requests: fit(this.series.requests) };
  }
}

/** Why a run must stop before its plan ends. */
export type StopReason = { readonly kind: 'threshold'; readonly threshold: ParsedThreshold } | { readonly kind: 'breaking-point' };

export interface RunWatchOptions {
  readonly thresholds: readonly ParsedThreshold[];
  /** Stress runs stop once the SLOs broke for several windows in a row. */
  readonly stress?: StressCriteria;
  readonly intervalMs: number;
}

/**
 * What a run watches on every interval of its load: the failure counts the stress analysis needs,
 * the abortOnFail thresholds and the stress stop rule. The same object serves a real run
 * (run-scenario's onInterval) and a simulated one (the sample summaries).
 */
export class RunWatch {
  readonly failures = new FailureTracker();
  abortedBy: ParsedThreshold | undefined;
  stressStopped = false;
  readonly #o: RunWatchOptions;
  readonly #recent: IntervalSnapshot[] = [];

  constructor(o: RunWatchOptions) {
    this.#o = o;
  }

  /** Takes one interval; returns a reason to stop the run now (once), unless it is already stopping. */
  observe(s: IntervalSnapshot, view: MetricsView, stopping: boolean): StopReason | undefined {
    this.failures.sample(view);
    if (this.#o.stress) this.#recent.push(s);
    if (this.abortedBy || stopping) return undefined;
    this.abortedBy = thresholdToAbortOn(view, this.#o.thresholds, s.elapsedMs);
    if (this.abortedBy) return { kind: 'threshold', threshold: this.abortedBy };
    // Past the breaking point there is nothing more to learn; stop before the platform drowns.
    if (this.#o.stress && sustainedBreakSoFar(this.#recent, this.#o.intervalMs, this.#o.stress)) {
      this.stressStopped = true;
      return { kind: 'breaking-point' };
    }
    return undefined;
  }
}
