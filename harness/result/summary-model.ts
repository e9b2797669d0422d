import type { Failure } from './failure.ts';
import type { Limit } from './limit.ts';

/**
 * summary.json: the one result object of a run. Every report (HTML, JUnit, Markdown, SARIF) is
 * rendered from it and from nothing else. Versioned: a reader checks `schema` first (a v1 file is
 * read through summary-v1.ts). docs/report-schema.md describes every field; change both together.
 */
export const SUMMARY_SCHEMA = 'crucible.summary/v2' as const;

export type RunStatus = 'passed' | 'failed' | 'aborted' | 'error';

/**
 * The run's verdict, decided once by judgeRun() (verdict.ts) and read by every report and by the
 * exit code: 0 passed, 1 failed, 3 aborted or error (2, invalid input, ends a run before it has a summary).
 */
export interface RunVerdict {
  readonly status: RunStatus;
  readonly exitCode: 0 | 1 | 2 | 3;
  /** Every expectation that failed the run, in the order the reports list them. */
  readonly failures: readonly Failure[];
  /**
   * Missed, and said in every report, but not failing the run under its rule: acknowledged writes
   * lost within `expect.lostWrites`, an attack class a penetration run did not see detected in time.
   */
  readonly warnings: readonly Failure[];
}
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

/**
 * One load pod of a distributed run (`--load-pods N`, docs/distributed.md): its own figures beside
 * the merged ones, so a skewed or starved pod shows. `lost`: it died before its end; its segment's
 * load is missing from the merged figures from `lostAtMs` on, and the run cannot pass.
 */
export interface PodSummary {
  readonly index: number;
  readonly status: 'completed' | 'stopped' | 'lost';
  readonly workers: number;
  readonly requests: number;
  readonly iterations: number;
  readonly droppedIterations: number;
  /** http_req_failed's rate (0 without requests). */
  readonly errorRate: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly vusMax: number;
  /** Run time (ms from the load's start) when it was found dead. */
  readonly lostAtMs?: number;
  readonly reason?: string;
}

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
  /** The statistic judged, in k6's words: `p(95)`, `avg`, `rate`, `count`. Absent in a summary read from v1. */
  readonly aggregation?: string;
  /** The expression's limit as data (`p(95)<200`: < 200 ms). Absent in a summary read from v1. */
  readonly limit?: Limit;
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
  /** The objective as data (`p95 < 200 ms`: < 200 ms), in `unit`. Absent in a summary read from v1. */
  readonly limit?: Limit;
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
    /** Why the run ended early: 'threshold', 'signal', 'error: ...'. */
    readonly abortReason?: string;
    readonly crucible: string;
    readonly node: string;
    readonly host: { readonly cpus: number; readonly platform: string };
    readonly gitSha?: string;
  };
  /** Passed or not, why, and the exit code: the one judgement every report renders. */
  readonly verdict: RunVerdict;
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
  /** Chaos runs: faults, probes, recovery measurements, availability, the data-loss ledger. */
  readonly chaos?: ChaosAnalysis;
  /** Penetration runs: every check's verdict, its evidence, and detection per attack class. */
  readonly security?: SecurityAnalysis;
  /** Distributed runs: one row per load pod (the merged figures are the rest of the summary). */
  readonly pods?: readonly PodSummary[];
  /** Things a reader must know (dropped iterations, a missing Prometheus, an engine fallback). */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Chaos runs (kind 'chaos'). Times are ms from the run start (the start of the load), like `series`.

/** One probe's samples, columnar; every array has the length of `t`. */
export interface ProbeSeries {
  readonly name: string;
  readonly type: 'http' | 'promql' | 'datastore' | 'browser';
  readonly everyMs: number;
  /** When each sample was taken (its start). */
  readonly t: readonly number[];
  readonly ok: readonly boolean[];
  /** How long the probe took (null when it timed out or could not run). */
  readonly latencyMs: readonly (number | null)[];
  /** PromQL probes: the value read (null when absent). */
  readonly value?: readonly (number | null)[];
  /** The first few distinct failure reasons with their counts, e.g. { 'status 503': 12, 'timeout': 3 }. */
  readonly errors: Readonly<Record<string, number>>;
  /** false: its samples judge the steady state but not availability (a latency objective). Absent means true. */
  readonly availability?: boolean;
  /**
   * Timed-out samples left out (not judged) because the harness itself was stalled for at least half
   * of their time (a busy machine, a blocked event loop). Absent when none.
   */
  readonly harnessStalled?: number;
}

/** One steady-state check: the hypothesis judged over a span of windows. */
export interface SteadyStateCheck {
  readonly phase: 'before' | 'during' | 'after';
  readonly ok: boolean;
  readonly windows: number;
  readonly goodWindows: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Why it failed, e.g. 'probe edge-ready failed in 3 of 5 windows (status 503)'. */
  readonly note?: string;
}

/** One injected fault, measured from the outside. */
export interface FaultRecord {
  /** `<step>.<repeat>`, e.g. '0.2'. */
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** What it hit, in words. */
  readonly targets: string;
  readonly selfHealing: boolean;
  readonly injectedMs: number;
  /** When it was reverted (null for self-healing faults, or when the revert failed). */
  readonly revertedMs: number | null;
  /** First bad probe sample at or after the injection (null: no probe noticed it). */
  readonly detectedMs: number | null;
  /** First Prometheus alert firing after the injection (null: none fired). */
  readonly alertMs: number | null;
  readonly alertName: string | null;
  /** Start of the first run of `recoverWindows` good windows from the recovery reference (null: never recovered in the run). */
  readonly recoveredMs: number | null;
  readonly timeToDetectMs: number | null;
  readonly timeToAlertMs: number | null;
  /** From the fault's end (or its injection, when self-healing) to recovery. */
  readonly mttrMs: number | null;
  /** Good probe samples / all, from the injection to the recovery (or the end of the run). */
  readonly availability: number | null;
  readonly verdict: 'passed' | 'failed';
  /** Each failed expectation, in words ('MTTR 42.0 s > 30 s'); empty when it passed. */
  readonly reasons: readonly string[];
  readonly revertError?: string;
}

/** p50 / p95 / max of a measurement over repeated faults (ms); null when no fault had a value. */
export interface Distribution {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export interface ChaosAnalysis {
  /** The hypothesis: how long a window is and how many good windows in a row mean "recovered". */
  readonly windowMs: number;
  readonly recoverWindows: number;
  readonly expectations: {
    readonly mttrMs: number;
    readonly detectionMs: number;
    readonly availability: number;
    readonly maxLostWrites: number;
    /** A Prometheus alert was required for every detected fault (ChaosOptions.expect.alert). */
    readonly alert?: boolean;
  };
  readonly steadyState: readonly SteadyStateCheck[];
  readonly faults: readonly FaultRecord[];
  /** Per fault step (by name) when repeated, and overall. */
  readonly distributions: readonly {
    readonly name: string;
    readonly mttr: Distribution;
    readonly timeToDetect: Distribution;
    readonly timeToAlert: Distribution;
  }[];
  readonly availability: {
    /** Good probe samples / all, over the experiment (first injection to the end of the recovery wait). */
    readonly ratio: number | null;
    readonly good: number;
    readonly total: number;
    readonly objective: number;
    /** (1 - ratio) / (1 - objective): 1 means the whole error budget of the experiment was spent. */
    readonly errorBudgetConsumed: number | null;
  };
  /** Litmus-style: Σ weight × probe success % / Σ weight, 0-100. */
  readonly resilienceScore: number | null;
  readonly probes: readonly ProbeSeries[];
  /** The data-loss ledger (null when the scenario has none). */
  readonly ledger: DataLossLedger | null;
  /** Whether every fault was rolled back, and what was not. */
  readonly rollback: { readonly complete: boolean; readonly problems: readonly string[] };
  /** Set when an abort condition stopped the experiment. */
  readonly abortedBy?: { readonly probe: string; readonly atMs: number; readonly reason: string };
}

/** Every acknowledged write read back from the system of record after the experiment. */
export interface DataLossLedger {
  /** Writes attempted by the ledger's writer. */
  readonly attempted: number;
  /** Writes the platform acknowledged (2xx with an order id). */
  readonly acknowledged: number;
  /** Writes that failed or timed out (not acknowledged: the client would retry; not a loss). */
  readonly unacknowledged: number;
  /** Acknowledged, but not in the system of record: lost. Idempotency keys, first 50. */
  readonly lost: readonly string[];
  readonly lostCount: number;
  /** Applied more than once (more than one order row for one key). Keys, first 50. */
  readonly duplicated: readonly string[];
  readonly duplicatedCount: number;
  /** Not acknowledged but present anyway (the write landed, the answer did not): informational. */
  readonly appliedUnacknowledged: number;
  /** Where the read-back came from, e.g. 'PostgreSQL orders table'. */
  readonly source: string;
}

// ---------------------------------------------------------------------------------------------
// Penetration runs (kind 'pentest').

/** CVSS 3.1 bands (as GitHub's security-severity uses them). */
export type SecuritySeverity = 'critical' | 'high' | 'medium' | 'low' | 'none';

/** fail = a vulnerability; error = the check could not run (never a pass). */
export type CheckVerdict = 'pass' | 'fail' | 'error' | 'not-applicable';

/** A request and what came back, as evidence (SARIF webRequest/webResponse, the HTML report). */
export interface SecurityEvidence {
  readonly method: string;
  readonly url: string;
  readonly requestHeaders?: Readonly<Record<string, string>>;
  /** First 2 KB. */
  readonly requestBody?: string;
  /** 0: no answer. */
  readonly status: number;
  /** First 2 KB of the body. */
  readonly responseExcerpt?: string;
  readonly note?: string;
}

/** One check's result. `verdict` fail = a vulnerability; error = the check could not run (never a pass). */
export interface SecurityCheckRecord {
  /** Stable rule id, e.g. 'SEC-JWT-01'. */
  readonly id: string;
  readonly title: string;
  readonly owasp: string;
  readonly cwe: readonly number[];
  readonly cvss: { readonly vector: string; readonly score: number };
  readonly severity: SecuritySeverity;
  readonly attackClass: string;
  readonly verdict: CheckVerdict;
  readonly summary: string;
  readonly description: string;
  readonly evidence: readonly SecurityEvidence[];
  /** When its attack traffic ran, ms from the run start. */
  readonly startedMs: number;
  readonly endedMs: number;
}

/** Whether the platform noticed one class of attacks, and how fast (from its first request). */
export interface DetectionRecord {
  readonly attackClass: string;
  /** First attack request of the class, ms from the run start. */
  readonly firstAttackMs: number;
  /** First matching audit line (null: none seen within the budget). */
  readonly auditMs: number | null;
  readonly auditEvents: readonly string[];
  /** First increase of a security metric (audit_events_total) seen in Prometheus. */
  readonly metricMs: number | null;
  /** First alert that started firing after the first attack. */
  readonly alertMs: number | null;
  readonly alertName: string | null;
  /** Time to detect: first attack to the alert (the incident-response clock). */
  readonly timeToDetectMs: number | null;
  readonly budgetMs: number;
  /** An alert fired within the budget (false when not measured). */
  readonly ok: boolean;
  /** Why time to detect was not measured (no alert source configured): neither detected nor missed. */
  readonly notMeasured?: string;
}

export interface SecurityAnalysis {
  readonly profile: string;
  readonly checks: readonly SecurityCheckRecord[];
  readonly detection: readonly DetectionRecord[];
  readonly counts: {
    readonly pass: number;
    readonly fail: number;
    readonly error: number;
    readonly notApplicable: number;
    readonly critical: number;
    readonly high: number;
  };
  /** Checks that reached a verdict (pass or fail) / checks that apply: the "100 % compliance" figure. */
  readonly verdictCoverage: number;
  /** The platform's vulnerable switches during the run (a hardened run has none). */
  readonly vulnerableSwitches: readonly string[];
}
