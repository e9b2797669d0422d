import DataLoader from 'dataloader';
import type { CatalogApi, Product } from '../catalog-api.ts';
import type { CallContext } from '../upstream-client.ts';

/** Ids per catalog call; more in one request split into several calls. */
const MAX_IDS_PER_CALL = 100;

/**
 * One loader per HTTP request: every product lookup of the request (aliases, OrderItem.product and
 * all operations of a batch, which mercurius runs concurrently) becomes one `GET /products?ids=`.
 * The batch is dispatched on setImmediate rather than DataLoader's default (right after the
 * current promise jobs): a margin for batch operations whose resolvers start some turns apart.
 */
export function createProductLoader(catalog: CatalogApi, ctx: CallContext): DataLoader<string, Product | null> {
  return new DataLoader<string, Product | null>((ids) => catalog.productsByIds(ids, ctx), {
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
    maxBatchSize: MAX_IDS_PER_CALL,
  });
}
