import { searchCdf } from './weighted-pick.ts';

const MAX_CACHED = 32;
const cdfs = new Map<string, Float64Array>();

/**
 * The Zipf CDF over 1..n with exponent s (P(k) proportional to 1/k^s), built once per (n, s) and
 * shared by every VU of the worker; a draw is then a binary search, O(log n).
 */
function zipfCdf(n: number, s: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`zipf(n): n must be a positive integer, got ${n}`);
  const key = `${n}:${s}`;
  let cdf = cdfs.get(key);
  if (!cdf) {
    cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 1; k <= n; k++) cdf[k - 1] = sum += 1 / k ** s;
    // Bounded: a flow computing n per iteration must not grow memory with the run.
    if (cdfs.size >= MAX_CACHED) cdfs.delete(cdfs.keys().next().value!);
    cdfs.set(key, cdf);
  }
  return cdf;
}

/** A Zipf-distributed integer in 1..n from `u` uniform in [0, 1). */
export function zipf(n: number, s: number, u: number): number {
  return searchCdf(zipfCdf(n, s), u) + 1;
}
