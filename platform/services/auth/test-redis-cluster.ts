import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostPort } from '../shared/service-config.ts';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** The six nodes (three primaries, three replicas) on basePort..basePort+5. */
  readonly nodes: readonly HostPort[];
  readonly password: string;
  /** Stops every node and waits for the processes to exit; safe to call twice. */
  stop(): Promise<void>;
}

export interface TestRedisClusterOptions {
  readonly redisServer?: string;
  readonly redisCli?: string;
  /** How long to wait for the cluster to report cluster_state:ok on every node. */
  readonly readyTimeoutMs?: number;
}

const HOST = '127.0.0.1';
const NODE_COUNT = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function cli(redisCli: string, password: string, port: number, ...args: string[]): Promise<string> {
  // --no-auth-warning: the password is on the command line on purpose (a throwaway test cluster).
  const { stdout } = await run(redisCli, ['-h', HOST, '-p', String(port), '-a', password, '--no-auth-warning', ...args], { timeout: 30_000 });
  return stdout;
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`test redis cluster: ${what} not reached within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}`);
}

function stopProcess(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * A real six-node Redis Cluster (3 primaries + 3 replicas) for tests, the shape the platform runs:
 * ioredis Cluster behaves differently from a single node (MOVED, per-slot commands), so tests that
 * touch Redis should run against this. Persistence is off; node files live under `dir`, which the
 * caller creates and removes. Cluster bus ports are basePort+10000.. (Redis' fixed offset).
 */
export async function startTestRedisCluster(basePort: number, dir: string, options: TestRedisClusterOptions = {}): Promise<TestRedisCluster> {
  const redisServer = options.redisServer ?? '/usr/bin/redis-server';
  const redisCli = options.redisCli ?? '/usr/bin/redis-cli';
  const password = randomBytes(12).toString('hex');
  const ports = Array.from({ length: NODE_COUNT }, (_, i) => basePort + i);
  const children: ChildProcess[] = [];
  const stderr = new Map<number, string>();

  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => stopProcess(c)));
  };

  try {
    for (const port of ports) {
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir, { recursive: true });
      const child = spawn(
        redisServer,
        [
          '--port', String(port),
          '--bind', HOST,
          '--cluster-enabled', 'yes',
          '--cluster-config-file', `nodes-${port}.conf`,
          '--cluster-node-timeout', '1000',
          '--dir', nodeDir,
          '--requirepass', password,
          '--masterauth', password,
          '--save', '',
          '--appendonly', 'no',
          '--daemonize', 'no',
          '--logfile', join(nodeDir, 'redis.log'),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (b: Buffer) => stderr.set(port, (stderr.get(port) ?? '') + b.toString()));
      children.push(child);
    }
    await Promise.all(
      ports.map((port, i) =>
        waitFor(`PONG from node ${port}`, 10_000, async () => {
          const child = children[i];
          if (child && child.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${child.exitCode}: ${stderr.get(port) ?? ''} (see ${join(dir, String(port), 'redis.log')})`);
          return (await cli(redisCli, password, port, 'PING')).trim() === 'PONG';
        }),
      ),
    );
    await cli(redisCli, password, ports[0] ?? basePort, '--cluster', 'create', ...ports.map((p) => `${HOST}:${p}`), '--cluster-replicas', '1', '--cluster-yes');
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    await Promise.all(
      ports.map((port) => waitFor(`cluster_state:ok on node ${port}`, timeoutMs, async () => (await cli(redisCli, password, port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'))),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes: ports.map((port) => ({ host: HOST, port })), password, stop };
}
