import type { ClientSeries, PlatformSeries, SoakAnalysis } from '../result/summary-model.ts';
import { leastSquaresSlope } from '../util/least-squares.ts';

export interface SoakCriteria {
  readonly maxRssSlopeMbPerHour: number;
  readonly maxP95DriftMsPerHour: number;
  /** An interval whose error rate exceeds this is part of an error burst. */
  readonly burstErrorRate: number;
}

const HOUR_MS = 3_600_000;

/** A trend needs at least this many points after the warm-up; fewer give no slope (two points are mostly noise). */
const MIN_TREND_POINTS = 3;
const trend = (points: readonly (readonly [number, number])[]): number | null => (points.length < MIN_TREND_POINTS ? null : leastSquaresSlope(points));

/** The first fifth of a run is warm-up (JIT, caches, pools filling): trends are fitted on the rest. */
function afterWarmup<T>(points: readonly T[]): readonly T[] {
  return points.slice(Math.floor(points.length / 5));
}

export function analyzeSoak(series: ClientSeries, rss: readonly PlatformSeries[], c: SoakCriteria): SoakAnalysis {
  const p95Points = afterWarmup(
    series.t.map((t, i) => [t / HOUR_MS, series.p95Ms[i]] as const).filter((p): p is readonly [number, number] => p[1] !== null && p[1] !== undefined),
  );
  const p95DriftMsPerHour = trend(p95Points);
  const rssSlopeMbPerHour: Record<string, number> = {};
  for (const s of rss) {
    const slope = trend(afterWarmup(s.points.map(([t, v]) => [t / HOUR_MS, v] as const)));
    if (slope !== null) rssSlopeMbPerHour[s.name] = slope;
  }
  const errorBursts: { startMs: number; endMs: number; errors: number }[] = [];
  let open: { startMs: number; endMs: number; errors: number } | undefined;
  series.t.forEach((t, i) => {
    const rate = series.errorRate[i] ?? 0;
    if (rate > c.burstErrorRate) {
      const errors = Math.round(rate * (series.rps[i] ?? 0) * (series.intervalMs / 1000));
      if (open) Object.assign(open, { endMs: t + series.intervalMs, errors: open.errors + errors });
      else open = { startMs: t, endMs: t + series.intervalMs, errors };
    } else if (open) {
      errorBursts.push(open);
      open = undefined;
    }
  });
  if (open) errorBursts.push(open);
  const leakDetected = Object.values(rssSlopeMbPerHour).some((s) => s > c.maxRssSlopeMbPerHour);
  return { p95DriftMsPerHour, rssSlopeMbPerHour, errorBursts, leakDetected };
}
