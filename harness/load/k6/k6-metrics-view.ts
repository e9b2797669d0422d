import type { MetricsView, TagFilter } from '../engine-types.ts';
import type { CounterValues, GaugeValues, MetricSummary, RateValues, TrendValues } from '../../result/summary-model.ts';
import { canonicalize, canonicalMetricKey, parseMetricKey } from './metric-key.ts';

/**
 * Read access to the metrics k6 exported. k6 aggregates only what it was asked for: a tag filter
 * answers only when k6 exported that sub-metric (it does so for sub-metrics named in thresholds,
 * plus `http_req_duration{expected_response:true}`); any other filter gives undefined. The metric
 * may also be passed already filtered: `trend('http_req_duration{name:login}')`.
 */
export function k6MetricsView(metrics: Readonly<Record<string, MetricSummary>>): MetricsView {
  const byKey = new Map<string, MetricSummary>();
  for (const [key, summary] of Object.entries(metrics)) byKey.set(canonicalize(key), summary);

  const find = (metric: string, filter: TagFilter = {}): MetricSummary | undefined => {
    const { name, tags } = parseMetricKey(metric);
    return byKey.get(canonicalMetricKey(name, { ...tags, ...filter }));
  };
  return {
    trend(metric, filter): TrendValues | undefined {
      const m = find(metric, filter);
      return m?.type === 'trend' ? m.values : undefined;
    },
    rate(metric, filter): RateValues | undefined {
      const m = find(metric, filter);
      return m?.type === 'rate' ? m.values : undefined;
    },
    counter(metric, filter): CounterValues | undefined {
      const m = find(metric, filter);
      return m?.type === 'counter' ? m.values : undefined;
    },
    gauge(metric): GaugeValues | undefined {
      const m = find(metric);
      return m?.type === 'gauge' ? m.values : undefined;
    },
    typeOf: (metric) => find(metric)?.type,
  };
}
