import type pg from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Append only: a deployed migration is never edited, a change is a new version. */
const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create_users',
    sql: `
      CREATE TABLE auth.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('user', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
];

/** Advisory lock id: a constant of this service, so concurrent auth instances (not catalog) queue on it. */
const LOCK_KEY = 'crucible.auth.migrations';

/**
 * Applies pending migrations, each in its own transaction and recorded in auth.schema_migrations.
 * pg_advisory_lock serialises instances that start together, so none runs a migration twice.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = AUTH_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS auth');
      await client.query(
        'CREATE TABLE IF NOT EXISTS auth.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM auth.schema_migrations')).rows.map((r) => r.version));
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO auth.schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
          applied.push(m.version);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`auth migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]).catch(() => {});
    }
  } finally {
    client.release();
  }
  return applied;
}
