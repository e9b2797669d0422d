import { Counter, Histogram, type Registry } from 'prom-client';

export type OriginReadKind = 'by_id' | 'by_ids' | 'page';
/**
 * 'unknown_product' is not an error of the service: keeping it apart from 'error' lets an alert on
 * the error rate ignore clients that order products which do not exist.
 */
export type OrderResult = 'created' | 'replayed' | 'out_of_stock' | 'conflict' | 'unknown_product' | 'error';

export interface CatalogMetrics {
  /** Product rows read from PostgreSQL: the origin cost the gateway's cache saves. */
  readonly originReads: Counter<'kind'>;
  readonly orders: Counter<'result'>;
  readonly dbQueryDuration: Histogram<'query'>;
}

/** Finer than the HTTP buckets at the low end: most catalog queries take well under 5 ms. */
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5];

export function createCatalogMetrics(registry: Registry): CatalogMetrics {
  return {
    originReads: new Counter({
      name: 'catalog_origin_reads_total',
      help: 'Product rows read from PostgreSQL, by kind of read',
      labelNames: ['kind'],
      registers: [registry],
    }),
    orders: new Counter({ name: 'catalog_orders_total', help: 'Order placements, by result', labelNames: ['result'], registers: [registry] }),
    dbQueryDuration: new Histogram({
      name: 'catalog_db_query_duration_seconds',
      help: 'PostgreSQL query duration, by query',
      labelNames: ['query'],
      buckets: DB_BUCKETS,
      registers: [registry],
    }),
  };
}

/** Runs one query and records its duration, failed ones included (a timeout is the slowest query of all). */
export async function timeQuery<T>(metrics: CatalogMetrics, query: string, run: () => Promise<T>): Promise<T> {
  const end = metrics.dbQueryDuration.startTimer({ query });
  try {
    return await run();
  } finally {
    end();
  }
}
