import pg from 'pg';

export interface LedgerDatabase {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Rows per idempotency key, read straight from the system of record (not through the API). */
export interface LedgerRow {
  readonly key: string;
  readonly count: number;
}

export const LEDGER_SOURCE = 'PostgreSQL catalog.orders (read directly)';

/**
 * Reads every ledger key back from PostgreSQL: how many order rows carry it. Keys are
 * `ledger-<runId>-<n>`, so one prefix query finds them all (the idempotency key index serves it),
 * including writes whose answer never arrived.
 */
export async function readLedgerRows(db: LedgerDatabase, runId: string, timeoutMs = 10_000): Promise<LedgerRow[]> {
  const client = new pg.Client({ ...db, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  await client.connect();
  try {
    const prefix = `ledger-${runId}-`;
    const { rows } = await client.query<{ key: string; count: string }>(
      'SELECT idempotency_key AS key, count(*) AS count FROM catalog.orders WHERE idempotency_key LIKE $1 GROUP BY idempotency_key',
      [`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
  } finally {
    await client.end().catch(() => {});
  }
}
