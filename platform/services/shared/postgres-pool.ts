import pg from 'pg';
import type { PostgresClientConfig } from './service-config.ts';

export function createPostgresPool(cfg: PostgresClientConfig, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    max: cfg.poolSize,
    application_name: applicationName,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    // A statement stuck behind a faulted link must not hold a pooled connection forever.
    statement_timeout: 5_000,
    query_timeout: 6_000,
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener it would crash the service.
  pool.on('error', () => {});
  return pool;
}
