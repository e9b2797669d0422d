import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AuditLog } from '../shared/audit-log.ts';
import { timeQuery, type CatalogMetrics } from './catalog-metrics.ts';
import { normalizeOrder, type OrderLine } from './order-request.ts';
import { loadOrders, type OrderFilter } from './order-view.ts';
import { placeOrder } from './place-order.ts';
import { sendError } from './send-error.ts';
import { orderBodySchema } from '../shared/catalog-contract.ts';

export interface OrderRouteDeps {
  readonly pool: pg.Pool;
  readonly metrics: CatalogMetrics;
  readonly audit: AuditLog;
  /** The no-ownership-check switch: any user reads any order by id. */
  readonly noOwnershipCheck?: boolean;
  /** The mass-assignment switch: order items may carry the unitPrice the order is charged at. */
  readonly massAssignment?: boolean;
}

const MAX_KEYS = 100;
/** Visible ASCII without the comma, so keys can be listed in ?keys=k1,k2 unambiguously. */
const KEY_PATTERN = '^[!-+\\--~]{8,100}$';

const userHeaders = {
  type: 'object',
  required: ['x-user-id'],
  properties: {
    'x-user-id': { type: 'string', minLength: 1, maxLength: 100 },
    'x-user-role': { type: 'string' },
  },
} as const;

interface UserHeaders {
  'x-user-id': string;
  'x-user-role'?: string;
}

const isAdmin = (headers: UserHeaders): boolean => headers['x-user-role'] === 'admin';

const productId = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;
/** What the mass-assignment switch lets a client set: the price (numeric(10,2) in the table). */
const clientUnitPrice = { unitPrice: { type: 'number', minimum: 0, maximum: 99_999_999.99 } } as const;

export function registerOrderRoutes(app: FastifyInstance, deps: OrderRouteDeps): void {
  const { pool, metrics, audit } = deps;

  app.post<{ Headers: UserHeaders & { 'idempotency-key': string }; Body: { items: OrderLine[] } }>(
    '/orders',
    {
      schema: {
        headers: {
          type: 'object',
          required: ['x-user-id', 'idempotency-key'],
          properties: { ...userHeaders.properties, 'idempotency-key': { type: 'string', pattern: KEY_PATTERN } },
        },
        body: deps.massAssignment ? orderBodySchema(productId, clientUnitPrice) : orderBodySchema(productId),
      },
    },
    async (request, reply) => {
      let outcome;
      try {
        outcome = await placeOrder(pool, metrics, {
          userId: request.headers['x-user-id'],
          idempotencyKey: request.headers['idempotency-key'],
          // Without the switch the schema refuses unitPrice; dropping it here too keeps it that way should the schema loosen.
          order: normalizeOrder(deps.massAssignment ? request.body.items : request.body.items.map(({ productId, quantity }) => ({ productId, quantity }))),
        });
      } catch (err) {
        metrics.orders.inc({ result: 'error' });
        throw err;
      }
      metrics.orders.inc({ result: outcome.result });
      switch (outcome.result) {
        case 'created':
          // Stock changed: the gateway drops these products from its cache.
          reply.header('x-invalidate-products', outcome.changedProductIds.join(','));
          return reply.code(201).send(outcome.order);
        case 'replayed':
          return reply.code(200).send(outcome.order);
        case 'conflict':
          return sendError(request, reply, 422, 'idempotency_key_reused', 'this Idempotency-Key was already used for a different order');
        case 'out_of_stock':
          return sendError(request, reply, 409, 'out_of_stock', `product ${outcome.productId} has not enough stock`, { productId: outcome.productId });
        case 'unknown_product':
          return sendError(request, reply, 404, 'not_found', `product ${outcome.productId} does not exist`, { productId: outcome.productId });
      }
    },
  );

  app.get<{ Headers: UserHeaders; Querystring: { keys?: string } }>(
    '/orders',
    {
      schema: {
        headers: userHeaders,
        querystring: { type: 'object', properties: { keys: { type: 'string', minLength: 1 } } },
      },
    },
    async (request, reply) => {
      const { keys } = request.query;
      let filter: OrderFilter;
      if (keys !== undefined) {
        if (!isAdmin(request.headers)) {
          audit.record('authz.denied', {
            reason: 'admin_required',
            user: request.headers['x-user-id'],
            ip: request.ip,
            route: request.routeOptions.url,
            requestId: request.id,
          });
          return sendError(request, reply, 403, 'forbidden', 'reading orders by key requires the admin role');
        }
        const list = [...new Set(keys.split(','))];
        if (list.length > MAX_KEYS) return sendError(request, reply, 400, 'bad_request', `at most ${MAX_KEYS} keys per request, got ${list.length}`);
        filter = { by: 'keys', keys: list };
      } else {
        filter = isAdmin(request.headers) ? { by: 'all' } : { by: 'user', userId: request.headers['x-user-id'] };
      }
      return { items: await timeQuery(metrics, `orders_by_${filter.by}`, () => loadOrders(pool, filter)) };
    },
  );

  app.get<{ Headers: UserHeaders; Params: { id: number } }>(
    '/orders/:id',
    {
      schema: {
        headers: userHeaders,
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
      },
    },
    async (request, reply) => {
      const [order] = await timeQuery(metrics, 'order_by_id', () => loadOrders(pool, { by: 'id', id: request.params.id }));
      if (!order) return sendError(request, reply, 404, 'not_found', `order ${request.params.id} does not exist`);
      if (order.userId !== request.headers['x-user-id'] && !isAdmin(request.headers) && !deps.noOwnershipCheck) {
        // Audited, since walking other users' ids is how object-level authorization is attacked.
        audit.record('authz.denied', {
          reason: 'not_owner',
          user: request.headers['x-user-id'],
          ip: request.ip,
          route: request.routeOptions.url,
          requestId: request.id,
          orderId: request.params.id,
        });
        // Someone else's order answers exactly like a missing one, so ids cannot be probed.
        return sendError(request, reply, 404, 'not_found', `order ${request.params.id} does not exist`);
      }
      return order;
    },
  );
}
