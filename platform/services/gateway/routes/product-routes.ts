import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../shared/audit-log.ts';
import { auditFields } from '../audit-fields.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { CatalogApi, ProductQuery } from '../catalog-api.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { callContext, relay } from '../relay.ts';
import { idParams, noQuery, productListQuery, productPatchBody } from './schemas.ts';

/** Product reads (cached, `x-cache` says whether Redis answered) and the admin update (invalidates, audited). */
export function registerProductRoutes(app: FastifyInstance, deps: { catalog: CatalogApi; hooks: AuthHooks; audit: AuditLog }): void {
  const { catalog, hooks, audit } = deps;

  app.get<{ Querystring: ProductQuery }>('/api/products', { schema: { querystring: productListQuery } }, async (request, reply) => {
    const { response, hit } = await catalog.listProducts(request.query, callContext(request));
    return relay(reply.header('x-cache', hit ? 'hit' : 'miss'), response);
  });

  app.get<{ Params: { id: string } }>('/api/products/:id', { schema: { querystring: noQuery, params: idParams } }, async (request, reply) => {
    const { response, hit } = await catalog.product(request.params.id, callContext(request));
    return relay(reply.header('x-cache', hit ? 'hit' : 'miss'), response);
  });

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/products/:id',
    { preValidation: hooks.requireAdmin, schema: { querystring: noQuery, params: idParams, body: productPatchBody } },
    async (request, reply) => {
      const res = await catalog.updateProduct(request.params.id, request.body, request.user as AuthUser, callContext(request));
      audit.record('admin.action', { ...auditFields(request), action: 'product.update', productId: request.params.id, fields: Object.keys(request.body), status: res.status });
      return relay(reply, res);
    },
  );
}
