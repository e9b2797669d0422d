/**
 * summary.json: the one result object of a run. Every report (HTML, JUnit, Markdown, SARIF later) is
 * rendered from it and from nothing else. Versioned: a reader checks `schema` first.
 * docs/report-schema.md describes every field; change both together.
 */
export const SUMMARY_SCHEMA = 'crucible.summary/v1' as const;

export type RunStatus = 'passed' | 'failed' | 'aborted' | 'error';
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Trend values in the metric's unit; the same names as k6 (`p(95)`), plus count. */
export interface TrendValues {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly med: number;
  readonly 'p(90)': number;
  readonly 'p(95)': number;
  readonly 'p(99)': number;
  readonly 'p(99.9)': number;
}
export interface CounterValues {
  readonly count: number;
  /** Per second over the run. */
  readonly rate: number;
}
export interface RateValues {
  /** Share of non-zero samples (for http_req_failed: the share of failed requests). */
  readonly rate: number;
  /** Non-zero samples. For http_req_failed these are FAILED requests (k6's naming, kept on purpose). */
  readonly passes: number;
  readonly fails: number;
}
export interface GaugeValues {
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

export type MetricSummary =
  | { readonly type: 'trend'; readonly unit: 'ms' | 'mb' | 'count'; readonly values: TrendValues }
  | { readonly type: 'counter'; readonly unit: 'count' | 'bytes'; readonly values: CounterValues }
  | { readonly type: 'rate'; readonly unit: 'ratio'; readonly values: RateValues }
  | { readonly type: 'gauge'; readonly unit: 'count' | 'mb'; readonly values: GaugeValues };

export interface RequestRow {
  /** The request name (RequestOptions.name). */
  readonly name: string;
  readonly method: string;
  readonly count: number;
  /** Requests whose status was not expected (or that got no response). */
  readonly failed: number;
  /** Mean requests per second over the run. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Count by status code as a string ('0' = no response). */
  readonly statuses: Readonly<Record<string, number>>;
}

/** Columnar per-interval series from the client side; every array has the length of `t`. */
export interface ClientSeries {
  readonly intervalMs: number;
  /** Interval start, ms from the run start. */
  readonly t: readonly number[];
  readonly rps: readonly number[];
  readonly errorRate: readonly number[];
  readonly p50Ms: readonly (number | null)[];
  readonly p95Ms: readonly (number | null)[];
  readonly p99Ms: readonly (number | null)[];
  readonly vus: readonly number[];
  /** Open-model target rate per second at this time (null for closed-model only runs). */
  readonly targetRps: readonly (number | null)[];
  readonly dropped: readonly number[];
  /** From the x-cache header on product reads (null when no cached route was read in the interval). */
  readonly cacheHitRate: readonly (number | null)[];
  /**
   * Optional: p95 per request name per interval (each array the length of `t`, null when that name
   * had no sample in the interval). `crucible compare` uses it to test per-request latency changes
   * statistically; without it those rows fall back to the effect-size rule. Readers must accept its absence.
   */
  readonly requestP95Ms?: Readonly<Record<string, readonly (number | null)[]>>;
}

export interface Phase {
  readonly name: string;
  readonly kind: 'warmup' | 'steady' | 'ramp' | 'stress-step' | 'spike' | 'fault' | 'recovery' | 'cooldown';
  readonly startMs: number;
  readonly endMs: number;
}

export interface ThresholdResult {
  /** As written: `http_req_duration{name:login}`. */
  readonly metric: string;
  /** As written: `p(95)<200`. */
  readonly expression: string;
  readonly ok: boolean;
  /** The aggregated value the expression was judged on (null when the metric had no samples). */
  readonly actual: number | null;
  readonly abortOnFail: boolean;
  /** True when this threshold aborted the run. */
  readonly aborted: boolean;
}

export interface SloResult {
  readonly id: 'p95-latency' | 'error-rate' | 'cache-hit-rate' | 'dropped-iterations' | 'soak-rss-slope' | 'soak-p95-drift';
  /** Human wording: `p95 < 200 ms`. */
  readonly objective: string;
  /** null when it could not be measured (the report says why in `note`). */
  readonly actual: number | null;
  readonly unit: 'ms' | 'ratio' | 'count' | 'mb/h' | 'ms/h';
  readonly ok: boolean;
  /** Where the figure comes from. */
  readonly source: 'client' | 'platform';
  readonly note?: string;
}

export interface PlatformSeries {
  readonly name: string;
  /** [ms from run start, value] points. */
  readonly points: readonly (readonly [number, number])[];
}

/** Server-side figures from Prometheus over the run window. */
export interface PlatformMetrics {
  readonly prometheus: string;
  readonly available: boolean;
  /** Why not available, or what went wrong. */
  readonly error?: string;
  readonly cacheHitRate: number | null;
  readonly serverP95Ms: number | null;
  /** Responses by status code over the run (gateway), e.g. { '200': 1234, '429': 5 }. */
  readonly responsesByStatus: Readonly<Record<string, number>>;
  readonly errorRate: number | null;
  /** Resident memory per service instance, MB. */
  readonly rssMb: readonly PlatformSeries[];
  readonly serverP95Series: PlatformSeries | null;
  readonly cacheHitSeries: PlatformSeries | null;
}

export interface StressStep {
  readonly targetRps: number;
  readonly achievedRps: number;
  readonly p95Ms: number | null;
  readonly errorRate: number;
  readonly held: boolean;
  readonly startMs: number;
  readonly endMs: number;
}

export interface StressAnalysis {
  /** Highest target rate whose window held every SLO; null if even the first did not. */
  readonly breakingPointRps: number | null;
  readonly steps: readonly StressStep[];
  /** How the platform failed past the breaking point. */
  readonly failureMode: 'shedding' | 'timeouts' | 'errors' | 'latency' | 'none';
  /** Counts past the breaking point: 429/503 (load shed), status 0 with timeout, other failures. */
  readonly past: { readonly shed: number; readonly timeouts: number; readonly errors: number; readonly requests: number };
}

export interface SoakAnalysis {
  readonly p95DriftMsPerHour: number | null;
  readonly rssSlopeMbPerHour: Readonly<Record<string, number>>;
  readonly errorBursts: readonly { readonly startMs: number; readonly endMs: number; readonly errors: number }[];
  readonly leakDetected: boolean;
}

export interface RunSummary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly run: {
    readonly id: string;
    readonly scenario: { readonly name: string; readonly kind: string; readonly file: string; readonly description?: string };
    readonly suite?: string;
    readonly target: { readonly kind: string; readonly baseUrl: string };
    readonly startedAt: string;
    readonly endedAt: string;
    readonly durationMs: number;
    readonly status: RunStatus;
    /** Why the run ended early: 'threshold', 'signal', 'error: ...'. */
    readonly abortReason?: string;
    readonly exitCode: 0 | 1 | 2 | 3;
    readonly crucible: string;
    readonly node: string;
    readonly host: { readonly cpus: number; readonly platform: string };
    readonly gitSha?: string;
  };
  readonly engine: { readonly name: 'crucible' | 'k6'; readonly version: string; readonly workers: number; readonly histogram: string };
  readonly phases: readonly Phase[];
  /** Every metric, including tag-filtered sub-metrics referenced by thresholds (`http_req_duration{name:login}`). */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  readonly requests: readonly RequestRow[];
  readonly checks: readonly { readonly name: string; readonly passes: number; readonly fails: number }[];
  readonly series: ClientSeries;
  readonly thresholds: readonly ThresholdResult[];
  readonly slos: readonly SloResult[];
  readonly droppedIterations: number;
  readonly platform?: PlatformMetrics;
  readonly stress?: StressAnalysis;
  readonly soak?: SoakAnalysis;
  /** Things a reader must know (dropped iterations, a missing Prometheus, an engine fallback). */
  readonly notes: readonly string[];
}
