import type pg from 'pg';

export interface OrderItemView {
  readonly productId: number;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface OrderView {
  readonly id: number;
  readonly status: 'confirmed';
  readonly total: number;
  readonly createdAt: string;
  readonly idempotencyKey: string;
  /** Lets the admin views (and the data-loss ledger) tell whose order it is. */
  readonly userId: string;
  readonly items: readonly OrderItemView[];
}

interface OrderRow {
  id: string;
  user_id: string;
  idempotency_key: string;
  status: 'confirmed';
  total: number;
  created_at: Date;
  items: OrderItemView[];
}

/** Newest first, and never more than this many: listings are for people and the ledger, not exports. */
const MAX_ORDERS_LISTED = 100;

/** Items come along as one JSON array per order, so a page of orders is one query, not 1 + N. */
const ORDER_SELECT = `
  SELECT o.id, o.user_id, o.idempotency_key, o.status, o.total::float8 AS total, o.created_at,
         COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity, 'unitPrice', i.unit_price::float8)
                                   ORDER BY i.product_id)
                     FROM catalog.order_items i WHERE i.order_id = o.id), '[]'::json) AS items
    FROM catalog.orders o`;

export type OrderFilter =
  | { readonly by: 'id'; readonly id: number }
  | { readonly by: 'user'; readonly userId: string }
  | { readonly by: 'keys'; readonly keys: readonly string[] }
  | { readonly by: 'all' };

function whereOf(filter: OrderFilter): { clause: string; values: unknown[] } {
  switch (filter.by) {
    case 'id':
      return { clause: 'WHERE o.id = $1', values: [filter.id] };
    case 'user':
      return { clause: 'WHERE o.user_id = $1', values: [filter.userId] };
    case 'keys':
      return { clause: 'WHERE o.idempotency_key = ANY($1::text[])', values: [filter.keys] };
    case 'all':
      return { clause: '', values: [] };
  }
}

/** `db` is the pool, or the client of an open transaction that must see its own order. */
export async function loadOrders(db: pg.Pool | pg.PoolClient, filter: OrderFilter): Promise<OrderView[]> {
  const { clause, values } = whereOf(filter);
  const { rows } = await db.query<OrderRow>(`${ORDER_SELECT} ${clause} ORDER BY o.id DESC LIMIT ${MAX_ORDERS_LISTED}`, values);
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    total: r.total,
    createdAt: r.created_at.toISOString(),
    idempotencyKey: r.idempotency_key,
    userId: r.user_id,
    items: r.items,
  }));
}
