import type { DataLossLedger } from '../result/summary-model.ts';

/** One write the ledger's writer attempted. */
export interface LedgerWrite {
  /** The idempotency key, unique per write. */
  readonly key: string;
  /** The platform answered 2xx with an order id. */
  readonly acknowledged: boolean;
  readonly orderId?: string;
}

/** How many rows of the system of record carry an idempotency key. */
export interface LedgerRow {
  readonly key: string;
  readonly count: number;
}

export interface LedgerInput {
  readonly writes: readonly LedgerWrite[];
  readonly rows: readonly LedgerRow[];
  /** Where the rows were read from, e.g. 'PostgreSQL orders table'. */
  readonly source: string;
}

/** How many keys the lists keep; the counts are always complete. */
export const LEDGER_LIST_LIMIT = 50;

/**
 * Compares what the platform acknowledged with what it kept. Writes are counted per key: a key
 * written twice (a retry with the same idempotency key) is one write, acknowledged when any
 * attempt was. Rows are summed per key. Lost: acknowledged, no row. Duplicated: more than one
 * row, acknowledged or not, written by this run or not (any duplicate breaks idempotency).
 * Applied unacknowledged: no acknowledgement but a row (informational: the client would retry
 * and the idempotency key makes that safe).
 */
export function dataLossLedger(input: LedgerInput): DataLossLedger {
  const acked = new Map<string, boolean>();
  for (const w of input.writes) acked.set(w.key, (acked.get(w.key) ?? false) || w.acknowledged);
  const rows = new Map<string, number>();
  for (const r of input.rows) rows.set(r.key, (rows.get(r.key) ?? 0) + r.count);

  const lost = [...acked].filter(([key, ok]) => ok && (rows.get(key) ?? 0) === 0).map(([key]) => key);
  const duplicated = [...rows].filter(([, count]) => count > 1).map(([key]) => key);
  const acknowledged = [...acked.values()].filter(Boolean).length;
  return {
    attempted: acked.size,
    acknowledged,
    unacknowledged: acked.size - acknowledged,
    lost: lost.slice(0, LEDGER_LIST_LIMIT),
    lostCount: lost.length,
    duplicated: duplicated.slice(0, LEDGER_LIST_LIMIT),
    duplicatedCount: duplicated.length,
    appliedUnacknowledged: [...acked].filter(([key, ok]) => !ok && (rows.get(key) ?? 0) >= 1).length,
    source: input.source,
  };
}
