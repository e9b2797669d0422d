import { availableParallelism } from 'node:os';
import type { LoadPlan, ResolvedExecutor } from '../load/engine-types.ts';
import { parseDuration } from './duration.ts';
import type { ExecutorOptions, ScenarioDefinition } from './scenario-types.ts';

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

export function resolveExecutor(scenario: ScenarioDefinition, name: string, ex: ExecutorOptions): ResolvedExecutor {
  const base = {
    name,
    startTimeMs: parseDuration(ex.startTime ?? 0),
    gracefulStopMs: parseDuration(ex.gracefulStop ?? DEFAULT_GRACEFUL_STOP_MS),
    flows: flowWeights(scenario, ex),
    tags: { ...ex.tags },
  };
  switch (ex.executor) {
    case 'constant-vus':
      return { ...base, executor: ex.executor, vus: ex.vus, durationMs: parseDuration(ex.duration) };
    case 'ramping-vus':
      return { ...base, executor: ex.executor, startVUs: ex.startVUs ?? 1, stages: ex.stages.map((s) => ({ durationMs: parseDuration(s.duration), target: s.target })) };
    case 'constant-arrival-rate': {
      const perSec = 1_000 / parseDuration(ex.timeUnit ?? '1s');
      return { ...base, executor: ex.executor, ratePerSec: ex.rate * perSec, durationMs: parseDuration(ex.duration), preAllocatedVUs: ex.preAllocatedVUs, maxVUs: ex.maxVUs ?? ex.preAllocatedVUs };
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
