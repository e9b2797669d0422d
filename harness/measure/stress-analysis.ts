import type { ClientSeries, StressAnalysis, StressStep } from '../result/summary-model.ts';

export interface StressCriteria {
  readonly windowMs: number;
  readonly p95Ms: number;
  readonly errorRate: number;
  readonly minAchievedRatio: number;
  /** Windows in a row that must break before the platform counts as broken. */
  readonly brokenWindows: number;
}

/** Failure counts per series interval, gathered by the run from the engine's status counters. */
export interface FailureSeries {
  /** 429 and 503: the platform refused work on purpose. */
  readonly shed: readonly number[];
  /** Status 0: no response in time (timeouts, resets). */
  readonly noResponse: readonly number[];
  /** Every failed request (expected-status miss), shed and no-response included. */
  readonly failed: readonly number[];
  readonly requests: readonly number[];
}

/**
 * Cuts the run into windows and judges each against the SLOs. A window's p95 is the rps-weighted
 * mean of its per-interval p95s: the exact window percentile is not derivable from per-interval
 * summaries, and the weighted mean follows the bulk of the traffic without being dragged by one
 * thin interval.
 */
export function stressWindows(series: ClientSeries, c: StressCriteria): StressStep[] {
  const per = Math.max(1, Math.round(c.windowMs / series.intervalMs));
  const steps: StressStep[] = [];
  for (let i = 0; i + per <= series.t.length; i += per) {
    const idx = Array.from({ length: per }, (_, k) => i + k);
    const targets = idx.map((j) => series.targetRps[j]).filter((v): v is number => v !== null && v !== undefined);
    if (targets.length === 0) continue;
    const target = targets.reduce((a, b) => a + b, 0) / targets.length;
    if (target <= 0) continue;
    const rps = idx.reduce((a, j) => a + (series.rps[j] ?? 0), 0) / per;
    const weighted = idx.filter((j) => series.p95Ms[j] !== null && (series.rps[j] ?? 0) > 0);
    const weight = weighted.reduce((a, j) => a + series.rps[j]!, 0);
    const p95 = weight > 0 ? weighted.reduce((a, j) => a + series.p95Ms[j]! * series.rps[j]!, 0) / weight : null;
    const errorRate = rps > 0 ? idx.reduce((a, j) => a + (series.errorRate[j] ?? 0) * (series.rps[j] ?? 0), 0) / (rps * per) : 0;
    const held = p95 !== null && p95 < c.p95Ms && errorRate < c.errorRate && rps >= c.minAchievedRatio * target;
    steps.push({ targetRps: target, achievedRps: rps, p95Ms: p95, errorRate, held, startMs: series.t[i]!, endMs: series.t[i + per - 1]! + series.intervalMs });
  }
  return steps;
}

/** Index of the first window that starts a run of `brokenWindows` broken windows, or -1. */
export function firstSustainedBreak(steps: readonly StressStep[], brokenWindows: number): number {
  let run = 0;
  for (let i = 0; i < steps.length; i++) {
    run = steps[i]!.held ? 0 : run + 1;
    if (run === brokenWindows) return i - brokenWindows + 1;
  }
  return -1;
}

export function analyzeStress(series: ClientSeries, failures: FailureSeries, c: StressCriteria): StressAnalysis {
  const steps = stressWindows(series, c);
  const breakAt = firstSustainedBreak(steps, c.brokenWindows);
  const before = breakAt === -1 ? steps : steps.slice(0, breakAt);
  const heldBefore = before.filter((s) => s.held);
  const breakingPointRps = heldBefore.length ? Math.max(...heldBefore.map((s) => s.targetRps)) : null;
  const fromMs = breakAt === -1 ? Infinity : steps[breakAt]!.startMs;
  const sum = (xs: readonly number[]): number => xs.reduce((a, x, j) => a + ((series.t[j] ?? -1) >= fromMs ? x : 0), 0);
  const past = {
    shed: sum(failures.shed),
    timeouts: sum(failures.noResponse),
    errors: Math.max(0, sum(failures.failed) - sum(failures.shed) - sum(failures.noResponse)),
    requests: sum(failures.requests),
  };
  let failureMode: StressAnalysis['failureMode'] = 'none';
  if (breakAt !== -1) {
    const worst = Math.max(past.shed, past.timeouts, past.errors);
    failureMode = worst === 0 ? 'latency' : worst === past.shed ? 'shedding' : worst === past.timeouts ? 'timeouts' : 'errors';
  }
  return { breakingPointRps, steps, failureMode, past };
}

/**
 * The live stop rule, from progress ticks alone (they carry no target rate, so a window is judged
 * on latency and errors only): true once the SLOs broke for `brokenWindows` windows in a row.
 */
export function sustainedBreakSoFar(
  ticks: readonly { readonly rps: number; readonly p95Ms: number | null; readonly errorRate: number }[],
  intervalMs: number,
  c: StressCriteria,
): boolean {
  const series: ClientSeries = {
    intervalMs,
    t: ticks.map((_, i) => i * intervalMs),
    rps: ticks.map((x) => x.rps),
    errorRate: ticks.map((x) => x.errorRate),
    p50Ms: [],
    p95Ms: ticks.map((x) => x.p95Ms),
    p99Ms: [],
    vus: [],
    targetRps: ticks.map(() => 1),
    dropped: [],
    cacheHitRate: [],
  };
  return firstSustainedBreak(stressWindows(series, { ...c, minAchievedRatio: 0 }), c.brokenWindows) !== -1;
}
