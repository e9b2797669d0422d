import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PostgresClientConfig } from '../shared/service-config.ts';

const run = promisify(execFile);

export interface TestPostgres {
  /** Connection settings (trust auth, superuser `postgres`, database `postgres`). */
  readonly config: PostgresClientConfig;
  /** Fast shutdown; safe to call twice. */
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  readonly binDir?: string;
  /** OS user that owns and runs the cluster: PostgreSQL refuses to run as root. */
  readonly osUser?: string;
}

const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A throwaway PostgreSQL for tests: initdb into `dir`/data and a postmaster on `port`, run as the
 * `postgres` OS user (spawned with its uid, so the child is the postmaster itself and stop() is a
 * plain signal). fsync is off: test data need not survive a crash and initdb/commits get faster.
 */
export async function startTestPostgres(port: number, dir: string, options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const binDir = options.binDir ?? '/usr/lib/postgresql/15/bin';
  const osUser = options.osUser ?? 'postgres';
  const uid = Number(execFileSync('id', ['-u', osUser], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', osUser], { encoding: 'utf8' }).trim());
  const dataDir = join(dir, 'data');
  await mkdir(dir, { recursive: true });
  await chown(dir, uid, gid);
  const asOwner = { uid, gid, cwd: dir, env: { ...process.env, LC_ALL: 'C' } };

  await run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], asOwner).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`test postgres: initdb in ${dataDir} failed (the ${osUser} OS user must be able to traverse every parent of ${dir}): ${err.stderr || err.message}`, { cause: err });
  });

  let output = '';
  const child: ChildProcess = spawn(join(binDir, 'postgres'), ['-D', dataDir, '-k', dir, '-p', String(port), '-h', HOST, '-c', 'fsync=off', '-c', 'full_page_writes=off'], {
    ...asOwner,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, exit promptly.
      child.kill('SIGINT');
    });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`test postgres on port ${port} exited with ${child.exitCode}: ${output}`);
    try {
      await run(join(binDir, 'pg_isready'), ['-h', HOST, '-p', String(port), '-U', 'postgres', '-t', '1']);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`test postgres on port ${port} not ready within 15 s: ${output}`);
      }
      await sleep(100);
    }
  }
  return { config: { host: HOST, port, database: 'postgres', user: 'postgres', password: '', poolSize: 5 }, stop };
}
