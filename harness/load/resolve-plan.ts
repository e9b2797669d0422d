import { availableParallelism } from 'node:os';
import type { ResolvedScenario } from '../config/resolved-scenario.ts';
import type { LoadPlan } from './engine-types.ts';

export interface PlanOptions {
  readonly baseUrl: string;
  /** The module the engine runs: the scenario file itself, or its k6 script. @default the scenario file */
  readonly scenarioFile?: string;
  /** @default one per core */
  readonly workers?: number;
  /** @default 42 */
  readonly seed?: number;
  /** @default 1000 */
  readonly intervalMs?: number;
}

/** A resolved scenario as the engine's plan: its executors and HTTP options, the target's URL, the run's workers and seed. */
export function resolvePlan(scenario: ResolvedScenario, opts: PlanOptions): LoadPlan {
  return {
    scenarioFile: opts.scenarioFile ?? scenario.file,
    scenarioName: scenario.name,
    baseUrl: opts.baseUrl.replace(/\/$/, ''),
    executors: scenario.load,
    http: scenario.http,
    workers: opts.workers ?? availableParallelism(),
    seed: opts.seed ?? 42,
    intervalMs: opts.intervalMs ?? 1_000,
  };
}
