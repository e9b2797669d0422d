import type { Operator } from '../result/limit.ts';
import type { RunSummary } from '../result/summary-model.ts';

export interface ChartLimit {
  readonly value: number;
  /** Where it was found, for the line's label: an SLO and a threshold are different promises. */
  readonly from: 'SLO' | 'threshold';
}

export interface SloLimits {
  readonly p95Ms: ChartLimit | null;
  /** Ratios (0.01 = 1 %). */
  readonly errorRate: ChartLimit | null;
  readonly cacheHitRate: ChartLimit | null;
}

/**
 * The limits to draw as lines on the charts: the SLO's structured limit, else an unfiltered
 * threshold on the same statistic with an upper (p95, errors) or lower (cache hits) bound; a limit
 * that cannot be found (a v1 summary kept them in words only) is simply not drawn.
 */
export function sloLimits(s: RunSummary): SloLimits {
  const fromSlo = (id: string): ChartLimit | null => {
    const limit = s.slos.find((o) => o.id === id)?.limit;
    return limit ? { value: limit.value, from: 'SLO' } : null;
  };
  const fromThreshold = (metric: string, aggregation: string, ops: readonly Operator[]): ChartLimit | null => {
    const t = s.thresholds.find((x) => x.metric === metric && x.aggregation === aggregation && x.limit && ops.includes(x.limit.op));
    return t?.limit ? { value: t.limit.value, from: 'threshold' } : null;
  };
  return {
    p95Ms: fromSlo('p95-latency') ?? fromThreshold('http_req_duration', 'p(95)', ['<', '<=']),
    errorRate: fromSlo('error-rate') ?? fromThreshold('http_req_failed', 'rate', ['<', '<=']),
    cacheHitRate: fromSlo('cache-hit-rate') ?? fromThreshold('cache_hit', 'rate', ['>', '>=']),
  };
}
