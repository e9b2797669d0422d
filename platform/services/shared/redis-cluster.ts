import { Cluster } from 'ioredis';
import type { RedisClientConfig } from './service-config.ts';

/**
 * ioredis in cluster mode. natMap sends every announced node address to its mesh proxy, so a fault on
 * the proxy hits exactly that node's traffic. Timeouts are short: a service should fail fast and
 * fall back (cache) or refuse (rate limit) rather than queue behind a dead node.
 */
export function createRedisCluster(cfg: RedisClientConfig, name: string): Cluster {
  return new Cluster(
    cfg.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      natMap: { ...cfg.natMap },
      redisOptions: { password: cfg.password, connectTimeout: 1_000, commandTimeout: 1_000, maxRetriesPerRequest: 2, connectionName: name },
      clusterRetryStrategy: (times) => Math.min(100 * times, 1_000),
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: 1_000,
      enableOfflineQueue: true,
    },
  );
}
