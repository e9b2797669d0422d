/** Every metric crucible records, with its type: thresholds may only name these (a typo must not pass silently, k6#1526). */
export const BUILTIN_METRICS = {
  http_req_duration: 'trend',
  http_req_waiting: 'trend',
  iteration_duration: 'trend',
  iteration_lag: 'trend',
  http_req_failed: 'rate',
  checks: 'rate',
  cache_hit: 'rate',
  http_reqs: 'counter',
  iterations: 'counter',
  dropped_iterations: 'counter',
  data_received: 'counter',
  data_sent: 'counter',
  vus: 'gauge',
  vus_max: 'gauge',
} as const satisfies Record<string, 'trend' | 'rate' | 'counter' | 'gauge'>;

export type BuiltinMetric = keyof typeof BUILTIN_METRICS;
export type MetricKind = (typeof BUILTIN_METRICS)[BuiltinMetric];

/** Aggregations each metric type can be judged on (k6's vocabulary). */
export const AGGREGATIONS: Readonly<Record<MetricKind, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'count', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value', 'min', 'max'],
};
