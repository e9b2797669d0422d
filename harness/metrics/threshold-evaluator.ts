import type { MetricsView } from '../load/engine-types.ts';
import { meets, thresholdAggregation, thresholdLimit } from '../result/limit.ts';
import type { ThresholdResult } from '../result/summary-model.ts';
import type { ParsedThreshold } from '../config/threshold-parser.ts';

/** The aggregated value a threshold is judged on, or null when its metric has no samples. */
export function aggregate(view: MetricsView, t: ParsedThreshold): number | null {
  const { metric, filter } = t.selector;
  switch (t.selector.kind) {
    case 'trend': {
      const v = view.trend(metric, filter);
      if (!v || v.count === 0) return null;
      if (t.aggregation === 'p') {
        // Summaries carry the common percentiles; others are not derivable after the fact.
        const key = `p(${t.percentile})` as keyof typeof v;
        if (key in v) return v[key];
        return t.percentile === 50 ? v.med : t.percentile === 100 ? v.max : t.percentile === 0 ? v.min : null;
      }
      return v[t.aggregation as 'avg' | 'min' | 'max' | 'med' | 'count'];
    }
    case 'rate': {
      const v = view.rate(metric, filter);
      return v && v.passes + v.fails > 0 ? v.rate : null;
    }
    case 'counter': {
      const v = view.counter(metric, filter);
      // A counter never incremented is a real zero (dropped_iterations count==0 must pass).
      return t.aggregation === 'rate' ? (v?.rate ?? 0) : (v?.count ?? 0);
    }
    case 'gauge': {
      const v = view.gauge(metric);
      return v ? v[t.aggregation as 'value' | 'min' | 'max'] : null;
    }
  }
}

/**
 * Judges every threshold. A threshold whose metric has no samples does not pass: a threshold that
 * could not be judged is not evidence of anything (k6 passes them silently).
 */
export function evaluateThresholds(view: MetricsView, thresholds: readonly ParsedThreshold[], aborted?: ParsedThreshold): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = aggregate(view, t);
    return {
      metric: t.selector.key,
      expression: t.expression,
      ok: actual !== null && meets(actual, { op: t.operator, value: t.value }),
      actual,
      aggregation: thresholdAggregation(t),
      limit: thresholdLimit(t),
      abortOnFail: t.abortOnFail,
      aborted: t === aborted,
    };
  });
}

/** The first abortOnFail threshold failing now (past its delay), if any; checked every interval. */
export function thresholdToAbortOn(view: MetricsView, thresholds: readonly ParsedThreshold[], elapsedMs: number): ParsedThreshold | undefined {
  return thresholds.find((t) => {
    if (!t.abortOnFail || elapsedMs < t.delayAbortEvalMs) return false;
    const actual = aggregate(view, t);
    return actual !== null && !meets(actual, { op: t.operator, value: t.value });
  });
}
