import type { ParsedThreshold } from '../../config/threshold-parser.ts';
import type { ResolvedExecutor } from '../engine-types.ts';
import { k6Duration } from './k6-duration.ts';
import { toK6Thresholds, type K6Threshold } from './k6-thresholds.ts';

/**
 * The options file crucible hands k6 with `--config` (k6's lowest-precedence options source: a
 * script's own `options` win, see docs/k6.md). Field names and values are k6's.
 */
export interface K6OptionsFile {
  thresholds?: Record<string, K6Threshold[]>;
  scenarios?: Record<string, K6Scenario>;
  discardResponseBodies?: boolean;
}

interface K6ScenarioBase {
  startTime?: string;
  gracefulStop?: string;
  exec?: string;
  tags?: Record<string, string>;
}
interface K6Stage {
  duration: string;
  target: number;
}
export type K6Scenario =
  | (K6ScenarioBase & { executor: 'constant-vus'; vus: number; duration: string })
  | (K6ScenarioBase & { executor: 'ramping-vus'; startVUs: number; stages: K6Stage[] })
  | (K6ScenarioBase & { executor: 'constant-arrival-rate'; rate: number; timeUnit: string; duration: string; preAllocatedVUs: number; maxVUs: number })
  | (K6ScenarioBase & { executor: 'ramping-arrival-rate'; startRate: number; timeUnit: string; stages: K6Stage[]; preAllocatedVUs: number; maxVUs: number });

/**
 * k6 takes arrival rates as whole iterations per timeUnit; crucible resolves them to per second.
 * Picks the shortest timeUnit that makes every rate of the executor whole (2.5/s -> 5 per 2s).
 */
export function wholeRates(perSecond: readonly number[]): { timeUnit: string; rates: number[]; exact: boolean } {
  for (const seconds of [1, 2, 4, 5, 10, 20, 60, 100, 1_000, 3_600]) {
    const scaled = perSecond.map((r) => r * seconds);
    if (scaled.every((x) => Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, Math.abs(x)))) {
      return { timeUnit: k6Duration(seconds * 1_000), rates: scaled.map(Math.round), exact: true };
    }
  }
  return { timeUnit: '1000s', rates: perSecond.map((r) => Math.round(r * 1_000)), exact: false };
}

function execOf(name: string, flows: readonly string[], notes: string[]): { exec?: string } {
  if (flows.length === 1 && flows[0] !== 'default') return { exec: flows[0]! };
  if (flows.length > 1) {
    notes.push(
      `k6 runs one function per scenario: '${name}' runs the script's default function (its flow weights ${flows.join(', ')} cannot be expressed in k6)`,
    );
  }
  return {};
}

function base(ex: { name: string; startTimeMs: number; gracefulStopMs: number; tags: Readonly<Record<string, string>> }): K6ScenarioBase {
  const out: K6ScenarioBase = { gracefulStop: k6Duration(ex.gracefulStopMs) };
  if (ex.startTimeMs > 0) out.startTime = k6Duration(ex.startTimeMs);
  if (Object.keys(ex.tags).length > 0) out.tags = { ...ex.tags };
  return out;
}

/** crucible's resolved executors as k6 `scenarios` (flows map to `exec` when an executor runs exactly one). */
export function k6ScenariosFromPlan(executors: readonly ResolvedExecutor[]): { scenarios: Record<string, K6Scenario>; notes: string[] } {
  const scenarios: Record<string, K6Scenario> = {};
  const notes: string[] = [];
  for (const ex of executors) {
    const common = {
      ...base(ex),
      ...execOf(
        ex.name,
        ex.flows.map((f) => f.name),
        notes,
      ),
    };
    const stages = (list: readonly { durationMs: number; target: number }[], targets: readonly number[] = list.map((s) => s.target)): K6Stage[] =>
      list.map((s, i) => ({ duration: k6Duration(s.durationMs), target: targets[i]! }));
    switch (ex.executor) {
      case 'constant-vus':
        scenarios[ex.name] = { ...common, executor: ex.executor, vus: ex.vus, duration: k6Duration(ex.durationMs) };
        break;
      case 'ramping-vus':
        scenarios[ex.name] = { ...common, executor: ex.executor, startVUs: ex.startVUs, stages: stages(ex.stages) };
        break;
      case 'constant-arrival-rate': {
        const r = wholeRates([ex.ratePerSec]);
        if (!r.exact) notes.push(`'${ex.name}': rate ${ex.ratePerSec}/s rounded to ${r.rates[0]} per ${r.timeUnit} for k6`);
        scenarios[ex.name] = {
          ...common,
          executor: ex.executor,
          rate: r.rates[0]!,
          timeUnit: r.timeUnit,
          duration: k6Duration(ex.durationMs),
          preAllocatedVUs: ex.preAllocatedVUs,
          maxVUs: ex.maxVUs,
        };
        break;
      }
      case 'ramping-arrival-rate': {
        const r = wholeRates([ex.startRatePerSec, ...ex.stages.map((s) => s.target)]);
        if (!r.exact) notes.push(`'${ex.name}': rates rounded to whole iterations per ${r.timeUnit} for k6`);
        scenarios[ex.name] = {
          ...common,
          executor: ex.executor,
          startRate: r.rates[0]!,
          timeUnit: r.timeUnit,
          stages: stages(ex.stages, r.rates.slice(1)),
          preAllocatedVUs: ex.preAllocatedVUs,
          maxVUs: ex.maxVUs,
        };
        break;
      }
    }
  }
  return { scenarios, notes };
}

/** The options file's content for crucible's thresholds and (optionally) scenarios. */
export function k6OptionsFile(input: {
  readonly thresholds?: readonly ParsedThreshold[];
  readonly scenarios?: Record<string, K6Scenario>;
  readonly discardResponseBodies?: boolean;
}): K6OptionsFile {
  const out: K6OptionsFile = {};
  if (input.thresholds && input.thresholds.length > 0) out.thresholds = toK6Thresholds(input.thresholds);
  if (input.scenarios && Object.keys(input.scenarios).length > 0) out.scenarios = input.scenarios;
  if (input.discardResponseBodies) out.discardResponseBodies = true;
  return out;
}
