import { randomUUID } from 'node:crypto';
import { DRAIN_ON_CLOSE } from '../shared/run-service.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Cluster } from 'ioredis';
import type pg from 'pg';
import { Counter, type Registry } from 'prom-client';
import { MESH_POLICY } from '../../mesh/policy.ts';
import { createAuditLog, type AuditLog } from '../shared/audit-log.ts';
import { installErrorHandler } from '../shared/error-handler.ts';
import { registerHealth } from '../shared/health.ts';
import { createRegistry, registerHttpMetrics } from '../shared/http-metrics.ts';
import { enforceMeshCallers } from '../shared/mesh-authz.ts';
import type { AuthServiceConfig } from '../shared/service-config.ts';
import { mutualTlsServerOptions, type TlsMaterial } from '../shared/tls.ts';
import { createAccessTokenVerifier } from './access-token-verifier.ts';
import type { AuthServices } from './auth-services.ts';
import { registerJwksRoute } from './jwks-route.ts';
import { createLoginLockout } from './login-lockout.ts';
import { registerLoginRoute } from './login-route.ts';
import { registerLogoutRoute } from './logout-route.ts';
import { createPasswordHasher } from './password-hasher.ts';
import { createRefreshTokenStore } from './refresh-token-store.ts';
import { registerRefreshRoute } from './refresh-route.ts';
import { registerUserRecordRoute } from './user-record-route.ts';
import { loadSigningKeys } from './signing-keys.ts';
import { createTokenIssuer } from './token-issuer.ts';

export interface AuthAppDeps {
  readonly pool: pg.Pool;
  readonly redis: Cluster;
  /** CA, certificate and key this instance serves mutual TLS with. */
  readonly tls: TlsMaterial;
  /** Injected by tests that want to read metrics; otherwise a fresh registry per app. */
  readonly registry?: Registry;
  readonly audit?: AuditLog;
}

/**
 * The auth service as a Fastify app over HTTPS with mutual TLS, not yet listening. The caller owns
 * pool and redis (and closes them); closing the app flushes the audit log.
 */
export async function buildAuthApp(config: AuthServiceConfig, deps: AuthAppDeps): Promise<FastifyInstance> {
  const registry = deps.registry ?? createRegistry('auth', config.instance);
  const audit = deps.audit ?? createAuditLog(config.auditFile, { service: 'auth', instance: config.instance }, registry);
  const keys = await loadSigningKeys(config.jwt.privateKeyFile, config.jwt.kid);
  const services: AuthServices = {
    config,
    pool: deps.pool,
    redis: deps.redis,
    hasher: await createPasswordHasher(config.passwordHash),
    keys,
    issuer: createTokenIssuer(config.jwt, keys),
    verifyAccessToken: createAccessTokenVerifier(config.jwt, keys),
    refreshTokens: createRefreshTokenStore(deps.redis, config.jwt.refreshTokenTtlSec),
    lockout: createLoginLockout(deps.redis, config.lockout, { lock: !config.vulnerable?.includes('no-login-throttle') }),
    audit,
    logins: new Counter({ name: 'auth_logins_total', help: 'Login attempts by result', labelNames: ['result'], registers: [registry] }),
  };
  // Every result series exists from the start, so rate() and absence alerts see a 0, not no data.
  for (const result of ['success', 'invalid_credentials', 'locked']) services.logins.inc({ result }, 0);

  const app = Fastify({
    ...DRAIN_ON_CLOSE,
    https: mutualTlsServerOptions(deps.tls),
    logger: { level: config.logLevel, base: { service: 'auth', instance: config.instance } },
    // Correlate with the gateway's request id; fall back to our own.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 16 * 1024,
    // Fastify's defaults strip unknown properties and coerce types; the schemas mean what they say.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });

  installErrorHandler(app);
  enforceMeshCallers(app, MESH_POLICY.allowedCallers.auth, audit, 'auth');
  registerHttpMetrics(app, registry);
  registerHealth(app, {
    postgres: async () => {
      await deps.pool.query('SELECT 1');
    },
    redis: async () => {
      await deps.redis.ping();
    },
  });
  registerJwksRoute(app, keys);
  registerLoginRoute(app, services);
  registerRefreshRoute(app, services);
  registerLogoutRoute(app, services);
  if (config.vulnerable?.includes('excessive-exposure')) registerUserRecordRoute(app, deps.pool);
  app.addHook('onClose', async () => audit.flush());
  return app;
}
