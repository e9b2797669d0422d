import type {
  AuthServiceConfig,
  CatalogServiceConfig,
  GatewayServiceConfig,
  PostgresClientConfig,
  RedisClientConfig,
} from '../../../platform/services/shared/service-config.ts';
import {
  AUTH_SETTINGS,
  CATALOG_SETTINGS,
  GATEWAY_SETTINGS,
  JWT_AUDIENCE,
  JWT_ISSUER,
  PG_APP_USER,
  PG_DATABASE,
} from '../../../platform/services/shared/reference-settings.ts';
import type { PlatformFiles } from './platform-files.ts';

export { PG_APP_USER, PG_DATABASE } from '../../../platform/services/shared/reference-settings.ts';
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
 * kind targets), with the reference settings every target shares (platform/services/shared/reference-settings.ts).
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
      postgres: postgresVia(MESH_PORT.authToPostgres, AUTH_SETTINGS.poolSize),
      redis: redisVia(MESH_PORT.authToRedis),
      jwt: {
        privateKeyFile: o.files.jwt.keyFile,
        kid: o.files.jwt.kid,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        accessTokenTtlSec: AUTH_SETTINGS.accessTokenTtlSec,
        refreshTokenTtlSec: AUTH_SETTINGS.refreshTokenTtlSec,
      },
      lockout: AUTH_SETTINGS.lockout,
      passwordHash: AUTH_SETTINGS.passwordHash,
      seedUsersFile: '/app/fixtures/users.json',
    }),
    catalog: (instance) => ({
      ...base('catalog', instance, PORT.service),
      service: 'catalog',
      postgres: postgresVia(MESH_PORT.catalogToPostgres, CATALOG_SETTINGS.poolSize),
      seed: CATALOG_SETTINGS.seed,
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
      cache: GATEWAY_SETTINGS.cache,
      rateLimit: { ...GATEWAY_SETTINGS.limits, replicas: o.gatewayReplicas },
      corsOrigins: o.corsOrigins,
      bodyLimitBytes: GATEWAY_SETTINGS.bodyLimitBytes,
      graphql: GATEWAY_SETTINGS.graphql,
      webRoot: '/app/platform/services/web/public',
    }),
  };
}
