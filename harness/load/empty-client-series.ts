/** A client series with no interval yet: mutable columns, so an engine can append to them as intervals close. */
export function emptyClientSeries(intervalMs: number) {
  return {
    intervalMs,
    t: [] as number[],
    rps: [] as number[],
    errorRate: [] as number[],
    p50Ms: [] as (number | null)[],
    p95Ms: [] as (number | null)[],
    p99Ms: [] as (number | null)[],
    vus: [] as number[],
    targetRps: [] as (number | null)[],
    dropped: [] as number[],
    cacheHitRate: [] as (number | null)[],
  };
}
