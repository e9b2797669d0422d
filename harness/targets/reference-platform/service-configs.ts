import type {
  AuthServiceConfig,
  CatalogServiceConfig,
  GatewayServiceConfig,
  PostgresClientConfig,
  RedisClientConfig,
} from '../../../platform/services/shared/service-config.ts';
import type { PlatformFiles } from './platform-files.ts';

export const JWT_ISSUER = 'https://auth.crucible.local';
export const JWT_AUDIENCE = 'crucible-api';
export const PG_DATABASE = 'crucible';
export const PG_APP_USER = 'crucible';
export const REDIS_NODES = 6;
/** Ports inside the images (their contract, docs/images.md), the same in containers and pods. */
export const PORT = { gateway: 8080, service: 8443, redis: 6379, postgres: 5432, prometheus: 9090, toxiproxy: 8474, edge: 8080, edgeStats: 8404 } as const;
/** Where the mesh's proxies listen inside Toxiproxy (the first of each range), the same for containers and pods. */
export const MESH_PORT = {
  edgeToGateway: 10_000,
  gatewayToAuth: 10_100,
  gatewayToCatalog: 10_101,
  authToPostgres: 10_102,
  catalogToPostgres: 10_103,
  gatewayToRedis: 10_200,
  authToRedis: 10_300,
} as const;

export interface ServiceConfigsOptions {
  readonly files: PlatformFiles;
  /** How the services reach the mesh (Toxiproxy): an address, or a name that never needs re-resolving (a Kubernetes Service). */
  readonly mesh: string;
  /** The Redis nodes as the cluster names them to clients (CLUSTER SLOTS: 'ip' or 'redis-0.redis'), in node order. */
  readonly redisNodes: readonly string[];
  /** Gateway replicas sharing the rate limits. */
  readonly gatewayReplicas: number;
  /** Origins the gateway allows by CORS (the edge's public URL). */
  readonly corsOrigins: readonly string[];
}

/**
 * The services' configurations for a platform whose every edge crosses the mesh (the containers and
 * kind targets), with the local target's settings: one home, so the two targets cannot drift apart.
 */
export function serviceConfigs(o: ServiceConfigsOptions): {
  auth: (instance: string) => AuthServiceConfig;
  catalog: (instance: string) => CatalogServiceConfig;
  gateway: (instance: string) => GatewayServiceConfig;
} {
  const s = o.files.secrets;
  /** Seeds and natMap both point at this client's mesh proxies, so all of its Redis traffic crosses the mesh. */
  const redisVia = (firstPort: number): RedisClientConfig => ({
    nodes: o.redisNodes.map((_, i) => ({ host: o.mesh, port: firstPort + i })),
    natMap: Object.fromEntries(o.redisNodes.map((node, i) => [`${node}:${PORT.redis}`, { host: o.mesh, port: firstPort + i }])),
    password: s.redisPassword,
  });
  const postgresVia = (port: number, poolSize: number): PostgresClientConfig => ({
    host: o.mesh,
    port,
    database: PG_DATABASE,
    user: PG_APP_USER,
    password: s.postgresAppPassword,
    poolSize,
  });
  const base = (service: 'gateway' | 'auth' | 'catalog', instance: string, port: number) =>
    ({
      instance,
      host: '0.0.0.0',
      port,
      mode: 'production',
      tls: o.files.tls[service],
      auditFile: `/tmp/${instance}.jsonl`,
      logLevel: 'warn',
    }) as const;
  return {
    auth: (instance) => ({
      ...base('auth', instance, PORT.service),
      service: 'auth',
      postgres: postgresVia(MESH_PORT.authToPostgres, 10),
      redis: redisVia(MESH_PORT.authToRedis),
      jwt: {
        privateKeyFile: o.files.jwt.keyFile,
        kid: o.files.jwt.kid,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        accessTokenTtlSec: 300,
        refreshTokenTtlSec: 86_400,
      },
      lockout: { maxFailures: 5, windowSec: 300, lockSec: 300 },
      passwordHash: { N: 16_384, r: 8, p: 1 },
      seedUsersFile: '/app/fixtures/users.json',
    }),
    catalog: (instance) => ({
      ...base('catalog', instance, PORT.service),
      service: 'catalog',
      postgres: postgresVia(MESH_PORT.catalogToPostgres, 20),
      seed: { products: 10_000, seed: 42 },
    }),
    gateway: (instance) => ({
      ...base('gateway', instance, PORT.gateway),
      service: 'gateway',
      redis: redisVia(MESH_PORT.gatewayToRedis),
      upstreams: {
        auth: { url: `https://${o.mesh}:${MESH_PORT.gatewayToAuth}`, servername: 'auth' },
        catalog: { url: `https://${o.mesh}:${MESH_PORT.gatewayToCatalog}`, servername: 'catalog' },
      },
      jwt: { issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      // Writes invalidate product entries, so a long TTL costs no staleness (as on the local target).
      cache: { productTtlSec: 300, listTtlSec: 5, fillLockMs: 2_000 },
      rateLimit: { perIpPerMin: 30_000, perIdentityPerMin: 1_200, loginPerIpPerMin: 100, replicas: o.gatewayReplicas },
      corsOrigins: o.corsOrigins,
      bodyLimitBytes: 64 * 1024,
      graphql: { maxDepth: 8, maxComplexity: 500, maxAliases: 15, maxBatch: 10 },
      webRoot: '/app/platform/services/web/public',
    }),
  };
}
