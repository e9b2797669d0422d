import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AuditLog } from '../shared/audit-log.ts';
import { timeQuery, type CatalogMetrics } from './catalog-metrics.ts';
import { PRODUCT_COLUMNS, SEARCH_VECTOR, toProductView } from './product-row.ts';
import { sendError } from './send-error.ts';

export interface ProductRouteDeps {
  readonly pool: pg.Pool;
  readonly metrics: CatalogMetrics;
  readonly audit: AuditLog;
  /** The sql-injection switch: `q` is pasted into the SQL text instead of bound as a parameter. */
  readonly sqlInjection?: boolean;
}

const MAX_IDS = 100;
/** products.id is an integer column: a larger id cannot exist, and would fail the cast. */
const MAX_PRODUCT_ID = 2_147_483_647;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: MAX_PRODUCT_ID } },
} as const;

interface ListQuery {
  limit: number;
  cursor?: number;
  category?: string;
  q?: string;
  ids?: string;
}

interface ProductPatch {
  name?: string;
  description?: string;
  price?: number;
  stock?: number;
}

export function registerProductRoutes(app: FastifyInstance, deps: ProductRouteDeps): void {
  const { pool, metrics, audit } = deps;

  // One route, two reads: ?ids= is the gateway's batched lookup (it wins over the paging parameters);
  // otherwise a keyset page.
  app.get<{ Querystring: ListQuery }>(
    '/products',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            cursor: { type: 'integer', minimum: 0, maximum: MAX_PRODUCT_ID },
            category: { type: 'string', minLength: 1, maxLength: 100 },
            q: { type: 'string', minLength: 1, maxLength: 200 },
            ids: { type: 'string', pattern: '^[0-9]{1,10}(,[0-9]{1,10})*$' },
          },
        },
      },
    },
    async (request, reply) => {
      const { limit, cursor, category, q, ids } = request.query;
      if (ids !== undefined) {
        const wanted = ids.split(',').map(Number);
        if (wanted.length > MAX_IDS) return sendError(request, reply, 400, 'bad_request', `at most ${MAX_IDS} ids per request, got ${wanted.length}`);
        const existing = [...new Set(wanted.filter((id) => id >= 1 && id <= MAX_PRODUCT_ID))];
        const { rows } = await timeQuery(metrics, 'products_by_ids', () =>
          pool.query(`SELECT ${PRODUCT_COLUMNS} FROM catalog.products WHERE id = ANY($1::integer[]) ORDER BY id`, [existing]),
        );
        metrics.originReads.inc({ kind: 'by_ids' }, rows.length);
        return { items: rows.map(toProductView) };
      }

      // Only the filters present go into the SQL, so each shape gets its own index-friendly plan.
      const values: unknown[] = [];
      const where: string[] = [];
      if (cursor !== undefined) where.push(`id > $${values.push(cursor)}`);
      if (category !== undefined) where.push(`category = $${values.push(category)}`);
      let sql: string;
      if (deps.sqlInjection && q !== undefined) {
        // Deliberately vulnerable: q is concatenated (last, with the limit inlined, so a payload
        // ending in a comment still leaves a runnable statement behind it).
        where.push(`${SEARCH_VECTOR} @@ plainto_tsquery('english', '${q}')`);
        sql = `SELECT ${PRODUCT_COLUMNS} FROM catalog.products WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit + 1}`;
      } else {
        if (q !== undefined) where.push(`${SEARCH_VECTOR} @@ plainto_tsquery('english', $${values.push(q)})`);
        // One row more than asked tells whether a next page exists without a count.
        sql = `SELECT ${PRODUCT_COLUMNS} FROM catalog.products ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${values.push(limit + 1)}`;
      }
      const { rows } = await timeQuery(metrics, 'products_page', () => pool.query(sql, values));
      metrics.originReads.inc({ kind: 'page' }, rows.length);
      const items = rows.slice(0, limit).map(toProductView);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },
  );

  app.get<{ Params: { id: number } }>('/products/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { rows } = await timeQuery(metrics, 'product_by_id', () =>
      pool.query(`SELECT ${PRODUCT_COLUMNS} FROM catalog.products WHERE id = $1`, [request.params.id]),
    );
    metrics.originReads.inc({ kind: 'by_id' }, rows.length);
    if (!rows[0]) return sendError(request, reply, 404, 'not_found', `product ${request.params.id} does not exist`);
    return toProductView(rows[0]);
  });

  app.put<{ Params: { id: number }; Body: ProductPatch }>(
    '/products/:id',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            description: { type: 'string', maxLength: 2_000 },
            price: { type: 'number', minimum: 0, maximum: 99_999_999.99 },
            stock: { type: 'integer', minimum: 0, maximum: MAX_PRODUCT_ID },
          },
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const patch = request.body;
      // JSON Schema's multipleOf is unreliable for 0.01 with binary floats; this round trip is exact.
      if (patch.price !== undefined && Math.round(patch.price * 100) / 100 !== patch.price) {
        return sendError(request, reply, 400, 'bad_request', 'price must have at most two decimals');
      }
      const fields = (['name', 'description', 'price', 'stock'] as const).filter((f) => patch[f] !== undefined);
      const values: unknown[] = [id];
      const sets = fields.map((f) => `${f} = $${values.push(patch[f])}`);
      const { rows } = await timeQuery(metrics, 'product_update', () =>
        pool.query(`UPDATE catalog.products SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}`, values),
      );
      audit.record('admin.action', {
        action: 'product.update',
        outcome: rows[0] ? 'updated' : 'not_found',
        productId: id,
        fields,
        user: request.headers['x-user-id'] ?? null,
        ip: request.ip,
        route: request.routeOptions.url,
        requestId: request.id,
      });
      if (!rows[0]) return sendError(request, reply, 404, 'not_found', `product ${id} does not exist`);
      reply.header('x-invalidate-products', String(id));
      return toProductView(rows[0]);
    },
  );
}
