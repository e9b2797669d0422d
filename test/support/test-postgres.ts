import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import type { PostgresClientConfig } from '../../platform/services/shared/service-config.ts';

const run = promisify(execFile);

export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** postgres://user@host:port/database */
  readonly url: string;
  /** The same, as a service's pool settings. */
  clientConfig(poolSize?: number): PostgresClientConfig;
  /** Stops the server (fast shutdown, then SIGKILL) and deletes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /** Default: $PG_BIN or the Debian/Ubuntu PostgreSQL 15 location. */
  readonly binDir?: string;
  readonly startTimeoutMs?: number;
}

const DEFAULT_BIN =
  process.env['PG_BIN'] ??
  ['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(join(d, 'postgres'))) ??
  '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function waitForServer(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`test postgres exited during startup (${child.exitCode ?? child.signalCode}):\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`test postgres not ready within ${timeoutMs} ms: ${(err as Error).message}\n${log()}`, { cause: err });
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(100);
  }
}

/**
 * A throwaway PostgreSQL server for tests: initdb into a fresh temp dir, trust auth, listening on
 * 127.0.0.1:port, with durability turned off (fsync, synchronous_commit) because the data dies with
 * the test anyway. The caller must call stop(), also when the test fails.
 */
export async function startTestPostgres(port: number, options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const bin = options.binDir ?? DEFAULT_BIN;
  if (!existsSync(join(bin, 'postgres'))) throw new Error(`test postgres: no postgres binary in ${bin} (set PG_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'crucible-pg-'));
  const dataDir = join(dir, 'data');
  const owner = await serverUser();
  let child: ChildProcess | undefined;
  let stopped = false;
  // Last resort if the test process exits without calling stop(): no orphaned server, no temp dir left.
  const onExit = (): void => {
    child?.kill('SIGKILL');
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // The killed server may still be writing; nothing more can be done while exiting.
    }
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGINT'); // fast shutdown: disconnects clients, no waiting for them
      const killTimer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    }
    rmSync(dir, { recursive: true, force: true });
    // Only now: had anything above failed, the exit hook still cleans up.
    process.removeListener('exit', onExit);
  };

  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      ...owner,
      cwd: dir,
    });
    let output = '';
    child = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-k', dir, '-p', String(port), '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { ...owner, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitForServer(url, child, () => output, options.startTimeoutMs ?? 20_000);
    const clientConfig = (poolSize = 5): PostgresClientConfig => ({ host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password: '', poolSize });
    return { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', url, clientConfig, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
