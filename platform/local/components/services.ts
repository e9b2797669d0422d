import { switchesFor } from '../../services/shared/vulnerable-switches.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeModulePath } from '../../../harness/util/runtime-module.ts';
import type { ProcessComponent } from '../component-spec.ts';
import { AUTH_SETTINGS, CATALOG_SETTINGS, GATEWAY_SETTINGS } from '../../services/shared/reference-settings.ts';
import { HOST, JWT_AUDIENCE, JWT_ISSUER, PG_APP_USER, PG_DATABASE, type PlanContext } from '../plan-context.ts';
import type {
  AuthServiceConfig,
  BaseServiceConfig,
  CatalogServiceConfig,
  GatewayServiceConfig,
  PostgresClientConfig,
  RedisClientConfig,
} from '../../services/shared/service-config.ts';

function base(ctx: PlanContext, service: BaseServiceConfig['service'], instance: string, port: number): BaseServiceConfig {
  const id = ctx.ca.identities[service];
  return {
    service,
    instance,
    host: HOST,
    port,
    mode: ctx.opts.mode,
    tls: { caFile: ctx.ca.caFile, certFile: id.certFile, keyFile: id.keyFile },
    auditFile: join(ctx.auditDir, `${instance}.jsonl`),
    logLevel: 'warn',
    ...(ctx.opts.vulnerable.length > 0 ? { vulnerable: switchesFor(service, ctx.opts.vulnerable) } : {}),
  };
}

/**
 * Seeds and natMap both point at this client's mesh proxies, so all of its Redis traffic crosses the
 * mesh. With redis-no-auth the nodes have no password (components/redis-cluster.ts), so none is sent.
 */
function redisVia(ctx: PlanContext, proxyPorts: readonly number[]): RedisClientConfig {
  return {
    nodes: proxyPorts.map((port) => ({ host: HOST, port })),
    natMap: Object.fromEntries(ctx.ports.redis.map((port, i) => [`${HOST}:${port}`, { host: HOST, port: proxyPorts[i]! }])),
    password: ctx.opts.vulnerable.includes('redis-no-auth') ? '' : ctx.secrets.redisPassword,
  };
}

/** mesh-plaintext: auth and catalog also serve plain HTTP on their plaintext port of the block. */
const plaintextPort = (ctx: PlanContext, port: number): { plaintextPort?: number } =>
  ctx.opts.vulnerable.includes('mesh-plaintext') ? { plaintextPort: port } : {};

const postgresVia = (ctx: PlanContext, port: number, poolSize: number): PostgresClientConfig => ({
  host: HOST,
  port,
  database: PG_DATABASE,
  user: PG_APP_USER,
  password: ctx.secrets.postgresAppPassword,
  poolSize,
});

function serviceProcess(
  ctx: PlanContext,
  name: string,
  entry: string,
  config: object,
  port: number,
  tlsName: string | undefined,
  dependsOn: string[],
  group: 'service' = 'service',
): ProcessComponent {
  const file = join(ctx.configDir, `${name}.json`);
  const harness = ctx.ca.identities.harness;
  const scheme = tlsName ? 'https' : 'http';
  const url = `${scheme}://${HOST}:${port}`;
  return {
    type: 'process',
    name,
    group,
    dependsOn,
    command: ctx.tools.node,
    args: ['--disable-warning=ExperimentalWarning', runtimeModulePath(`../../services/${entry}/main.ts`, import.meta.url)],
    env: { CRUCIBLE_SERVICE_CONFIG: file, NODE_ENV: 'production' },
    prepare: async () => writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 }),
    ready: {
      kind: 'http',
      url: `${url}/readyz`,
      ...(tlsName
        ? {
            tls: {
              ca: readFileSync(ctx.ca.caFile, 'utf8'),
              cert: readFileSync(harness.certFile, 'utf8'),
              key: readFileSync(harness.keyFile, 'utf8'),
              servername: tlsName,
            },
          }
        : {}),
    },
    ports: { http: port },
    urls: { http: url, metrics: `${url}/metrics` },
  };
}

export function authComponent(ctx: PlanContext): ProcessComponent {
  const config: AuthServiceConfig = {
    ...base(ctx, 'auth', 'auth-1', ctx.ports.auth),
    ...plaintextPort(ctx, ctx.ports.authPlaintext),
    service: 'auth',
    postgres: postgresVia(ctx, ctx.ports.mesh.authToPostgres, AUTH_SETTINGS.poolSize),
    redis: redisVia(ctx, ctx.ports.mesh.authToRedis),
    jwt: {
      privateKeyFile: ctx.jwt.privateKeyFile,
      kid: ctx.jwt.kid,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      accessTokenTtlSec: AUTH_SETTINGS.accessTokenTtlSec,
      refreshTokenTtlSec: AUTH_SETTINGS.refreshTokenTtlSec,
    },
    lockout: AUTH_SETTINGS.lockout,
    passwordHash: AUTH_SETTINGS.passwordHash,
    seedUsersFile: join(ctx.projectRoot, 'fixtures', 'users.json'),
  };
  return serviceProcess(ctx, 'auth-1', 'auth', config, ctx.ports.auth, 'auth', ['toxiproxy', 'redis-cluster', 'postgres-bootstrap']);
}

export function catalogComponent(ctx: PlanContext): ProcessComponent {
  const config: CatalogServiceConfig = {
    ...base(ctx, 'catalog', 'catalog-1', ctx.ports.catalog),
    ...plaintextPort(ctx, ctx.ports.catalogPlaintext),
    service: 'catalog',
    postgres: postgresVia(ctx, ctx.ports.mesh.catalogToPostgres, CATALOG_SETTINGS.poolSize),
    seed: CATALOG_SETTINGS.seed,
  };
  return serviceProcess(ctx, 'catalog-1', 'catalog', config, ctx.ports.catalog, 'catalog', ['toxiproxy', 'postgres-bootstrap']);
}

export function gatewayComponents(ctx: PlanContext): ProcessComponent[] {
  const edge = `http://${HOST}:${ctx.ports.edge}`;
  return ctx.ports.gateways.map((port, i) => {
    const config: GatewayServiceConfig = {
      ...base(ctx, 'gateway', `gateway-${i + 1}`, port),
      service: 'gateway',
      redis: redisVia(ctx, ctx.ports.mesh.gatewayToRedis),
      upstreams: {
        auth: { url: `https://${HOST}:${ctx.ports.mesh.gatewayToAuth}`, servername: 'auth' },
        catalog: { url: `https://${HOST}:${ctx.ports.mesh.gatewayToCatalog}`, servername: 'catalog' },
      },
      jwt: { issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      cache: GATEWAY_SETTINGS.cache,
      rateLimit: { ...GATEWAY_SETTINGS.limits, replicas: ctx.ports.gateways.length },
      corsOrigins: [edge, `http://localhost:${ctx.ports.edge}`],
      bodyLimitBytes: GATEWAY_SETTINGS.bodyLimitBytes,
      graphql: GATEWAY_SETTINGS.graphql,
      webRoot: join(ctx.projectRoot, 'platform', 'services', 'web', 'public'),
    };
    return serviceProcess(ctx, `gateway-${i + 1}`, 'gateway', config, port, undefined, ['toxiproxy', 'redis-cluster', 'auth-1', 'catalog-1']);
  });
}
