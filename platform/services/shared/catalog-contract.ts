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

/**
 * The JSON schema of an order's body, `{ items: [{ productId, quantity, ...extra }] }`, closed and bounded by
 * ORDER_LIMITS. The catalog and the gateway differ only in what a productId may be (the gateway also takes
 * slug-like ids) and in the mass-assignment switch's `unitPrice` (`extra`).
 */
export function orderBodySchema<P extends object, E extends object = Record<never, never>>(productId: P, extra?: E) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: ORDER_LIMITS.maxItems,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['productId', 'quantity'],
          properties: { productId, quantity: { type: 'integer', minimum: 1, maximum: ORDER_LIMITS.maxQuantity }, ...extra },
        },
      },
    },
  } as const;
}
