import type { FaultsByTarget, FaultSpec, FaultTargetKind } from './fault-spec.ts';
import type { Flow } from './flow-api.ts';
import type { ParsedThreshold } from './threshold-parser.ts';

/**
 * A scenario as the run uses it, built once by `resolveScenario()` when the file is loaded:
 * validated, every default applied (scenario-defaults.ts), every duration in ms (`...Ms`), rates
 * per second, the method's steps expanded into faults, deep-frozen. Nothing downstream reads a
 * scenario's raw options or applies a default.
 */

/** The tag that tells warm-up samples from measured ones, when a scenario has a warm-up. */
export const SLO_TAG = 'slo';

// Load

interface ResolvedExecutorBase {
  readonly name: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  /** Flows this executor runs, with normalized weights (sum 1). */
  readonly flows: readonly { readonly name: string; readonly weight: number }[];
  /** The executor's tags, plus `slo: warmup | measured` when the scenario has a warm-up. */
  readonly tags: Readonly<Record<string, string>>;
}
export interface ResolvedStage {
  readonly durationMs: number;
  readonly target: number;
}
/** A load scenario (k6's executor) with every default applied, every duration in ms, rates per second. */
export type ResolvedExecutor =
  | (ResolvedExecutorBase & { readonly executor: 'constant-vus'; readonly vus: number; readonly durationMs: number })
  | (ResolvedExecutorBase & { readonly executor: 'ramping-vus'; readonly startVUs: number; readonly stages: readonly ResolvedStage[] })
  | (ResolvedExecutorBase & {
      readonly executor: 'constant-arrival-rate';
      readonly ratePerSec: number;
      readonly durationMs: number;
      readonly preAllocatedVUs: number;
      readonly maxVUs: number;
    })
  | (ResolvedExecutorBase & {
      readonly executor: 'ramping-arrival-rate';
      readonly startRatePerSec: number;
      /** Stage targets already converted to iterations per second. */
      readonly stages: readonly ResolvedStage[];
      readonly preAllocatedVUs: number;
      readonly maxVUs: number;
    });

export interface ResolvedFlow {
  readonly weight: number;
  readonly run: Flow<unknown>;
}

export interface ResolvedHttp {
  readonly timeoutMs: number;
  readonly connections: number;
  readonly discardResponseBodies: boolean;
}

/** The SLOs a run is judged on: the roadmap's, overridden by crucible.config.ts, overridden by the scenario. */
export interface ResolvedSlos {
  readonly p95Ms: number;
  readonly errorRate: number;
  readonly cacheHitRate: number;
}

// Kinds

/** How a stress run judges its windows (measure/stress-analysis.ts). */
export interface ResolvedStress {
  readonly windowMs: number;
  /** The SLOs a window must meet (the scenario's, even when they do not judge the verdict). */
  readonly p95Ms: number;
  readonly errorRate: number;
  readonly minAchievedRatio: number;
  /** Windows in a row that must break before the ramp stops (stress.stopAfterBrokenWindows). */
  readonly brokenWindows: number;
}

/** How a soak run judges its trends (measure/soak-analysis.ts). */
export interface ResolvedSoak {
  readonly maxRssSlopeMbPerHour: number;
  readonly maxP95DriftMsPerHour: number;
  /** An interval above this error rate is an error burst. */
  readonly burstErrorRate: number;
}

interface ResolvedProbeBase {
  readonly name: string;
  /** Its samples count in availability. */
  readonly availability: boolean;
  readonly everyMs: number;
  readonly timeoutMs: number;
}
/** A steady-state probe with its interval and timeout in ms (config/probe-spec.ts says what each does). */
export type ResolvedProbe =
  | (ResolvedProbeBase & { readonly type: 'http'; readonly path: string; readonly expectStatus: readonly [number, number] })
  | (ResolvedProbeBase & {
      readonly type: 'promql';
      readonly query: string;
      readonly tolerance: { readonly min?: number; readonly max?: number };
      readonly absentOk: boolean;
    })
  | (ResolvedProbeBase & { readonly type: 'datastore'; readonly store: 'postgres' | 'redis' })
  | (ResolvedProbeBase & { readonly type: 'browser'; readonly journey: 'shop' });

/** One injection of the method: a step, or one repeat of it. */
export interface PlannedFault {
  /** `<step>.<repeat>`, e.g. '0.0', '2.1'. */
  readonly id: string;
  /** Index of its step in chaos.method. */
  readonly step: number;
  readonly name: string;
  readonly spec: FaultSpec;
  /** The step's variants for other kinds of target (`on`); faultOn() picks the one a target injects. */
  readonly on?: FaultsByTarget;
  /** The variants' names, by target (the step's name when it gives one). */
  readonly onNames?: Readonly<Partial<Record<FaultTargetKind, string>>>;
  /** From the start of the load. */
  readonly atMs: number;
  /** Undefined for a fault that ends by itself (the platform heals). */
  readonly durationMs: number | undefined;
  readonly weight: number;
}

/** What every fault and the whole experiment must achieve (ChaosAnalysis.expectations). */
export interface ResolvedExpectations {
  readonly mttrMs: number;
  readonly detectionMs: number;
  readonly availability: number;
  readonly maxLostWrites: number;
  readonly alert: boolean;
}

export interface ResolvedChaos {
  readonly steadyState: {
    readonly probes: readonly ResolvedProbe[];
    readonly windowMs: number;
    readonly recoverWindows: number;
    readonly recoveryTimeoutMs: number;
  };
  /** Every injection of the method, in time order. */
  readonly faults: readonly PlannedFault[];
  /** The kinds of target the scenario declares it is for (chaos.targets); undefined: every one that can run its method. */
  readonly targets: readonly FaultTargetKind[] | undefined;
  readonly abort: readonly { readonly probe: string; readonly afterMs: number }[];
  readonly ledger: { readonly ratePerSec: number } | false;
  readonly expect: ResolvedExpectations;
}

// The scenario

interface ResolvedScenarioBase {
  /** Absolute path of the scenario file (the engine's workers import it for its flows and data()). */
  readonly file: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly data: (() => unknown) | undefined;
  readonly flows: Readonly<Record<string, ResolvedFlow>>;
  /** The load scenarios, in the order the file declares them. */
  readonly load: readonly ResolvedExecutor[];
  /** When the last warm-up load scenario stops, ms from the run start; undefined without a warm-up. */
  readonly warmupEndMs: number | undefined;
  readonly thresholds: readonly ParsedThreshold[];
  /** What the verdict holds the run to; false when no SLO judges it (`slos: false`, a stress run, a chaos run that sets none). */
  readonly slos: ResolvedSlos | false;
  readonly http: ResolvedHttp;
  /** The k6 script for `--engine k6` (absolute path), when the scenario has one. */
  readonly k6Script: string | undefined;
}

export interface ResolvedLoadScenario extends ResolvedScenarioBase {
  readonly kind: 'load';
}
export interface ResolvedStressScenario extends ResolvedScenarioBase {
  readonly kind: 'stress';
  readonly stress: ResolvedStress;
}
export interface ResolvedSoakScenario extends ResolvedScenarioBase {
  readonly kind: 'soak';
  readonly soak: ResolvedSoak;
}
export interface ResolvedChaosScenario extends ResolvedScenarioBase {
  readonly kind: 'chaos';
  readonly chaos: ResolvedChaos;
}
export interface ResolvedPentestScenario extends ResolvedScenarioBase {
  readonly kind: 'pentest';
}

export type ResolvedScenario = ResolvedLoadScenario | ResolvedStressScenario | ResolvedSoakScenario | ResolvedChaosScenario | ResolvedPentestScenario;
