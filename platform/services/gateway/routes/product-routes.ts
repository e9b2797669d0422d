import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../shared/audit-log.ts';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';
import { auditFields } from '../audit-fields.ts';
import type { AuthHooks } from '../authenticate.ts';
import type { CatalogApi, ProductQuery } from '../catalog-api.ts';
import type { AuthUser } from '../jwt-verifier.ts';
import { callContext, relay } from '../relay.ts';
import { idParams, noQuery, productListQuery, productListQueryAnyText, productPatchBody } from './schemas.ts';

/**
 * Product reads (cached, `x-cache` says whether Redis answered) and the admin update (invalidates,
 * audited). Switches: no-admin-check (any signed-in user may update), sql-injection (search text
 * is not checked here, so the catalog's concatenated SQL receives it).
 */
export function registerProductRoutes(
  app: FastifyInstance,
  deps: { catalog: CatalogApi; hooks: AuthHooks; audit: AuditLog; vulnerable: ReadonlySet<VulnerableSwitch> },
): void {
  const { catalog, hooks, audit, vulnerable } = deps;
  const listQuery = vulnerable.has('sql-injection') ? productListQueryAnyText : productListQuery;
  const mayUpdate = vulnerable.has('no-admin-check') ? hooks.requireUser : hooks.requireAdmin;

  app.get<{ Querystring: ProductQuery }>('/api/products', { schema: { querystring: listQuery } }, async (request, reply) => {
    const { response, hit } = await catalog.listProducts(request.query, callContext(request));
    return relay(reply.header('x-cache', hit ? 'hit' : 'miss'), response);
  });

  app.get<{ Params: { id: string } }>('/api/products/:id', { schema: { querystring: noQuery, params: idParams } }, async (request, reply) => {
    const { response, hit } = await catalog.product(request.params.id, callContext(request));
    return relay(reply.header('x-cache', hit ? 'hit' : 'miss'), response);
  });

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/products/:id',
    { preValidation: mayUpdate, schema: { querystring: noQuery, params: idParams, body: productPatchBody } },
    async (request, reply) => {
      const res = await catalog.updateProduct(request.params.id, request.body, request.user as AuthUser, callContext(request));
      audit.record('admin.action', {
        ...auditFields(request),
        action: 'product.update',
        productId: request.params.id,
        fields: Object.keys(request.body),
        status: res.status,
      });
      return relay(reply, res);
    },
  );
}
