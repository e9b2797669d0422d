import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { ComponentSpec, ProcessComponent, TaskComponent } from '../component-spec.ts';
import { HOST, type PlanContext } from '../plan-context.ts';

const run = promisify(execFile);

/** The redis-no-auth switch: the nodes run without requirepass, and nobody authenticates to them. */
const noAuth = (ctx: PlanContext): boolean => ctx.opts.vulnerable.includes('redis-no-auth');
const passwordArgs = (ctx: PlanContext): string[] =>
  noAuth(ctx) ? [] : ['--requirepass', ctx.secrets.redisPassword, '--masterauth', ctx.secrets.redisPassword];

async function withNode<T>(ctx: PlanContext, port: number, fn: (r: Redis) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const r = new Redis({
    host: HOST,
    port,
    ...(noAuth(ctx) ? {} : { password: ctx.secrets.redisPassword }),
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  const onAbort = (): void => r.disconnect();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await r.connect();
    return await fn(r);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    r.disconnect();
  }
}

function redisNode(ctx: PlanContext, i: number): ProcessComponent {
  const port = ctx.ports.redis[i]!;
  const dir = join(ctx.dataDir, `redis-${i}`);
  return {
    type: 'process',
    name: `redis-${i}`,
    group: 'datastore',
    dependsOn: [],
    command: ctx.tools.redisServer,
    args: [
      '--bind',
      HOST,
      '--port',
      String(port),
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(ctx.ports.redisBus[i]),
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '1000',
      '--cluster-announce-ip',
      HOST,
      '--dir',
      dir,
      ...passwordArgs(ctx),
      // Revocations, refresh tokens and rate-limit counters live here: a node that restarts must come back
      // with its data, or its replica would resync from an empty primary and lose everything.
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
      '--loglevel',
      'notice',
      // Replicas sync at once instead of after the default 5 s batching delay: a primary killed in
      // those first seconds would otherwise have no replica fit to take over.
      '--repl-diskless-sync-delay',
      '0',
    ],
    cwd: dir,
    prepare: async () => void mkdirSync(dir, { recursive: true }),
    // A primary restarted faster than the cluster notices (cluster-node-timeout 1 s) comes back as
    // primary and no failover happens; real restarts (a pod, a VM) take longer than that.
    minRestartDelayMs: 5_000,
    ready: { kind: 'custom', describe: `PING redis 127.0.0.1:${port}`, probe: (signal) => withNode(ctx, port, async (r) => void (await r.ping()), signal) },
    ports: { redis: port, bus: ctx.ports.redisBus[i]! },
  };
}

/**
 * Joins the six nodes into 3 primaries + 3 replicas, then waits until every node reports
 * cluster_state:ok and every replica's link to its primary is up. A node the supervisor restarts later rejoins by itself from its nodes.conf.
 */
function clusterTask(ctx: PlanContext, nodes: readonly string[]): TaskComponent {
  return {
    type: 'task',
    name: 'redis-cluster',
    group: 'init',
    dependsOn: nodes,
    run: async (signal) => {
      const addrs = ctx.ports.redis.map((p) => `${HOST}:${p}`);
      try {
        const auth = noAuth(ctx) ? [] : ['-a', ctx.secrets.redisPassword, '--no-auth-warning'];
        await run(ctx.tools.redisCli, [...auth, '--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes'], { signal, timeout: 30_000 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`redis-cli --cluster create failed: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: err });
      }
      const deadline = Date.now() + 20_000;
      for (;;) {
        const states = await Promise.all(
          ctx.ports.redis.map((p) =>
            withNode(ctx, p, async (r) => `${(await r.cluster('INFO')) as string}\n${await r.info('replication')}`, signal).catch(() => ''),
          ),
        );
        // Ready means fit to fail over: every node sees the cluster ok, and every replica holds its primary's data.
        const linked = (s: string): boolean => !s.includes('role:slave') || s.includes('master_link_status:up');
        if (states.every((s) => s.includes('cluster_state:ok') && linked(s))) return;
        if (Date.now() > deadline || signal.aborted) throw new Error('the cluster did not reach cluster_state:ok with every replica in sync within 20 s');
        await sleep(100);
      }
    },
  };
}

export function redisClusterComponents(ctx: PlanContext): ComponentSpec[] {
  const nodes = ctx.ports.redis.map((_, i) => redisNode(ctx, i));
  return [
    ...nodes,
    clusterTask(
      ctx,
      nodes.map((n) => n.name),
    ),
  ];
}
