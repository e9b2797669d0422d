/**
 * Percentiles of ascending values (an array or a typed array), in the two definitions crucible needs. Both take a quantile q
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
export function nearestRank(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Linear interpolation between the closest ranks (Hyndman and Fan's type 7, the default of R,
 * NumPy and d3's quantileSorted): position h = q × (n - 1), value
 * sorted[⌊h⌋] + (h - ⌊h⌋) × (sorted[⌈h⌉] - sorted[⌊h⌋]).
 *
 * This is exactly how k6 computes a Trend's `med` and `p(N)` (with q = N / 100) for its end-of-test
 * summary and thresholds, from every sample it kept: TrendSink.P in grafana/k6 `stats/sink.go`
 * (0.2x) and `metrics/sink.go` (0.4x to 1.x, read in both), described in its own comment as
 * "linear interpolation" between the values below and above the percentile, and pinned by k6's
 * sink tests (two samples 5 and 10: p(50) 7.5, p(95) 5 + 5 × 0.95). The same operations in the
 * same order, so the float results agree to the bit. k6 answers 0 without samples where this
 * answers null. (One k6 development snapshot replaces the sorted samples with an HDR histogram,
 * an approximation; issue grafana/k6#763 is still open, and crucible follows the exact definition.)
 */
export function interpolated(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = sorted[Math.floor(h)]!;
  const hi = sorted[Math.ceil(h)]!;
  return lo + (hi - lo) * (h - Math.floor(h));
}
