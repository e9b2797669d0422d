import type { FastifyInstance } from 'fastify';
import type { GatewayServiceConfig } from '../../shared/service-config.ts';
import type { CatalogApi } from '../catalog-api.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { callContext, relay } from '../relay.ts';
import { idParams } from './schemas.ts';

/** Who the legacy API calls the catalog as: an admin, which is what made it a hole. */
const LEGACY_CALLER: AuthUser = { id: 'legacy-api-v0', username: 'legacy-api-v0', role: 'admin', jti: 'legacy-api-v0' };

/**
 * The debug-routes switch: what a forgotten debug build and an undecommissioned API version leave
 * behind. /debug/vars (process and config internals), /.env (the service's secrets), and the v0
 * order API, which never learnt authentication. (GraphiQL at /graphiql comes with the GraphQL
 * registration.) Without the switch none of these exist: 404, and an audited route.probe.
 */
export function registerDebugRoutes(app: FastifyInstance, deps: { config: GatewayServiceConfig; catalog: CatalogApi }): void {
  const { config, catalog } = deps;

  app.get('/debug/vars', async () => ({
    instance: config.instance,
    pid: process.pid,
    node: process.version,
    argv: process.argv,
    uptimeSec: process.uptime(),
    memory: process.memoryUsage(),
    configFile: process.env['CRUCIBLE_SERVICE_CONFIG'] ?? null,
    config,
  }));

  app.get('/.env', async (_request, reply) => {
    const lines = [
      `NODE_ENV=${process.env['NODE_ENV'] ?? ''}`,
      `CRUCIBLE_MODE=${config.mode}`,
      `REDIS_NODES=${config.redis.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
      `REDIS_PASSWORD=${config.redis.password}`,
      `AUTH_URL=${config.upstreams.auth.url}`,
      `CATALOG_URL=${config.upstreams.catalog.url}`,
      `TLS_KEY_FILE=${config.tls.keyFile}`,
      `JWT_ISSUER=${config.jwt.issuer}`,
    ];
    return reply.type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
  });

  app.get<{ Params: { id: string } }>('/api/v0/orders/:id', { schema: { params: idParams } }, async (request, reply) =>
    relay(reply, await catalog.order(request.params.id, LEGACY_CALLER, callContext(request))),
  );
}
