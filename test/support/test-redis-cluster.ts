import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { HostPort } from '../../platform/services/shared/service-config.ts';

const run = promisify(execFile);

export interface RedisTestCluster {
  readonly nodes: readonly HostPort[];
  readonly password: string;
  stop(): Promise<void>;
}

/**
 * A real six-node Redis Cluster (3 primaries, 3 replicas) for tests, so cross-slot behaviour,
 * MOVED redirects and Lua on a cluster are exercised as in the platform. Bus ports are given
 * explicitly so every port used stays inside the test's range.
 */
export async function startRedisTestCluster(opts: {
  dir: string;
  ports: readonly number[];
  busPorts: readonly number[];
  password: string;
}): Promise<RedisTestCluster> {
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => stopChild(child)));
  };
  const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '-a', opts.password, '--no-auth-warning', ...args]);
  try {
    for (const [i, port] of opts.ports.entries()) {
      const dir = join(opts.dir, `redis-${port}`);
      await mkdir(dir, { recursive: true });
      // prettier-ignore
      const args = [
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(opts.busPorts[i]),
        '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '1000', '--dir', dir,
        '--requirepass', opts.password, '--masterauth', opts.password, '--save', '', '--appendonly', 'no', '--logfile', join(dir, 'redis.log'),
      ];
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const port of opts.ports) await until(async () => (await cli(port, 'ping')).stdout.trim() === 'PONG', `redis ${port} did not start`);
    await cli(opts.ports[0] as number, '--cluster', 'create', ...opts.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes');
    for (const port of opts.ports)
      await until(async () => (await cli(port, 'cluster', 'info')).stdout.includes('cluster_state:ok'), `redis ${port} did not join the cluster`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes: opts.ports.map((port) => ({ host: '127.0.0.1', port })), password: opts.password, stop };
}

async function until(check: () => Promise<boolean>, message: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(message);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(killer);
}
