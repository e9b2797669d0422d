import { parseDuration } from './duration.ts';
import type { Flow } from './flow-api.ts';
import { SLO_TAG, type ResolvedExecutor, type ResolvedFlow } from './resolved-scenario.ts';
import { SCENARIO_DEFAULTS } from './scenario-defaults.ts';
import type { ExecutorOptions, FlowDefinition } from './scenario-types.ts';

const D = SCENARIO_DEFAULTS;

/**
 * A scenario's flows as `{ weight, run }`, whether written as a function or as `{ weight, run }`.
 * The engine's workers, which import the scenario file for its functions, read them through this too.
 */
export function resolveFlows<Data>(flows: Readonly<Record<string, FlowDefinition<Data> | Flow<Data>>>): Record<string, ResolvedFlow> {
  return Object.fromEntries(
    Object.entries(flows).map(([name, f]) => [
      name,
      typeof f === 'function' ? { weight: D.flowWeight, run: f as Flow<unknown> } : { weight: f.weight ?? D.flowWeight, run: f.run as Flow<unknown> },
    ]),
  );
}

function flowWeights(flows: Readonly<Record<string, ResolvedFlow>>, ex: ExecutorOptions): { name: string; weight: number }[] {
  const raw = ex.flows ? Object.entries(ex.flows) : Object.entries(flows).map(([name, f]) => [name, f.weight] as const);
  const total = raw.reduce((s, [, w]) => s + w, 0);
  return raw.map(([name, w]) => ({ name, weight: w / total }));
}

function resolveExecutor(name: string, ex: ExecutorOptions, flows: Readonly<Record<string, ResolvedFlow>>, warmups: boolean): ResolvedExecutor {
  const base = {
    name,
    startTimeMs: parseDuration(ex.startTime ?? D.executor.startTime),
    gracefulStopMs: parseDuration(ex.gracefulStop ?? D.executor.gracefulStop),
    flows: flowWeights(flows, ex),
    tags: { ...ex.tags, ...(warmups ? { [SLO_TAG]: (ex.warmup ?? D.executor.warmup) ? 'warmup' : 'measured' } : {}) },
  };
  switch (ex.executor) {
    case 'constant-vus':
      return { ...base, executor: ex.executor, vus: ex.vus, durationMs: parseDuration(ex.duration) };
    case 'ramping-vus':
      return {
        ...base,
        executor: ex.executor,
        startVUs: ex.startVUs ?? D.executor.startVUs,
        stages: ex.stages.map((s) => ({ durationMs: parseDuration(s.duration), target: s.target })),
      };
    case 'constant-arrival-rate': {
      const perSec = 1_000 / parseDuration(ex.timeUnit ?? D.executor.timeUnit);
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
      const perSec = 1_000 / parseDuration(ex.timeUnit ?? D.executor.timeUnit);
      return {
        ...base,
        executor: ex.executor,
        startRatePerSec: (ex.startRate ?? D.executor.startRate) * perSec,
        stages: ex.stages.map((s) => ({ durationMs: parseDuration(s.duration), target: s.target * perSec })),
        preAllocatedVUs: ex.preAllocatedVUs,
        maxVUs: ex.maxVUs ?? ex.preAllocatedVUs,
      };
    }
  }
}

/** When an executor stops starting iterations (before its graceful stop), ms from the run start. */
const stopsStartingMs = (ex: ResolvedExecutor): number =>
  ex.startTimeMs + ('durationMs' in ex ? ex.durationMs : ex.stages.reduce((sum, stage) => sum + stage.durationMs, 0));

/**
 * The load scenarios with every default applied, and when the warm-up ends: with a warm-up, every
 * sample is tagged `slo: warmup | measured` so the SLOs judge the measured part only.
 */
export function resolveLoad(
  load: Readonly<Record<string, ExecutorOptions>>,
  flows: Readonly<Record<string, ResolvedFlow>>,
): { readonly load: ResolvedExecutor[]; readonly warmupEndMs: number | undefined } {
  const entries = Object.entries(load);
  const warmups = entries.filter(([, ex]) => ex.warmup ?? D.executor.warmup).map(([name]) => name);
  const resolved = entries.map(([name, ex]) => resolveExecutor(name, ex, flows, warmups.length > 0));
  const warmupEndMs = warmups.length > 0 ? Math.max(0, ...resolved.filter((ex) => warmups.includes(ex.name)).map(stopsStartingMs)) : undefined;
  return { load: resolved, warmupEndMs };
}
