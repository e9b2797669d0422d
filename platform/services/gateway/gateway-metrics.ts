import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../shared/http-metrics.ts';

export type CacheName = 'product' | 'list';
export type UpstreamName = 'auth' | 'catalog';
export type UpstreamErrorReason = 'timeout' | 'connect' | '5xx' | 'circuit_open';
export type RateLimitScope = 'ip' | 'identity' | 'login' | 'unavailable';

export interface GatewayMetrics {
  readonly cacheHits: Counter<'cache'>;
  readonly cacheMisses: Counter<'cache'>;
  readonly cacheErrors: Counter<'cache'>;
  readonly rateLimited: Counter<'scope'>;
  readonly rateLimitFallbacks: Counter<'scope'>;
  readonly upstreamDuration: Histogram<'upstream' | 'outcome'>;
  readonly upstreamErrors: Counter<'upstream' | 'reason'>;
  readonly circuitState: Gauge<'upstream'>;
}

/** The gateway's own series, named as docs/platform.md lists them (dashboards and alert rules depend on the names). */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  return {
    cacheHits: new Counter({ name: 'gateway_cache_hits_total', help: 'Reads answered from the Redis cache', labelNames: ['cache'], registers }),
    cacheMisses: new Counter({ name: 'gateway_cache_misses_total', help: 'Reads that had to go to the origin', labelNames: ['cache'], registers }),
    cacheErrors: new Counter({ name: 'gateway_cache_errors_total', help: 'Redis errors that made a read bypass the cache', labelNames: ['cache'], registers }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused by a rate limit (scope=unavailable: limiter store down, failed closed)',
      labelNames: ['scope'],
      registers,
    }),
    rateLimitFallbacks: new Counter({
      name: 'gateway_rate_limit_fallbacks_total',
      help: 'Rate-limit decisions taken from the replica-local share because Redis did not answer in time',
      labelNames: ['scope'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Duration of each attempt to an upstream, by outcome',
      labelNames: ['upstream', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'gateway_upstream_errors_total',
      help: 'Failed upstream attempts and calls refused by an open circuit',
      labelNames: ['upstream', 'reason'],
      registers,
    }),
    circuitState: new Gauge({
      name: 'gateway_circuit_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 open, 2 half-open',
      labelNames: ['upstream'],
      registers,
    }),
  };
}
