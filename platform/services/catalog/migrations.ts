import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { startupQuery } from './startup-query.ts';

export interface Migration {
  readonly version: number;
  /** File name without extension, e.g. 0001_products: what errors and the log call it. */
  readonly name: string;
  readonly sql: string;
}

export interface MigrationLog {
  info(obj: object, msg: string): void;
}

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/** Same key in every catalog instance, so replicas starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 0x63_61_74_01; // 'cat' + 1
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Index builds on a large table may outlast the pool's request-path timeouts; startup may wait. */
const DDL_TIMEOUT_MS = 300_000;

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/** NNNN_name.sql files of a folder, in version order; anything else in the folder is an error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .sort()
    .map((file): Migration => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`catalog migrations: ${file} in ${dir} is not named NNNN_name.sql`);
      return { version: Number(match[1]), name: file.slice(0, -'.sql'.length), sql: readFileSync(join(dir, file), 'utf8') };
    });
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]?.version === m.version) throw new Error(`catalog migrations: version ${m.version} is used twice`);
  });
  return migrations;
}

/**
 * Applies the migrations not yet recorded in catalog.schema_migrations, in version order, each in
 * its own transaction together with its record, under a session advisory lock. A migration that was
 * edited after it was applied, or one that fails, stops startup with an error naming it.
 * Returns the names applied by this call.
 */
export async function runMigrations(pool: pg.Pool, log: MigrationLog, migrations: readonly Migration[] = loadMigrations()): Promise<string[]> {
  const client = await pool.connect();
  try {
    const q = (text: string, values: unknown[] = []): Promise<pg.QueryResult> => startupQuery(client, DDL_TIMEOUT_MS, text, values);
    await q('SET statement_timeout = 0');
    await q('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await q('CREATE SCHEMA IF NOT EXISTS catalog');
      await q(`CREATE TABLE IF NOT EXISTS catalog.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Map<number, { name: string; checksum: string }>(
        (await q('SELECT version, name, checksum FROM catalog.schema_migrations')).rows.map((r: { version: number; name: string; checksum: string }) => [
          r.version,
          r,
        ]),
      );
      const done: string[] = [];
      for (const m of migrations) {
        const recorded = applied.get(m.version);
        if (recorded) {
          if (recorded.checksum !== checksum(m.sql)) {
            throw new Error(`catalog migration ${m.name} was changed after it was applied (as ${recorded.name}); add a new migration instead`);
          }
          continue;
        }
        const started = performance.now();
        try {
          await q('BEGIN');
          await q(m.sql);
          await q('INSERT INTO catalog.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, checksum(m.sql)]);
          await q('COMMIT');
        } catch (err) {
          await q('ROLLBACK').catch(() => {});
          throw new Error(`catalog migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        log.info({ migration: m.name, ms: Math.round(performance.now() - started) }, 'applied migration');
        done.push(m.name);
      }
      return done;
    } finally {
      await q('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    // The session's statement_timeout was changed: the connection must not go back to the pool.
    client.release(true);
  }
}
