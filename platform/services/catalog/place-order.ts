import type pg from 'pg';
import { timeQuery, type CatalogMetrics } from './catalog-metrics.ts';
import type { NormalizedOrder } from './order-request.ts';
import { loadOrders, type OrderItemView, type OrderView } from './order-view.ts';

export type PlaceOrderOutcome =
  | { readonly result: 'created'; readonly order: OrderView; readonly changedProductIds: readonly number[] }
  | { readonly result: 'replayed'; readonly order: OrderView }
  | { readonly result: 'conflict' }
  | { readonly result: 'out_of_stock'; readonly productId: number }
  | { readonly result: 'unknown_product'; readonly productId: number };

export interface PlaceOrderInput {
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly order: NormalizedOrder;
}

/** Signals a business outcome that must undo the transaction; not an error of the service. */
class Abort {
  readonly outcome: PlaceOrderOutcome;
  constructor(outcome: PlaceOrderOutcome) {
    this.outcome = outcome;
  }
}

/**
 * Places an order in one transaction. The order row goes in first with ON CONFLICT DO NOTHING:
 * a concurrent request with the same (user, key) waits on the unique index until the first commits
 * or rolls back, so duplicates can never both take stock. Product rows are then locked in id order
 * (no deadlock between orders sharing products), checked and decremented; any shortfall rolls back
 * everything, the order row included, so the key can be retried once stock is back.
 */
export async function placeOrder(pool: pg.Pool, metrics: CatalogMetrics, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
  const { userId, idempotencyKey, order } = input;
  const productIds = order.lines.map((l) => l.productId);
  const quantities = order.lines.map((l) => l.quantity);
  const client = await pool.connect();
  let broken: Error | undefined;
  const q = <R extends pg.QueryResultRow>(query: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> =>
    timeQuery(metrics, query, () => client.query<R>(text, values));
  try {
    await q('order_begin', 'BEGIN');
    try {
      const inserted = await q<{ id: string; created_at: Date }>(
        'order_insert',
        `INSERT INTO catalog.orders (user_id, idempotency_key, request_hash, status, total)
         VALUES ($1, $2, $3, 'confirmed', 0)
         ON CONFLICT (user_id, idempotency_key) DO NOTHING
         RETURNING id, created_at`,
        [userId, idempotencyKey, order.hash],
      );
      const created = inserted.rows[0];
      if (!created) throw new Abort(await existingOutcome(client, metrics, input));

      const locked = await q<{ id: number; stock: number }>(
        'order_lock_products',
        'SELECT id, stock FROM catalog.products WHERE id = ANY($1::integer[]) ORDER BY id FOR UPDATE',
        [productIds],
      );
      const stockById = new Map(locked.rows.map((r) => [r.id, r.stock]));
      for (const line of order.lines) {
        const stock = stockById.get(line.productId);
        if (stock === undefined) throw new Abort({ result: 'unknown_product', productId: line.productId });
        if (stock < line.quantity) throw new Abort({ result: 'out_of_stock', productId: line.productId });
      }

      // The rows are locked, so the guard cannot fail here; it stays as the last line of defence
      // should the locking above ever change.
      const decremented = await q<{ id: number }>(
        'order_decrement_stock',
        `UPDATE catalog.products AS p SET stock = p.stock - u.quantity, updated_at = now()
           FROM unnest($1::integer[], $2::integer[]) AS u(product_id, quantity)
          WHERE p.id = u.product_id AND p.stock >= u.quantity
          RETURNING p.id`,
        [productIds, quantities],
      );
      if (decremented.rowCount !== order.lines.length) {
        const done = new Set(decremented.rows.map((r) => r.id));
        throw new Abort({ result: 'out_of_stock', productId: productIds.find((id) => !done.has(id)) ?? productIds[0] ?? 0 });
      }

      // Prices are taken from the locked rows inside the transaction, and the total summed in numeric;
      // only lines the mass-assignment switch let through carry a price of the client's own.
      const claimed = order.lines.some((l) => l.unitPrice !== undefined);
      const filled = await q<{ total: number; items: OrderItemView[] }>(
        'order_insert_items',
        `WITH items AS (
           INSERT INTO catalog.order_items (order_id, product_id, quantity, unit_price)
           ${
             claimed
               ? `SELECT $1, p.id, u.quantity, COALESCE(u.unit_price, p.price)
             FROM unnest($2::integer[], $3::integer[], $4::numeric[]) AS u(product_id, quantity, unit_price)`
               : `SELECT $1, p.id, u.quantity, p.price
             FROM unnest($2::integer[], $3::integer[]) AS u(product_id, quantity)`
           }
             JOIN catalog.products p ON p.id = u.product_id
           RETURNING product_id, quantity, unit_price
         ), totals AS (
           UPDATE catalog.orders SET total = (SELECT sum(quantity * unit_price) FROM items) WHERE id = $1 RETURNING total
         )
         SELECT (SELECT total::float8 FROM totals) AS total,
                (SELECT json_agg(json_build_object('productId', product_id, 'quantity', quantity, 'unitPrice', unit_price::float8)
                                 ORDER BY product_id) FROM items) AS items`,
        claimed ? [created.id, productIds, quantities, order.lines.map((l) => l.unitPrice ?? null)] : [created.id, productIds, quantities],
      );
      await q('order_commit', 'COMMIT');
      const row = filled.rows[0];
      if (!row) throw new Error('order items insert returned no row');
      return {
        result: 'created',
        changedProductIds: productIds,
        order: {
          id: Number(created.id),
          status: 'confirmed',
          total: row.total,
          createdAt: created.created_at.toISOString(),
          idempotencyKey,
          userId,
          items: row.items,
        },
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if (err instanceof Abort) return err.outcome;
      throw err;
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // A connection that failed mid-transaction may be dead or confused: drop it rather than reuse it.
    client.release(broken);
  }
}

/** The key was used before: the same request is a replay, another one a conflict. */
async function existingOutcome(client: pg.PoolClient, metrics: CatalogMetrics, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
  const { rows } = await timeQuery(metrics, 'order_existing', () =>
    client.query<{ id: string; request_hash: string }>('SELECT id, request_hash FROM catalog.orders WHERE user_id = $1 AND idempotency_key = $2', [
      input.userId,
      input.idempotencyKey,
    ]),
  );
  const existing = rows[0];
  if (!existing) throw new Error('order key conflicted but no order holds it');
  if (existing.request_hash !== input.order.hash) return { result: 'conflict' };
  const [order] = await timeQuery(metrics, 'order_load', () => loadOrders(client, { by: 'id', id: Number(existing.id) }));
  if (!order) throw new Error(`order ${existing.id} vanished while replaying it`);
  return { result: 'replayed', order };
}
