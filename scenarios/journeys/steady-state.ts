import type { ChaosOptions } from 'crucible';

const TRAFFIC = 'service="gateway",route!="/healthz",route!="/readyz"';

/**
 * The reference platform's steady state, as users and operators see it: the edge answers, a product read through the whole stack (gateway, cache, catalog) answers within
 * a second, the datastores answer directly, and the gateway's own metrics over the last 5 s show
 * under 1 % of 5xx and a p95 under 500 ms. HTTP probes every 250 ms, the rest every second.
 * (5 s rates: Prometheus scrapes every second; a shorter window would flap on one slow request,
 * a longer one would keep a recovered platform "bad" for its whole length and inflate MTTR.)
 * And every 5 s a user's whole journey in Chromium (log in, open a product, order it): what a person
 * at the web UI would have seen.
 */
export function steadyStateProbes(): ChaosOptions['steadyState']['probes'] {
  return [
    // /healthz, not /readyz: readiness turns 503 when any dependency is down (auth, say) while
    // users still get served; the steady state is about what users get.
    { type: 'http', name: 'edge-alive', path: '/healthz', timeout: '1s', every: '250ms' },
    { type: 'http', name: 'product-read', path: '/api/products/42', timeout: '1s', every: '250ms' },
    { type: 'datastore', name: 'postgres', store: 'postgres', every: '1s' },
    { type: 'datastore', name: 'redis-cluster', store: 'redis', every: '1s' },
    {
      type: 'promql',
      name: 'gateway-5xx',
      query: `sum(rate(http_server_request_duration_seconds_count{${TRAFFIC},status_code=~"5.."}[5s])) / sum(rate(http_server_request_duration_seconds_count{${TRAFFIC}}[5s]))`,
      tolerance: { max: 0.01 },
      // No traffic in the window: nothing failed.
      absentOk: true,
      every: '1s',
    },
    {
      type: 'promql',
      name: 'gateway-p95',
      query: `histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{${TRAFFIC}}[5s])))`,
      tolerance: { max: 0.5 },
      absentOk: true,
      // A latency objective: it judges the steady state (detection, recovery), not availability.
      availability: false,
      every: '1s',
    },
    { type: 'browser', name: 'shop-journey', journey: 'shop', every: '5s', timeout: '10s' },
  ];
}
