import { DRAIN_ON_CLOSE } from '../shared/run-service.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { MESH_POLICY } from '../../mesh/policy.ts';
import { createAuditLog, type AuditLog } from '../shared/audit-log.ts';
import { installErrorHandler } from '../shared/error-handler.ts';
import { registerHealth } from '../shared/health.ts';
import { createRegistry, registerHttpMetrics } from '../shared/http-metrics.ts';
import { enforceMeshCallers } from '../shared/mesh-authz.ts';
import type { CatalogServiceConfig } from '../shared/service-config.ts';
import { mutualTlsServerOptions, readTlsMaterial } from '../shared/tls.ts';
import { createCatalogMetrics } from './catalog-metrics.ts';
import { registerOrderRoutes } from './order-routes.ts';
import { registerProductRoutes } from './product-routes.ts';

export interface CatalogDeps {
  /** Owned by the caller: the app never ends it, so migrations and seeding can share it. */
  readonly pool: pg.Pool;
  /** Defaults to a fresh registry; pass one to read the metrics in-process. */
  readonly registry?: Registry;
  /** Defaults to the config's audit file; flushed when the app closes. */
  readonly audit?: AuditLog;
}

/**
 * The catalog service without its lifecycle: an HTTPS (mutual TLS) fastify instance with every
 * route, not yet listening. main.ts migrates, seeds and listens; tests do the same in-process.
 */
export function buildCatalogApp(config: CatalogServiceConfig, deps: CatalogDeps): FastifyInstance {
  const { pool } = deps;
  const registry = deps.registry ?? createRegistry(config.service, config.instance);
  const audit = deps.audit ?? createAuditLog(config.auditFile, { service: config.service, instance: config.instance }, registry);

  const app = Fastify({
    ...DRAIN_ON_CLOSE,
    https: mutualTlsServerOptions(readTlsMaterial(config.tls)),
    logger: { level: config.logLevel, base: { service: config.service, instance: config.instance } },
    // The gateway forwards its request id, so one id follows a request across services.
    requestIdHeader: 'x-request-id',
    // Every caller passed mutual TLS and the mesh policy: its X-Forwarded-For names the real client.
    trustProxy: true,
    // Reject unknown fields (additionalProperties: false) instead of fastify's default of silently
    // dropping them: an admin misspelling a field must hear about it.
    ajv: { customOptions: { removeAdditional: false } },
  });

  installErrorHandler(app);
  registerHttpMetrics(app, registry);
  enforceMeshCallers(app, MESH_POLICY.allowedCallers.catalog, audit, 'catalog');
  registerHealth(app, {
    postgres: async () => {
      await pool.query('SELECT 1');
    },
  });

  const metrics = createCatalogMetrics(registry);
  const vulnerable = new Set(config.vulnerable ?? []);
  registerProductRoutes(app, { pool, metrics, audit, sqlInjection: vulnerable.has('sql-injection') });
  registerOrderRoutes(app, { pool, metrics, audit, noOwnershipCheck: vulnerable.has('no-ownership-check'), massAssignment: vulnerable.has('mass-assignment') });

  app.addHook('onClose', async () => {
    await audit.flush();
  });
  return app;
}
