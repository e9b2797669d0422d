import { availableParallelism } from 'node:os';
import type { LoadPlan } from './engine-types.ts';
import { resolveFlows, resolveLoad } from '../config/resolve-load.ts';
import { SCENARIO_DEFAULTS } from '../config/scenario-defaults.ts';
import type { HttpOptions, ScenarioDefinition } from '../config/scenario-types.ts';
import { withDefaults } from '../config/with-defaults.ts';

export { SLO_TAG } from '../config/resolved-scenario.ts';

export interface PlanOptions {
  readonly baseUrl: string;
  readonly workers?: number;
  readonly seed?: number;
  readonly intervalMs?: number;
}

/** @deprecated `ResolvedScenario.warmupEndMs !== undefined`. */
export function hasWarmup(scenario: ScenarioDefinition): boolean {
  return resolveLoad(scenario.load, resolveFlows(scenario.flows)).warmupEndMs !== undefined;
}

/** @deprecated `ResolvedScenario.warmupEndMs`: when the last warm-up executor stops, ms from the run start (0 without a warm-up). */
export function warmupEndMs(scenario: ScenarioDefinition, _plan?: LoadPlan): number {
  return resolveLoad(scenario.load, resolveFlows(scenario.flows)).warmupEndMs ?? 0;
}

/** A validated scenario as the engine's plan: its resolved executors, the target's URL, the run's workers and seed. */
export function resolvePlan(file: string, scenario: ScenarioDefinition, opts: PlanOptions): LoadPlan {
  return {
    scenarioFile: file,
    scenarioName: scenario.name,
    baseUrl: opts.baseUrl.replace(/\/$/, ''),
    executors: resolveLoad(scenario.load, resolveFlows(scenario.flows)).load,
    http: withDefaults<HttpOptions>(SCENARIO_DEFAULTS.http, scenario.http),
    workers: opts.workers ?? availableParallelism(),
    seed: opts.seed ?? 42,
    intervalMs: opts.intervalMs ?? 1_000,
  };
}
