import type { ChaosAnalysis, Distribution, FaultRecord } from '../result/summary-model.ts';
import { nearestRank } from '../util/percentile.ts';

/**
 * p50, p95 and max of the non-null values. Nearest rank, so each is an observed value, which
 * matters with the handful of repeats a chaos run has: interpolating between two MTTRs invents a third.
 */
export function distribution(values: readonly (number | null)[]): Distribution {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { count: sorted.length, p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), max: sorted.length ? sorted[sorted.length - 1]! : null };
}

/** The name of the distribution over every fault. */
export const OVERALL = 'all faults';

/**
 * One entry over every fault (first, named OVERALL), then one per fault name that occurs more
 * than once (a repeated step), in order of first injection. Faults of different steps sharing a
 * name are pooled: they are the same fault as far as a reader can tell.
 */
export function faultDistributions(faults: readonly FaultRecord[]): ChaosAnalysis['distributions'] {
  const of = (fs: readonly FaultRecord[], name: string): ChaosAnalysis['distributions'][number] => ({
    name,
    mttr: distribution(fs.map((f) => f.mttrMs)),
    timeToDetect: distribution(fs.map((f) => f.timeToDetectMs)),
    timeToAlert: distribution(fs.map((f) => f.timeToAlertMs)),
  });
  const byName = new Map<string, FaultRecord[]>();
  for (const f of [...faults].sort((a, b) => a.injectedMs - b.injectedMs)) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  return [of(faults, OVERALL), ...[...byName].filter(([, fs]) => fs.length > 1).map(([name, fs]) => of(fs, name))];
}
