import type { ResolvedExecutor } from '../config/resolved-scenario.ts';
import type { Segment } from './engine/worker-share.ts';
import type { ClientSeries, CounterValues, PodSummary, GaugeValues, Phase, RateValues, RequestRow, TrendValues } from '../result/summary-model.ts';

// Executors are resolved with the scenario (config/resolved-scenario.ts): every default applied, durations in ms, rates per second.
export type { ResolvedExecutor, ResolvedStage } from '../config/resolved-scenario.ts';

/** Everything the engine needs; plain data so it can be handed to worker threads. */
export interface LoadPlan {
  /** Absolute path of the scenario module: workers import it for its flows and data(). */
  readonly scenarioFile: string;
  readonly scenarioName: string;
  /** Requests go to baseUrl + path. */
  readonly baseUrl: string;
  readonly executors: readonly ResolvedExecutor[];
  readonly http: { readonly timeoutMs: number; readonly connections: number; readonly discardResponseBodies: boolean };
  /** Worker threads; executors' VUs and arrival rates are split across them. */
  readonly workers: number;
  /** Seeds the per-VU random generators (reproducible flows). */
  readonly seed: number;
  /** Length of one series interval (and of one progress tick). @default 1000 */
  readonly intervalMs: number;
  /** The part of every executor this process runs, when the run is split across load pods (harness/distributed). @default the whole run */
  readonly segment?: Segment;
}

/** Tag filter of a sub-metric: `{ name: 'login' }` for `http_req_duration{name:login}`. */
export type TagFilter = Readonly<Record<string, string>>;

/**
 * Read access to the run's aggregated samples, for thresholds (evaluated every interval, for
 * abortOnFail) and for the summary. Histograms are HDR (no per-request samples are kept).
 * Built-in metrics: trends http_req_duration, http_req_waiting, iteration_duration (ms);
 * rates http_req_failed, checks, cache_hit; counters http_reqs, iterations, dropped_iterations,
 * data_received, data_sent; gauges vus, vus_max. Tags: name, method, status, scenario, flow,
 * expected_response, plus request and executor tags.
 */
export interface MetricsView {
  trend(metric: string, filter?: TagFilter): TrendValues | undefined;
  rate(metric: string, filter?: TagFilter): RateValues | undefined;
  counter(metric: string, filter?: TagFilter): CounterValues | undefined;
  gauge(metric: string): GaugeValues | undefined;
  /** Type of a known metric, or undefined for a name never recorded. */
  typeOf(metric: string): 'trend' | 'rate' | 'counter' | 'gauge' | undefined;
}

/** One progress tick (every intervalMs): live output and abortOnFail evaluation. */
export interface IntervalSnapshot {
  readonly elapsedMs: number;
  /** Planned length of the whole run (longest executor end + graceful stop). */
  readonly plannedMs: number;
  /** Over the last interval. */
  readonly rps: number;
  readonly p95Ms: number | null;
  readonly errorRate: number;
  readonly vus: number;
  /** Cumulative. */
  readonly requests: number;
  readonly iterations: number;
  readonly dropped: number;
  /** Executors running now. */
  readonly active: readonly string[];
}

export interface EngineResult {
  readonly view: MetricsView;
  readonly series: ClientSeries;
  readonly requests: readonly RequestRow[];
  readonly checks: readonly { readonly name: string; readonly passes: number; readonly fails: number }[];
  readonly droppedIterations: number;
  /** Epoch ms of the run's time zero. */
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** Executor phases (ramps, steady parts) in run time, as planned; the summary keeps the part of them the run lasted (phasesWithin). */
  readonly phases: readonly Phase[];
  /** True when the signal stopped the run before its plan ended. */
  readonly stoppedEarly: boolean;
  readonly workers: number;
  /** Errors thrown by flows (iterations that failed), by message, capped. */
  readonly flowErrors: Readonly<Record<string, number>>;
  /** A distributed run's load pods, each with its own figures (harness/distributed). */
  readonly pods?: readonly PodSummary[];
}

export interface EngineHooks {
  /** Aborting stops starting iterations; running ones get their executor's graceful stop. */
  readonly signal?: AbortSignal;
  readonly onInterval?: (snapshot: IntervalSnapshot, view: MetricsView) => void;
  /** Called once with the load's time zero (epoch ms), when workers are loaded and about to start: what runs beside the load aligns on it. */
  readonly onStart?: (startedAtMs: number) => void;
}

export interface LoadEngine {
  readonly name: 'crucible' | 'k6';
  run(plan: LoadPlan, hooks?: EngineHooks): Promise<EngineResult>;
}
