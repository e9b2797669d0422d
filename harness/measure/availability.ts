import type { ChaosAnalysis, ProbeSeries } from '../result/summary-model.ts';

export interface SampleCount {
  readonly good: number;
  readonly total: number;
  /** good / total; null when there is no sample. */
  readonly ratio: number | null;
}

/**
 * Aggregate availability (the SRE book's successful / total) over the samples of every probe
 * taken in [fromMs, toMs), but for probes marked `availability: false` (latency objectives). Every sample weighs the same, so a probe sampled every 250 ms counts
 * twenty times a browser journey every 5 s: that is the probes' own sampling of the platform.
 */
export function sampleAvailability(probes: readonly ProbeSeries[], fromMs: number, toMs: number): SampleCount {
  let good = 0;
  let total = 0;
  for (const p of probes) {
    // A latency objective judges the steady state, but a slow answer is still an answer.
    if (p.availability === false) continue;
    p.t.forEach((t, i) => {
      if (t < fromMs || t >= toMs) return;
      total++;
      if (p.ok[i]) good++;
    });
  }
  return { good, total, ratio: total === 0 ? null : good / total };
}

/**
 * The experiment's availability against its objective. Error budget consumed is
 * (1 - ratio) / (1 - objective): 1 is the whole budget of the span. With an objective of 1 there
 * is no budget: consumed is 0 when nothing failed and null (undefined) otherwise.
 */
export function overallAvailability(probes: readonly ProbeSeries[], fromMs: number, toMs: number, objective: number): ChaosAnalysis['availability'] {
  const { good, total, ratio } = sampleAvailability(probes, fromMs, toMs);
  let errorBudgetConsumed: number | null = null;
  if (ratio !== null) errorBudgetConsumed = objective < 1 ? (1 - ratio) / (1 - objective) : ratio === 1 ? 0 : null;
  return { ratio, good, total, objective, errorBudgetConsumed };
}
