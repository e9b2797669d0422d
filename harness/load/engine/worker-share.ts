/**
 * How many of `total` VUs worker `w` of `workers` owns: it owns global VU indices w, w+workers, ...
 * (the same striping as arrivals), so the shares add up to the total exactly.
 */
export function workerShare(total: number, w: number, workers: number): number {
  return Math.max(0, Math.ceil((total - w) / workers));
}

/** The global (0-based) index of worker w's k-th VU. */
export function globalIndex(k: number, w: number, workers: number): number {
  return w + k * workers;
}
