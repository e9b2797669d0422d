import { createHash } from 'node:crypto';

export interface OrderLine {
  readonly productId: number;
  readonly quantity: number;
}

export interface NormalizedOrder {
  /** One line per product, by ascending product id: the order in which rows are locked. */
  readonly lines: readonly OrderLine[];
  /** Identifies the request's meaning, so a replay with reordered or split lines is still a replay. */
  readonly hash: string;
}

/** Merges lines of the same product and sorts by product id. */
export function normalizeOrder(items: readonly OrderLine[]): NormalizedOrder {
  const byProduct = new Map<number, number>();
  for (const { productId, quantity } of items) byProduct.set(productId, (byProduct.get(productId) ?? 0) + quantity);
  const lines = [...byProduct].sort(([a], [b]) => a - b).map(([productId, quantity]) => ({ productId, quantity }));
  const hash = createHash('sha256')
    .update(JSON.stringify(lines.map((l) => [l.productId, l.quantity])))
    .digest('hex');
  return { lines, hash };
}
