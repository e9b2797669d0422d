import { createHash } from 'node:crypto';

export interface OrderLine {
  readonly productId: number;
  readonly quantity: number;
  /** Only with the mass-assignment switch: the price the client claims (the last one given for a product wins). */
  readonly unitPrice?: number;
}

export interface NormalizedOrder {
  /** One line per product, by ascending product id: the order in which rows are locked. */
  readonly lines: readonly OrderLine[];
  /** Identifies the request's meaning, so a replay with reordered or split lines is still a replay. */
  readonly hash: string;
}

/** Merges lines of the same product and sorts by product id. */
export function normalizeOrder(items: readonly OrderLine[]): NormalizedOrder {
  const byProduct = new Map<number, { quantity: number; unitPrice?: number }>();
  for (const { productId, quantity, unitPrice } of items) {
    const merged = { quantity: (byProduct.get(productId)?.quantity ?? 0) + quantity, unitPrice: unitPrice ?? byProduct.get(productId)?.unitPrice };
    byProduct.set(productId, merged);
  }
  const lines = [...byProduct]
    .sort(([a], [b]) => a - b)
    .map(([productId, { quantity, unitPrice }]) => (unitPrice === undefined ? { productId, quantity } : { productId, quantity, unitPrice }));
  // A claimed price is part of the request's meaning; without one the hash is what it always was.
  const hash = createHash('sha256')
    .update(JSON.stringify(lines.map((l) => (l.unitPrice === undefined ? [l.productId, l.quantity] : [l.productId, l.quantity, l.unitPrice]))))
    .digest('hex');
  return { lines, hash };
}
