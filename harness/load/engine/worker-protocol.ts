import type { LoadPlan } from '../engine-types.ts';

/** Messages between the main thread and the load workers (structured-clone plain data). */

export type Tags = Readonly<Record<string, string>>;

/** What a worker recorded since its previous report; histograms HDR-encoded. */
export interface MetricsDelta {
  readonly trends: readonly { readonly metric: string; readonly key: string; readonly tags: Tags; readonly histogram: string }[];
  readonly counters: readonly { readonly metric: string; readonly key: string; readonly tags: Tags; readonly value: number }[];
  readonly rates: readonly { readonly metric: string; readonly key: string; readonly tags: Tags; readonly nonZero: number; readonly total: number }[];
}

export interface WorkerInit {
  readonly plan: LoadPlan;
  readonly workerIndex: number;
  readonly workers: number;
}

export interface IntervalReport {
  /** Interval index from the run start; the last report ('done') closes every later interval of this worker. */
  readonly index: number;
  readonly delta: MetricsDelta;
  /** VUs in use now (closed model: looping; open model: allocated), and the most allocated so far. */
  readonly vus: number;
  readonly vusMax: number;
  /** Flow errors since the previous report, by message. */
  readonly flowErrors: Readonly<Record<string, number>>;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | ({ readonly type: 'interval' } & IntervalReport)
  | ({ readonly type: 'done' } & IntervalReport);

export type MainMessage =
  /** t0: the run's time zero on the clock's monotonic reading, which every thread shares (util/clock.ts). */
  | { readonly type: 'start'; readonly t0: number }
  /** Stop starting iterations; running ones get their executor's graceful stop. */
  | { readonly type: 'stop' };
