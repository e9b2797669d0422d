/**
 * The PromQL behind the platform figures of the reports: their one home. collectPlatformMetrics and
 * firingAlerts ask them of a run's Prometheus; the Grafana dashboards (platform/grafana) are generated
 * from them, so a panel shows what a report says. `range` is a PromQL range: a run's window ("93s")
 * or Grafana's `$__rate_interval` / `$__range`.
 */

/** Gateway requests that are traffic, not probes or scrapes. */
export const GATEWAY_TRAFFIC = 'service="gateway",route!~"/healthz|/readyz|/metrics"';
const REQUESTS = 'http_server_request_duration_seconds';
const HITS = 'gateway_cache_hits_total{cache="product"}';
const MISSES = 'gateway_cache_misses_total{cache="product"}';

/** `sum by (labels) `, or a plain `sum` when there are none; the aggregated expression follows in parentheses. */
const sumBy = (labels: readonly string[]): string => (labels.length > 0 ? `sum by (${labels.join(', ')}) ` : 'sum');

export interface QueryShape {
  /** `rate` for a series over time, `increase` for a total over a window (a report's instant query). */
  readonly over?: 'rate' | 'increase';
  /** Labels kept (instance_name: one line per replica); none sums the platform. */
  readonly by?: readonly string[];
}

/** The gateway's p95 in seconds from its request histogram (traffic only). */
export const gatewayP95Seconds = (range: string, { over = 'rate', by = [] }: QueryShape = {}): string =>
  `histogram_quantile(0.95, ${sumBy(['le', ...by])}(${over}(${REQUESTS}_bucket{${GATEWAY_TRAFFIC}}[${range}])))`;

/** Gateway responses by status code (traffic only). */
export const gatewayResponsesByStatus = (range: string, { over = 'increase', by = [] }: QueryShape = {}): string =>
  `${sumBy(['status_code', ...by])}(${over}(${REQUESTS}_count{${GATEWAY_TRAFFIC}}[${range}]))`;

/** Gateway requests (traffic only), per second with `rate`. */
export const gatewayRequests = (range: string, { over = 'rate', by = [] }: QueryShape = {}): string =>
  `${sumBy(by)}(${over}(${REQUESTS}_count{${GATEWAY_TRAFFIC}}[${range}]))`;

/** 5xx responses / all responses of the gateway (traffic only): a report's errorRate, which it sums from gatewayResponsesByStatus. */
export const gatewayErrorRatio = (range: string, { over = 'rate', by = [] }: QueryShape = {}): string =>
  `${sumBy(by)}(${over}(${REQUESTS}_count{${GATEWAY_TRAFFIC},status_code=~"5.."}[${range}]))` +
  ` / ${sumBy(by)}(${over}(${REQUESTS}_count{${GATEWAY_TRAFFIC}}[${range}]))`;

/** Product cache hits, or misses, over the range. */
export const cacheHits = (range: string): string => `sum(increase(${HITS}[${range}]))`;
export const cacheMisses = (range: string): string => `sum(increase(${MISSES}[${range}]))`;

/** Product cache hits / (hits + misses). */
export const cacheHitRatio = (range: string, { over = 'rate', by = [] }: QueryShape = {}): string => {
  const hits = `${sumBy(by)}(${over}(${HITS}[${range}]))`;
  return `${hits} / (${hits} + ${sumBy(by)}(${over}(${MISSES}[${range}])))`;
};

/** Resident memory of every service instance, bytes (soak leak detection). */
export const SERVICE_RESIDENT_MEMORY = 'process_resident_memory_bytes{job=~"gateway|auth|catalog"}';

/** Prometheus' own series of the alerts firing now. */
export const FIRING_ALERTS = 'ALERTS{alertstate="firing"}';
