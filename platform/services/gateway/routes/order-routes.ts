import type { FastifyInstance } from 'fastify';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { CatalogApi, OrderItemInput } from '../catalog-api.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { callContext, relay } from '../relay.ts';
import { idempotencyHeaders, idParams, noQuery, orderBody, orderBodyWithPrices } from './schemas.ts';

/**
 * Orders, for signed-in users; the catalog scopes them by the X-User-Id / X-User-Role the gateway
 * vouches for. The mass-assignment switch lets items carry a unitPrice through to the catalog.
 */
export function registerOrderRoutes(app: FastifyInstance, deps: { catalog: CatalogApi; hooks: AuthHooks; vulnerable: ReadonlySet<VulnerableSwitch> }): void {
  const { catalog, hooks } = deps;
  const body = deps.vulnerable.has('mass-assignment') ? orderBodyWithPrices : orderBody;

  app.post<{ Body: { items: OrderItemInput[] }; Headers: { 'idempotency-key': string } }>(
    '/api/orders',
    { preValidation: hooks.requireUser, schema: { querystring: noQuery, headers: idempotencyHeaders, body } },
    async (request, reply) =>
      relay(reply, await catalog.placeOrder(request.body.items, request.headers['idempotency-key'], request.user as AuthUser, callContext(request))),
  );

  app.get('/api/orders', { preValidation: hooks.requireUser, schema: { querystring: noQuery } }, async (request, reply) =>
    relay(reply, await catalog.listOrders(request.user as AuthUser, callContext(request))),
  );

  app.get<{ Params: { id: string } }>(
    '/api/orders/:id',
    { preValidation: hooks.requireUser, schema: { querystring: noQuery, params: idParams } },
    async (request, reply) => relay(reply, await catalog.order(request.params.id, request.user as AuthUser, callContext(request))),
  );
}
