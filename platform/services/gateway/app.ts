import { randomUUID } from 'node:crypto';
import { DRAIN_ON_CLOSE } from '../shared/run-service.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Cluster } from 'ioredis';
import type { Dispatcher } from 'undici';
import { MESH_POLICY } from '../../mesh/policy.ts';
import { createAuditLog } from '../shared/audit-log.ts';
import { installErrorHandler } from '../shared/error-handler.ts';
import { registerHealth } from '../shared/health.ts';
import { createRegistry, registerHttpMetrics } from '../shared/http-metrics.ts';
import { createRedisCluster } from '../shared/redis-cluster.ts';
import type { GatewayServiceConfig } from '../shared/service-config.ts';
import { mutualTlsAgent, readTlsMaterial, type TlsMaterial } from '../shared/tls.ts';
import { handleApiErrors } from './api-error.ts';
import { createAuthHooks } from './authenticate.ts';
import { registerDetectionHooks } from './detection-hooks.ts';
import { CatalogApi } from './catalog-api.ts';
import { createGatewayMetrics, type GatewayMetrics, type UpstreamName } from './gateway-metrics.ts';
import { registerGraphql } from './graphql/register-graphql.ts';
import { fetchJwksFromAuth, JwksStore } from './jwks-store.ts';
import { JwtVerifier } from './jwt-verifier.ts';
import { createRateLimitHooks } from './rate-limits.ts';
import { ReadThroughCache } from './read-through-cache.ts';
import { registerSecurity } from './register-security.ts';
import { registerAccountRedirect } from './routes/account-redirect.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerDebugRoutes } from './routes/debug-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerOrderRoutes } from './routes/order-routes.ts';
import { registerProductRoutes } from './routes/product-routes.ts';
import { registerStaticRoutes } from './routes/static-routes.ts';
import { registerWebhookRoutes } from './routes/webhook-routes.ts';
import { UpstreamClient } from './upstream-client.ts';

/** What tests (or another host) may hand in instead of what the config describes; the caller then owns and closes it. */
export interface GatewayDeps {
  readonly redis?: Cluster;
  readonly upstreams?: Partial<Record<UpstreamName, { readonly url?: string; readonly dispatcher?: Dispatcher }>>;
}

/** An edge-supplied request id is kept (it joins the edge's log to ours) if it looks like one. */
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The gateway: public REST and GraphQL in front of auth and catalog, with authentication, rate
 * limits and the product cache shared by all replicas through the Redis Cluster.
 */
export async function buildGatewayApp(config: GatewayServiceConfig, deps: GatewayDeps = {}): Promise<FastifyInstance> {
  const vulnerable = new Set(config.vulnerable ?? []);
  const app = Fastify({
    ...DRAIN_ON_CLOSE,
    logger: { level: config.logLevel, base: { service: config.service, instance: config.instance } },
    // Exactly one trusted hop (the socket peer: the edge, through the mesh's TCP proxy), which
    // replaces X-Forwarded-For with the client's address; request.ip is then that address.
    // trust-forwarded-for trusts every hop instead: request.ip is X-Forwarded-For's first entry, the client's own claim.
    trustProxy: vulnerable.has('trust-forwarded-for') ? true : (_address: string, hop: number) => hop === 0,
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Unknown properties are refused (400), not silently stripped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const closers: (() => Promise<unknown>)[] = [];

  const registry = createRegistry(config.service, config.instance);
  const metrics = createGatewayMetrics(registry);
  const audit = createAuditLog(config.auditFile, { service: config.service, instance: config.instance }, registry);
  const redis = deps.redis ?? ownRedis(config, app, closers);
  const clients = createUpstreamClients(config, deps, metrics, closers);

  const jwks = new JwksStore({
    fetch: () => fetchJwksFromAuth(clients.auth),
    onRefreshError: (err) => app.log.warn({ err }, 'JWKS refresh failed; keeping the keys held'),
  });
  const verifier = new JwtVerifier({ jwks, redis, issuer: config.jwt.issuer, audience: config.jwt.audience, vulnerable });
  const hooks = createAuthHooks(verifier, audit, vulnerable);
  const limits = createRateLimitHooks({ redis, limits: config.rateLimit, metrics, audit, vulnerable });
  const cache = { redis, fillLockMs: config.cache.fillLockMs, metrics, log: app.log };
  const catalog = new CatalogApi(clients.catalog, {
    products: new ReadThroughCache({ ...cache, name: 'product', ttlSec: config.cache.productTtlSec }),
    lists: new ReadThroughCache({ ...cache, name: 'list', ttlSec: config.cache.listTtlSec }),
  });

  installErrorHandler(app, { verbose: vulnerable.has('verbose-errors') });
  registerDetectionHooks(app, audit);
  registerHttpMetrics(app, registry);
  await registerSecurity(app, config.corsOrigins, vulnerable);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onRequest', limits.perIp);
  app.addHook('onRequest', hooks.authenticate);
  app.addHook('onRequest', limits.perIdentity);

  registerHealth(app, {
    redis: async () => void (await redis.ping()),
    auth: () => expectHealthy(clients.auth),
    catalog: () => expectHealthy(clients.catalog),
  });
  await registerStaticRoutes(app, { webRoot: config.webRoot, vulnerable });
  registerAccountRedirect(app, { vulnerable });
  await app.register(async (scope) => {
    handleApiErrors(scope);
    registerAuthRoutes(scope, { auth: clients.auth, hooks, limits, jwks, vulnerable });
    registerProductRoutes(scope, { catalog, hooks, audit, vulnerable });
    registerOrderRoutes(scope, { catalog, hooks, vulnerable });
    registerWebhookRoutes(scope, { hooks, audit, redis, vulnerable });
    if (vulnerable.has('debug-routes')) registerDebugRoutes(scope, { config, catalog });
    if (vulnerable.has('expose-internals')) registerInternalRoutes(scope, { config, registry });
    await registerGraphql(scope, { config, catalog, audit, login: { auth: clients.auth, limits }, vulnerable });
  });

  app.addHook('onClose', async () => {
    await audit.flush();
    for (const close of closers) await close().catch((err: unknown) => app.log.warn({ err }, 'error while closing'));
  });
  return app;
}

function ownRedis(config: GatewayServiceConfig, app: FastifyInstance, closers: (() => Promise<unknown>)[]): Cluster {
  const redis = createRedisCluster(config.redis, config.instance);
  // Without a listener ioredis reports every reconnect as an unhandled error event.
  redis.on('error', (err: Error) => app.log.warn({ err: err.message }, 'redis cluster error'));
  closers.push(() => redis.quit().catch(() => redis.disconnect()));
  return redis;
}

function createUpstreamClients(config: GatewayServiceConfig, deps: GatewayDeps, metrics: GatewayMetrics, closers: (() => Promise<unknown>)[]) {
  let tls: TlsMaterial | undefined;
  const client = (name: UpstreamName): UpstreamClient => {
    const given = deps.upstreams?.[name];
    let dispatcher = given?.dispatcher;
    if (!dispatcher) {
      tls ??= readTlsMaterial(config.tls);
      const agent = mutualTlsAgent(tls, config.upstreams[name].servername);
      closers.push(() => agent.close());
      dispatcher = agent;
    }
    return new UpstreamClient({ name, baseUrl: given?.url ?? config.upstreams[name].url, dispatcher, policy: MESH_POLICY.edges[`gateway->${name}`], metrics });
  };
  return { auth: client('auth'), catalog: client('catalog') };
}

async function expectHealthy(client: UpstreamClient): Promise<void> {
  const res = await client.request({ method: 'GET', path: '/healthz' }, { requestId: randomUUID() });
  if (res.status !== 200) throw new Error(`${client.name} answered ${res.status}`);
}
