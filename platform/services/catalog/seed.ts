import type pg from 'pg';
import { startupQuery } from './startup-query.ts';
import { generateCatalog } from '../../../fixtures/catalog.ts';

export interface SeedResult {
  /** Products inserted by this call: 0 when the table already held products. */
  readonly inserted: number;
  readonly ms: number;
}

/** Distinct from the migration lock: seeding runs after migrations and must not hold them up. */
const SEED_LOCK_KEY = 0x63_61_74_02;
const SEED_TIMEOUT_MS = 300_000;

/**
 * Fills catalog.products from fixtures/catalog.ts when, and only when, it is empty: a restart keeps
 * the stock that orders consumed. One INSERT ... SELECT FROM unnest(...) sends all rows in a single
 * round trip; the transaction-scoped advisory lock makes concurrent replicas seed exactly once.
 */
export async function seedCatalog(pool: pg.Pool, seed: { readonly products: number; readonly seed: number }): Promise<SeedResult> {
  const started = performance.now();
  const client = await pool.connect();
  let failed = false;
  try {
    const q = (text: string, values: unknown[] = []): Promise<pg.QueryResult> => startupQuery(client, SEED_TIMEOUT_MS, text, values);
    await q('BEGIN');
    try {
      await q('SET LOCAL statement_timeout = 0');
      await q('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
      const { rows } = await q('SELECT EXISTS (SELECT 1 FROM catalog.products) AS seeded');
      if ((rows[0] as { seeded: boolean }).seeded) {
        await q('COMMIT');
        return { inserted: 0, ms: performance.now() - started };
      }
      const products = generateCatalog(seed.products, seed.seed);
      const result = await q(
        `INSERT INTO catalog.products (id, sku, name, description, category, price, stock)
         SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::integer[])`,
        [
          products.map((p) => p.id),
          products.map((p) => p.sku),
          products.map((p) => p.name),
          products.map((p) => p.description),
          products.map((p) => p.category),
          products.map((p) => p.price.toFixed(2)),
          products.map((p) => p.stock),
        ],
      );
      // The bulk insert parks its search entries in the GIN pending list, which every search then
      // scans linearly and which makes the planner shun the index until autovacuum gets round to it:
      // merge it now. Cheaper than inserting with fastupdate off (~1 s instead of ~0.1 s here).
      await q("SELECT gin_clean_pending_list('catalog.products_search_idx')");
      await q('COMMIT');
      // Fresh statistics right away, so the first pages and searches get index plans, not guesses.
      await q('ANALYZE catalog.products');
      return { inserted: result.rowCount ?? 0, ms: performance.now() - started };
    } catch (err) {
      failed = true;
      await q('ROLLBACK').catch(() => {});
      throw new Error(`catalog seed failed: ${(err as Error).message}`, { cause: err });
    }
  } finally {
    client.release(failed);
  }
}
