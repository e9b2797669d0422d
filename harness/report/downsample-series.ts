import type { ClientSeries } from '../result/summary-model.ts';

/** A chart needs no more points than it has pixels; a 24 h soak at 1 s intervals has 86,400. */
export const MAX_CHART_POINTS = 1500;

const nums = (xs: readonly (number | null | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
const maxOf = (xs: readonly (number | null | undefined)[]): number | null => {
  const v = nums(xs);
  return v.length ? Math.max(...v) : null;
};
const meanOf = (xs: readonly (number | null | undefined)[]): number | null => {
  const v = nums(xs);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/**
 * Merges neighbouring intervals into buckets of `factor`. Latency, error rate and VUs keep the
 * bucket's worst interval (a spike must stay visible however long the run), rates and the cache hit
 * rate the mean, dropped iterations the sum. Returns the series unchanged when it is short enough.
 */
export function downsampleSeries(s: ClientSeries, maxPoints = MAX_CHART_POINTS): { series: ClientSeries; factor: number } {
  const factor = Math.ceil(s.t.length / maxPoints);
  if (factor <= 1) return { series: s, factor: 1 };
  const buckets = Array.from({ length: Math.ceil(s.t.length / factor) }, (_, b) => [b * factor, Math.min(s.t.length, (b + 1) * factor)] as const);
  const by = <T>(col: readonly T[], f: (xs: readonly T[]) => number | null): (number | null)[] => buckets.map(([a, z]) => f(col.slice(a, z)));
  const num = (xs: (number | null)[]): number[] => xs.map((x) => x ?? 0);
  const requestP95Ms = s.requestP95Ms ? Object.fromEntries(Object.entries(s.requestP95Ms).map(([k, col]) => [k, by(col, maxOf)])) : undefined;
  return {
    factor,
    series: {
      intervalMs: s.intervalMs * factor,
      t: buckets.map(([a]) => s.t[a]!),
      rps: num(by(s.rps, meanOf)),
      errorRate: num(by(s.errorRate, maxOf)),
      p50Ms: by(s.p50Ms, maxOf),
      p95Ms: by(s.p95Ms, maxOf),
      p99Ms: by(s.p99Ms, maxOf),
      vus: num(by(s.vus, maxOf)),
      targetRps: by(s.targetRps, meanOf),
      dropped: num(by(s.dropped, (xs) => xs.reduce((a, b) => a + b, 0))),
      cacheHitRate: by(s.cacheHitRate, meanOf),
      ...(requestP95Ms ? { requestP95Ms } : {}),
    },
  };
}
