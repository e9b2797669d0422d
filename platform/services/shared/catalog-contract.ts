/**
 * What the catalog service and its callers (the gateway, fixtures, scenarios) agree on. One
 * definition, because the gateway once accepted orders the catalog refused (100 items vs 20).
 */
export interface Product {
  readonly id: number;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  /** Currency units with at most two decimals (cents). */
  readonly price: number;
  readonly stock: number;
}

/** Bounds of one order, enforced by the catalog and checked early by the gateway (REST and GraphQL). */
export const ORDER_LIMITS = { maxItems: 20, maxQuantity: 100 } as const;
