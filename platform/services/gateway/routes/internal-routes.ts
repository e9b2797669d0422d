import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { GatewayServiceConfig } from '../../shared/service-config.ts';

/**
 * The expose-internals switch: GET /internal/state, the replica's configuration (upstreams, Redis
 * nodes and password, limits) and live gauges, for anyone who asks. Together with the edge passing
 * /metrics and /internal through (components/edge.ts), operational internals reach the outside.
 */
export function registerInternalRoutes(app: FastifyInstance, deps: { config: GatewayServiceConfig; registry: Registry }): void {
  const { config, registry } = deps;
  app.get('/internal/state', async () => ({
    instance: config.instance,
    mode: config.mode,
    vulnerable: config.vulnerable ?? [],
    upstreams: config.upstreams,
    redis: config.redis,
    rateLimit: config.rateLimit,
    cache: config.cache,
    graphql: config.graphql,
    process: { pid: process.pid, uptimeSec: process.uptime(), memory: process.memoryUsage() },
    circuits: (await registry.getSingleMetric('gateway_circuit_state')?.get())?.values ?? [],
  }));
}
