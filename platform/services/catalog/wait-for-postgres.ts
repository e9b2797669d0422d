import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

export interface WaitLog {
  warn(obj: object, msg: string): void;
}

/**
 * Startup waits a little for the database instead of failing at once: after a fault scenario the
 * supervisor may restart catalog while PostgreSQL (or the mesh link to it) is still coming back.
 */
export async function waitForPostgres(pool: pg.Pool, where: string, timeoutMs: number, log: WaitLog): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      const reason = (err as Error).message;
      if (Date.now() >= deadline) throw new Error(`PostgreSQL at ${where} not reachable within ${timeoutMs} ms: ${reason}`, { cause: err });
      log.warn({ attempt, reason }, 'waiting for PostgreSQL');
      await sleep(Math.min(200 * attempt, 1_000));
    }
  }
}
