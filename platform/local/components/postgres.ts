import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ComponentSpec, ProcessComponent, TaskComponent } from '../component-spec.ts';
import { HOST, PG_APP_USER, PG_DATABASE, type PlanContext } from '../plan-context.ts';
import { lookupSystemUser, type SystemUser } from '../system-user.ts';

const run = promisify(execFile);

/** PostgreSQL refuses to run as root: when we are root it runs as the system's postgres user. */
function postgresRunAs(): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = lookupSystemUser('postgres');
  if (!user)
    throw new Error(
      "PostgreSQL refuses to run as root and this machine has no 'postgres' user: create one (useradd --system postgres) or run crucible as a normal user",
    );
  return user;
}

async function superuserQuery(ctx: PlanContext, sql: string, params: unknown[] = [], signal?: AbortSignal): Promise<pg.QueryResult> {
  const client = new pg.Client({
    host: HOST,
    port: ctx.ports.postgres,
    user: 'postgres',
    password: ctx.secrets.postgresSuperPassword,
    database: 'postgres',
    connectionTimeoutMillis: 1_000,
  });
  const onAbort = (): void => void client.end().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.query(sql, params);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}

/**
 * Which platform start a data folder belongs to. The folder outlives a supervisor that was killed
 * (it lives in /tmp when we are root), and a later start has new secrets: reusing that folder would
 * fail with "password authentication failed". Restarts within one platform keep their data.
 */
function ownerMark(ctx: PlanContext): string {
  return createHash('sha256').update(ctx.secrets.postgresSuperPassword).digest('hex');
}

function postgresProcess(ctx: PlanContext): ProcessComponent {
  const runAs = postgresRunAs();
  const dataDir = join(ctx.postgresDir, 'data');
  const markFile = join(ctx.postgresDir, 'crucible-owner');
  const ownedByThisPlatform = (): boolean =>
    existsSync(join(dataDir, 'PG_VERSION')) && existsSync(markFile) && readFileSync(markFile, 'utf8').trim() === ownerMark(ctx);
  const initdb = async (): Promise<void> => {
    rmSync(ctx.postgresDir, { recursive: true, force: true });
    mkdirSync(ctx.postgresDir, { recursive: true, mode: 0o700 });
    const pwfile = join(ctx.postgresDir, 'pwfile');
    writeFileSync(pwfile, `${ctx.secrets.postgresSuperPassword}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(ctx.postgresDir, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    try {
      await run(
        ctx.tools.initdb,
        [
          '-D',
          dataDir,
          '-U',
          'postgres',
          '--pwfile',
          pwfile,
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
          '--no-sync',
          '--no-instructions',
        ],
        {
          timeout: 60_000,
          cwd: ctx.postgresDir,
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, HOME: runAs.home } } : {}),
        },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: err });
    } finally {
      rmSync(pwfile, { force: true });
    }
    writeFileSync(markFile, `${ownerMark(ctx)}\n`, { mode: 0o600 });
  };
  return {
    type: 'process',
    name: 'postgres',
    group: 'datastore',
    dependsOn: [],
    command: ctx.tools.postgres,
    args: [
      '-D',
      dataDir,
      '-k',
      ctx.postgresDir,
      '-p',
      String(ctx.ports.postgres),
      '-h',
      HOST,
      '-c',
      'max_connections=100',
      '-c',
      'shared_buffers=64MB',
      '-c',
      'fsync=on',
      '-c',
      'synchronous_commit=on',
      '-c',
      'log_min_messages=warning',
      '-c',
      'logging_collector=off',
      '-c',
      'log_line_prefix=%m [%p] ',
    ],
    cwd: ctx.postgresDir,
    ...(runAs ? { runAs } : {}),
    prepare: async () => {
      if (!ownedByThisPlatform()) await initdb();
    },
    ready: {
      kind: 'custom',
      describe: `SELECT 1 on postgres 127.0.0.1:${ctx.ports.postgres}`,
      probe: async (signal) => void (await superuserQuery(ctx, 'SELECT 1', [], signal)),
    },
    // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
    stopSignal: 'SIGINT',
    stopTimeoutMs: 10_000,
    ports: { postgres: ctx.ports.postgres },
  };
}

/** The application role and database, made once after the first start. */
function bootstrapTask(ctx: PlanContext): TaskComponent {
  return {
    type: 'task',
    name: 'postgres-bootstrap',
    group: 'init',
    dependsOn: ['postgres'],
    run: async (signal) => {
      const role = await superuserQuery(ctx, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [PG_APP_USER], signal);
      const pw = ctx.secrets.postgresAppPassword.replace(/'/g, "''");
      if (role.rowCount === 0) await superuserQuery(ctx, `CREATE ROLE ${PG_APP_USER} LOGIN PASSWORD '${pw}'`, [], signal);
      const db = await superuserQuery(ctx, 'SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE], signal);
      if (db.rowCount === 0) await superuserQuery(ctx, `CREATE DATABASE ${PG_DATABASE} OWNER ${PG_APP_USER}`, [], signal);
    },
  };
}

export function postgresComponents(ctx: PlanContext): ComponentSpec[] {
  return [postgresProcess(ctx), bootstrapTask(ctx)];
}
