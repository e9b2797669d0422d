/**
 * Percentiles of ascending values, in the two definitions crucible needs. Both take a quantile q
 * in [0, 1] (0.95 for p95) and return null without values; q outside [0, 1] is clamped.
 *
 * Which to use: `nearestRank` when only observed values may be reported (a handful of MTTRs:
 * interpolating between two of them invents a third); `interpolated` where crucible must agree
 * with a tool that interpolates (k6's TrendSink, figures a reader compares with k6's output).
 */

/**
 * Nearest rank: the smallest value with at least q of the values at or below it, i.e. the value at
 * rank ceil(q × n) (1-based, at least 1). Always one of the values.
 */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Linear interpolation between the closest ranks (Hyndman and Fan's type 7, the default of R,
 * NumPy and d3's quantileSorted, and what k6's TrendSink.P computes): position h = q × (n - 1),
 * value sorted[⌊h⌋] + (h - ⌊h⌋) × (sorted[⌈h⌉] - sorted[⌊h⌋]).
 */
export function interpolated(sorted: readonly number[], q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = sorted[Math.floor(h)]!;
  const hi = sorted[Math.ceil(h)]!;
  return lo + (hi - lo) * (h - Math.floor(h));
}
