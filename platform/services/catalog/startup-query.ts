import type pg from 'pg';

/**
 * A query allowed to outlast the pool's request-path query_timeout (migrations, seeding): pg reads a
 * per-query query_timeout at runtime, but its type definitions do not declare the field.
 */
export function startupQuery(client: pg.PoolClient, timeoutMs: number, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const config: pg.QueryConfig = Object.assign({ text, values }, { query_timeout: timeoutMs });
  return client.query(config);
}
