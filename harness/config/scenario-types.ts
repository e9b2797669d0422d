import type { Duration } from './duration.ts';
import type { Flow } from './flow-api.ts';
import type { FaultStep, FaultTargetKind } from './fault-spec.ts';
import type { ProbeSpec } from './probe-spec.ts';

interface ExecutorBase {
  /** When this load scenario starts, from the run's start. @default 0 */
  readonly startTime?: Duration;
  /** How long running iterations may finish after the scenario's end. @default '10s' */
  readonly gracefulStop?: Duration;
  /**
   * Which flows this load scenario runs, by name, with weights. @default every flow of the scenario with its own weight
   */
  readonly flows?: Readonly<Record<string, number>>;
  /** Tags on every sample of this load scenario. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A warm-up (filling caches and pools): its samples are left out of the SLOs, which judge the
   * steady state, and the platform-side window starts when it ends. Thresholds still see everything
   * unless they filter, e.g. `http_req_duration{slo:measured}`. @default false
   */
  readonly warmup?: boolean;
}

export interface Stage {
  readonly duration: Duration;
  /** VUs (ramping-vus) or iterations per timeUnit (ramping-arrival-rate) reached at the end of the stage. */
  readonly target: number;
}

/** Closed model: a fixed number of VUs loop over the flows. */
export interface ConstantVusExecutor extends ExecutorBase {
  readonly executor: 'constant-vus';
  readonly vus: number;
  readonly duration: Duration;
}

/** Closed model with a VU count that follows stages. */
export interface RampingVusExecutor extends ExecutorBase {
  readonly executor: 'ramping-vus';
  /** @default 1 */
  readonly startVUs?: number;
  readonly stages: readonly Stage[];
}

/**
 * Open model: iterations start at a fixed rate whatever the latency; latency is measured from the
 * intended start (no coordinated omission); when every VU is busy and maxVUs is reached the
 * iteration is dropped and counted in dropped_iterations.
 */
export interface ConstantArrivalRateExecutor extends ExecutorBase {
  readonly executor: 'constant-arrival-rate';
  /** Iterations per timeUnit. */
  readonly rate: number;
  /** @default '1s' */
  readonly timeUnit?: Duration;
  readonly duration: Duration;
  readonly preAllocatedVUs: number;
  /** @default preAllocatedVUs */
  readonly maxVUs?: number;
}

/** Open model with a rate that follows stages (linear between targets). */
export interface RampingArrivalRateExecutor extends ExecutorBase {
  readonly executor: 'ramping-arrival-rate';
  /** @default 0 */
  readonly startRate?: number;
  /** @default '1s' */
  readonly timeUnit?: Duration;
  readonly stages: readonly Stage[];
  readonly preAllocatedVUs: number;
  /** @default preAllocatedVUs */
  readonly maxVUs?: number;
}

export type ExecutorOptions = ConstantVusExecutor | RampingVusExecutor | ConstantArrivalRateExecutor | RampingArrivalRateExecutor;
export type ExecutorKind = ExecutorOptions['executor'];

/** k6's threshold syntax: `p(95)<200`, `rate<0.01`, `count==0`, or with abortOnFail. */
export type ThresholdInput = string | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: Duration };

export interface FlowDefinition<D = unknown> {
  /** Relative share of iterations. @default 1 */
  readonly weight?: number;
  readonly run: Flow<D>;
}

/** The roadmap's success metrics, applied to every load, stress and soak run unless turned off. */
export interface SloOptions {
  /** Client-side p95 of http_req_duration, ms. @default 200 */
  readonly p95Ms?: number;
  /** http_req_failed rate. @default 0.01 */
  readonly errorRate?: number;
  /** Product cache hit rate (platform side, or x-cache on the client). @default 0.8 */
  readonly cacheHitRate?: number;
}

export interface StressOptions {
  /** The rate steps are judged over windows this long. @default '10s' */
  readonly window?: Duration;
  /** A step holds when its p95 and error rate meet the SLOs and it achieved this share of the target rate. @default 0.95 */
  readonly minAchievedRatio?: number;
  /** Stop ramping once this many windows in a row broke the SLOs. @default 3 */
  readonly stopAfterBrokenWindows?: number;
}

export interface SoakOptions {
  /** Fail when any service's RSS grows faster than this (least-squares slope). @default 50 */
  readonly maxRssSlopeMbPerHour?: number;
  /** Fail when client p95 drifts up faster than this. @default 100 */
  readonly maxP95DriftMsPerHour?: number;
}

/**
 * A chaos experiment (Chaos Toolkit's shape, with k6's load running under it): a steady-state
 * hypothesis checked before, during and after; a method of faults on a timeline; rollbacks that
 * always run; abort conditions; a data-loss ledger; the verdict's expectations.
 */
export interface ChaosOptions {
  readonly steadyState: {
    readonly probes: readonly ProbeSpec[];
    /** Probes are judged per window; a window is good when every probe's samples in it are good. @default '1s' */
    readonly window?: Duration;
    /** Good windows in a row that mean "recovered" (and "steady" before the first fault). @default 5 */
    readonly recoverWindows?: number;
    /** How long to wait after the last fault (and after the load) for recovery. @default '60s' */
    readonly recoveryTimeout?: Duration;
  };
  readonly method: readonly FaultStep[];
  /**
   * The kinds of target the experiment is meant for, where its faults' names only exist on some (e.g. a
   * proxy of the local mesh). @default every target that can run each step (its fault or its `on` variant)
   */
  readonly targets?: readonly FaultTargetKind[];
  /** Stop the experiment (and roll back) when a probe stays bad this long: `{ probe: 'edge', after: '30s' }`. */
  readonly abort?: readonly { readonly probe: string; readonly after: Duration }[];
  /** Places uniquely keyed orders throughout and reads every acknowledged one back afterwards. @default { rate: 5 } */
  readonly ledger?: { readonly rate?: number } | false;
  /** What each fault must achieve; the defaults are the roadmap's. */
  readonly expect?: {
    /** @default '15m' */
    readonly mttr?: Duration;
    /** Time to detect (first breach seen by the probes). @default '5m' */
    readonly detection?: Duration;
    /** Good probe samples / all over the experiment. @default 0.999 */
    readonly availability?: number;
    /** Require a Prometheus alert to fire for every fault that breached the steady state. @default false */
    readonly alert?: boolean;
    /** @default 0 */
    readonly lostWrites?: number;
  };
}

export interface HttpOptions {
  /** @default 10000 */
  readonly timeoutMs?: number;
  /** Keep-alive connections per worker and origin. @default 64 */
  readonly connections?: number;
  /** Bodies are read and dropped, never kept (checks then see ''). @default false */
  readonly discardResponseBodies?: boolean;
}

/** What every scenario has, whatever its kind. */
export interface ScenarioBaseOptions<D = unknown> {
  /** Unique, kebab-case; names the run folder and the report. */
  readonly name: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Loaded once per worker before any VU starts: fixtures, tokens... */
  readonly data?: () => D | Promise<D>;
  readonly flows: Readonly<Record<string, FlowDefinition<D> | Flow<D>>>;
  /** Named load scenarios (k6's `scenarios`), run in parallel or sequenced by startTime. */
  readonly load: Readonly<Record<string, ExecutorOptions>>;
  /** Keyed by metric, optionally tag-filtered: `http_req_duration{name:login}`. */
  readonly thresholds?: Readonly<Record<string, readonly ThresholdInput[]>>;
  /**
   * The roadmap SLOs; `false` turns them off (a pure exploration run). A chaos scenario is judged on
   * its experiment and is held to SLOs only when it sets them; a stress scenario judges its windows by them.
   */
  readonly slos?: SloOptions | false;
  readonly http?: HttpOptions;
  /** The same journey as a k6 script (relative to this file), for `crucible run --engine k6`. */
  readonly k6?: { readonly script: string };
}

/** A load test: the load, judged on its thresholds and the SLOs. */
export interface LoadScenarioOptions<D = unknown> extends ScenarioBaseOptions<D> {
  readonly kind: 'load';
}

/** Ramps the arrival rate (a ramping-arrival-rate load) until the SLOs break: the breaking point. */
export interface StressScenarioOptions<D = unknown> extends ScenarioBaseOptions<D> {
  readonly kind: 'stress';
  readonly stress?: StressOptions;
}

/** A long steady load: memory growth, latency drift and error bursts. */
export interface SoakScenarioOptions<D = unknown> extends ScenarioBaseOptions<D> {
  readonly kind: 'soak';
  readonly soak?: SoakOptions;
}

/** A chaos experiment run while the load runs. */
export interface ChaosScenarioOptions<D = unknown> extends ScenarioBaseOptions<D> {
  readonly kind: 'chaos';
  /** The experiment: steady-state probes, the method's faults, abort conditions, the ledger, expectations. */
  readonly chaos: ChaosOptions;
}

/** A load run reported as kind pentest (the penetration checks themselves run with `crucible pentest`). */
export interface PentestScenarioOptions<D = unknown> extends ScenarioBaseOptions<D> {
  readonly kind: 'pentest';
}

/**
 * A scenario, a union keyed on `kind`: the kind decides which options it may or must have
 * (`stress` only on kind stress, `soak` only on soak, `chaos` required on chaos).
 */
export type ScenarioOptions<D = unknown> =
  LoadScenarioOptions<D> | StressScenarioOptions<D> | SoakScenarioOptions<D> | ChaosScenarioOptions<D> | PentestScenarioOptions<D>;

/** What a scenario is for; decides which options it takes, which analyses run and which defaults apply. */
export type ScenarioKind = ScenarioOptions['kind'];

export interface SuiteOptions {
  readonly name: string;
  readonly description?: string;
  /** Scenario files, relative to the suite file, run one after the other. */
  readonly scenarios: readonly string[];
  /** Keep going after a failed scenario (the suite still fails). @default true */
  readonly continueOnFailure?: boolean;
}

export interface ConfigOptions {
  /**
   * Where `crucible run` sends its traffic when no --target is given: 'local' (the reference
   * platform, started for the run when it is not up), an http(s) base URL, or a target profile file
   * relative to the config file (`export default defineProfile({...})`, or JSON `{ name, baseUrl, prometheus? }`).
   * @default 'local'
   */
  readonly target?: string;
  /** Where run folders go, relative to the config file (--reports-dir wins). @default 'reports' */
  readonly reportsDir?: string;
  /** Defaults for every scenario's SLOs. */
  readonly slos?: SloOptions;
  /** The local target's port base. @default 7300 */
  readonly portBase?: number;
}

/** A scenario file's default export (what defineScenario returns), tagged so the loader can tell what a file holds. */
export type ScenarioExport<D = unknown> = ScenarioOptions<D> & { readonly __crucible: 'scenario' };

export type SuiteDefinition = SuiteOptions & { readonly __crucible: 'suite' };
export type ConfigDefinition = ConfigOptions & { readonly __crucible: 'config' };
