const cumulativeCache = new WeakMap<readonly number[], Float64Array>();

/** Cumulative weights, computed once per weights array (flows pass the same array every time). */
function cumulative(weights: readonly number[]): Float64Array {
  let cdf = cumulativeCache.get(weights);
  if (!cdf) {
    cdf = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (cdf![i] = sum += Math.max(0, w)));
    cumulativeCache.set(weights, cdf);
  }
  return cdf;
}

/** Index of the first cumulative value above `u * total`: O(log n). */
export function searchCdf(cdf: Float64Array, u: number): number {
  const x = u * cdf[cdf.length - 1]!;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One item, uniformly or by weights, using `u` uniform in [0, 1). */
export function weightedPick<T>(items: readonly T[], u: number, weights?: readonly number[]): T {
  if (items.length === 0) throw new Error('pick() needs at least one item');
  if (!weights) return items[Math.floor(u * items.length)]!;
  if (weights.length !== items.length) throw new Error(`pick(): ${items.length} items but ${weights.length} weights`);
  return items[searchCdf(cumulative(weights), u)]!;
}
