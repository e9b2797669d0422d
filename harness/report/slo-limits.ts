import type { RunSummary } from '../result/summary-model.ts';

export interface Limit {
  readonly value: number;
  /** Where it was found, for the line's label: an SLO and a threshold are different promises. */
  readonly from: 'SLO' | 'threshold';
}

export interface SloLimits {
  readonly p95Ms: Limit | null;
  /** Ratios (0.01 = 1 %). */
  readonly errorRate: Limit | null;
  readonly cacheHitRate: Limit | null;
}

/**
 * The limits to draw as lines on the charts. The SLO rows carry them only inside their wording
 * (`p95 < 200 ms`), so they are read from there, then from the unfiltered thresholds; a limit that
 * cannot be found is simply not drawn.
 */
export function sloLimits(s: RunSummary): SloLimits {
  const fromSlo = (id: string, re: RegExp, scale: number): Limit | null => {
    const m = s.slos.find((o) => o.id === id)?.objective.match(re);
    return m ? { value: Number(m[1]) * scale, from: 'SLO' } : null;
  };
  const fromThreshold = (metric: string, re: RegExp): Limit | null => {
    for (const t of s.thresholds) {
      const m = t.metric === metric ? t.expression.replace(/\s+/g, '').match(re) : null;
      if (m) return { value: Number(m[1]), from: 'threshold' };
    }
    return null;
  };
  return {
    p95Ms: fromSlo('p95-latency', /([\d.]+)\s*ms/, 1) ?? fromThreshold('http_req_duration', /^p\(95\)<=?([\d.]+)$/),
    errorRate: fromSlo('error-rate', /([\d.]+)\s*%/, 0.01) ?? fromThreshold('http_req_failed', /^rate<=?([\d.]+)$/),
    cacheHitRate: fromSlo('cache-hit-rate', /([\d.]+)\s*%/, 0.01) ?? fromThreshold('cache_hit', /^rate>=?([\d.]+)$/),
  };
}
