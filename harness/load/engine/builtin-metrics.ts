/** The engine's metrics, by k6 name, and their types. */
export const BUILTIN_METRICS = {
  http_req_duration: 'trend',
  http_req_waiting: 'trend',
  iteration_duration: 'trend',
  /** Open model: how late an iteration started after its scheduled time (ms). */
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

export type MetricType = (typeof BUILTIN_METRICS)[keyof typeof BUILTIN_METRICS];
