import { availableParallelism } from 'node:os';
import type { LoadPlan, ResolvedExecutor } from './engine-types.ts';
import { parseDuration } from '../config/duration.ts';
import type { ExecutorOptions, ScenarioDefinition } from '../config/scenario-types.ts';

/** k6 waits 30 s; iterations of the platform's flows take milliseconds, so 10 s is plenty and Ctrl-C stays quick. */
export const DEFAULT_GRACEFUL_STOP_MS = 10_000;

export interface PlanOptions {
  readonly baseUrl: string;
  readonly workers?: number;
  readonly seed?: number;
  readonly intervalMs?: number;
}

function flowWeights(scenario: ScenarioDefinition, ex: ExecutorOptions): { name: string; weight: number }[] {
  const raw = ex.flows
    ? Object.entries(ex.flows)
    : Object.entries(scenario.flows).map(([name, f]) => [name, typeof f === 'function' ? 1 : (f.weight ?? 1)] as const);
  const total = raw.reduce((s, [, w]) => s + w, 0);
  return raw.map(([name, w]) => ({ name, weight: w / total }));
}

/** The tag that tells warm-up samples from measured ones, when a scenario has a warm-up. */
export const SLO_TAG = 'slo';

export function hasWarmup(scenario: ScenarioDefinition): boolean {
  return Object.values(scenario.load).some((e) => e.warmup === true);
}

export function resolveExecutor(scenario: ScenarioDefinition, name: string, ex: ExecutorOptions): ResolvedExecutor {
  const base = {
    name,
    startTimeMs: parseDuration(ex.startTime ?? 0),
    gracefulStopMs: parseDuration(ex.gracefulStop ?? DEFAULT_GRACEFUL_STOP_MS),
    flows: flowWeights(scenario, ex),
    tags: { ...ex.tags, ...(hasWarmup(scenario) ? { [SLO_TAG]: ex.warmup ? 'warmup' : 'measured' } : {}) },
  };
  switch (ex.executor) {
    case 'constant-vus':
      return { ...base, executor: ex.executor, vus: ex.vus, durationMs: parseDuration(ex.duration) };
    case 'ramping-vus':
      return {
        ...base,
        executor: ex.executor,
        startVUs: ex.startVUs ?? 1,
        stages: ex.stages.map((s) => ({ durationMs: parseDuration(s.duration), target: s.target })),
      };
    case 'constant-arrival-rate': {
      const perSec = 1_000 / parseDuration(ex.timeUnit ?? '1s');
      return {
        ...base,
        executor: ex.executor,
        ratePerSec: ex.rate * perSec,
        durationMs: parseDuration(ex.duration),
        preAllocatedVUs: ex.preAllocatedVUs,
        maxVUs: ex.maxVUs ?? ex.preAllocatedVUs,
      };
    }
    case 'ramping-arrival-rate': {
      const perSec = 1_000 / parseDuration(ex.timeUnit ?? '1s');
      return {
        ...base,
        executor: ex.executor,
        startRatePerSec: (ex.startRate ?? 0) * perSec,
        stages: ex.stages.map((s) => ({ durationMs: parseDuration(s.duration), target: s.target * perSec })),
        preAllocatedVUs: ex.preAllocatedVUs,
        maxVUs: ex.maxVUs ?? ex.preAllocatedVUs,
      };
    }
  }
}

/** When the last warm-up executor stops, ms from the run start (0 without a warm-up). */
export function warmupEndMs(scenario: ScenarioDefinition, plan: LoadPlan): number {
  const names = new Set(
    Object.entries(scenario.load)
      .filter(([, e]) => e.warmup)
      .map(([n]) => n),
  );
  return Math.max(0, ...plan.executors.filter((e) => names.has(e.name)).map(executorEndMs));
}

/** When an executor stops starting iterations (before its graceful stop). */
export function executorEndMs(ex: ResolvedExecutor): number {
  const length = 'durationMs' in ex ? ex.durationMs : ex.stages.reduce((s, st) => s + st.durationMs, 0);
  return ex.startTimeMs + length;
}

/** A validated scenario as the engine's plan: every default applied, durations in ms, rates per second. */
export function resolvePlan(file: string, scenario: ScenarioDefinition, opts: PlanOptions): LoadPlan {
  return {
    scenarioFile: file,
    scenarioName: scenario.name,
    baseUrl: opts.baseUrl.replace(/\/$/, ''),
    executors: Object.entries(scenario.load).map(([name, ex]) => resolveExecutor(scenario, name, ex)),
    http: {
      timeoutMs: scenario.http?.timeoutMs ?? 10_000,
      connections: scenario.http?.connections ?? 64,
      discardResponseBodies: scenario.http?.discardResponseBodies ?? false,
    },
    workers: opts.workers ?? availableParallelism(),
    seed: opts.seed ?? 42,
    intervalMs: opts.intervalMs ?? 1_000,
  };
}
