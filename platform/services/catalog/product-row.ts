import type { Product } from '../shared/catalog-contract.ts';

/** The product as the catalog's API returns it. */
export interface ProductView extends Product {
  readonly updatedAt: string;
}

/**
 * Columns for ProductView. price is numeric(10,2): float8 holds every such value exactly enough to
 * print it back with its two decimals, and spares every client from parsing a string.
 */
export const PRODUCT_COLUMNS = 'id, sku, name, description, category, price::float8 AS price, stock, updated_at';

interface ProductRow extends Product {
  readonly updated_at: Date;
}

export function toProductView(row: ProductRow): ProductView {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    price: row.price,
    stock: row.stock,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The stored to_tsvector('english', name || ' ' || description) column, GIN-indexed. */
export const SEARCH_VECTOR = 'search';
