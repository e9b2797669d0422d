import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { allPids, isSameProcess, procStat } from '../../platform/local/proc-info.ts';
import type { ComponentState, PlatformState } from '../../platform/local/supervisor-state.ts';
import type { LocalFaultEnvironment } from './fault.ts';
import { meshProblems } from './mesh-problems.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

/** The local target's fault environment, plus the supervisor's view of its components. */
export interface LivePlatformFaultEnvironment extends LocalFaultEnvironment {
  /** The supervisor's live view (control API `GET /state`), not the state file a moment behind it. */
  liveState(): Promise<PlatformState>;
}

/** The first slot of each shard as `redis-cli --cluster create` splits 16384 slots over 3 primaries. */
const SHARD_SLOTS = [0, 5461, 10923] as const;
const CONTROL_TIMEOUT_MS = 5_000;
/** hold waits for the component's graceful stop, release for its readiness. */
const HOLD_RELEASE_TIMEOUT_MS = 60_000;

/**
 * Faults on a running local platform, from its state: Toxiproxy's API, and the supervisor's control
 * API (bearer token from `<runDir>/control-token`) for live pids, hold and release.
 */
export function localFaultEnvironment(state: PlatformState): LivePlatformFaultEnvironment {
  const { runDir, endpoints } = state;
  const token = readFileSync(join(runDir, 'control-token'), 'utf8').trim();
  const toxiproxy = new ToxiproxyApi(endpoints.toxiproxy);

  const control = async (method: 'GET' | 'POST', path: string, timeoutMs = CONTROL_TIMEOUT_MS): Promise<{ status: number; body: unknown }> => {
    let res: Response;
    try {
      res = await fetch(`${endpoints.supervisor}${path}`, { method, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new Error(`the supervisor's control API (${endpoints.supervisor}) did not answer ${method} ${path}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  };

  const liveState = async (): Promise<PlatformState> => {
    const r = await control('GET', '/state');
    if (r.status !== 200) throw new Error(`the supervisor's control API answered ${r.status} to GET /state`);
    return r.body as PlatformState;
  };

  const componentOf = async (name: string): Promise<ComponentState> => {
    const st = await liveState();
    const c = st.components.find((x) => x.name === name);
    if (!c)
      throw new Error(
        `no component named '${name}' (known: ${st.components
          .filter((x) => x.type === 'process')
          .map((x) => x.name)
          .join(', ')})`,
      );
    return c;
  };

  const pidOf = async (name: string): Promise<number> => {
    const c = await componentOf(name);
    if (c.type !== 'process') throw new Error(`${name} is a one-off task, not a process`);
    // Ready and alive: a component the supervisor is still starting (or restarting) does not count as running.
    if (c.status !== 'ready' || c.pid === undefined || !isSameProcess(c.pid, c.startTicks)) throw new Error(`${name} has no live process (${c.status})`);
    return c.pid;
  };

  const postControl = async (name: string, action: 'hold' | 'release'): Promise<ComponentState> => {
    const r = await control('POST', `/components/${encodeURIComponent(name)}/${action}`, HOLD_RELEASE_TIMEOUT_MS);
    if (r.status !== 200) {
      const why = typeof r.body === 'object' && r.body !== null ? String((r.body as { error?: unknown }).error) : String(r.body);
      throw new Error(`the supervisor refused to ${action} ${name} (${r.status}: ${why})`);
    }
    return r.body as ComponentState;
  };

  return {
    target: { kind: 'local', portBase: state.portBase },
    toxiproxyUrl: endpoints.toxiproxy,
    liveState,
    pidOf,
    proxies: async () => (await toxiproxy.proxies()).map((p) => p.name),
    hold: async (name) => void (await postControl(name, 'hold')),
    release: async (name) => {
      // Only a held component is ours to start: one that runs, or that the supervisor is about to
      // restart after a crash, would get a second process if released.
      if ((await componentOf(name)).status !== 'held') return;
      const after = await postControl(name, 'release');
      if (after.status !== 'ready') throw new Error(`${name} was released but is ${after.status}${after.error ? `: ${after.error}` : ''}`);
    },
    redisPrimary: async (shard) => {
      const slot = SHARD_SLOTS[shard];
      if (slot === undefined) throw new Error(`no Redis shard ${shard} (shards are 0, 1 and 2)`);
      const port = await primaryPortFor(slot, endpoints.redis.nodes, redisPassword(runDir));
      const st = await liveState();
      const c = st.components.find((x) => x.ports['redis'] === port);
      if (!c) throw new Error(`the primary of shard ${shard} listens on port ${port}, which is no component of this platform`);
      return { component: c.name, pid: await pidOf(c.name) };
    },
    verifyClean: () => localProblems(toxiproxy, liveState),
  };
}

/**
 * No toxic on any proxy, every proxy enabled, every process component ready (none held, stopped or
 * crashed), no process of theirs stopped by a signal (state 'T' in /proc/<pid>/stat).
 */
async function localProblems(toxiproxy: ToxiproxyApi, liveState: () => Promise<PlatformState>): Promise<string[]> {
  const problems = await meshProblems(toxiproxy);
  let state: PlatformState;
  try {
    state = await liveState();
  } catch (err) {
    problems.push((err as Error).message);
    return problems;
  }
  const components = state.components.filter((c) => c.type === 'process');
  for (const c of components) if (c.status !== 'ready') problems.push(`${c.name} is ${c.status}${c.error ? ` (${c.error})` : ''}`);
  const groups = new Map(components.flatMap((c) => (c.pgid === undefined ? [] : [[c.pgid, c.name] as const])));
  for (const pid of allPids()) {
    const st = procStat(pid);
    const owner = st && groups.get(st.pgid);
    if (owner && st.state === 'T') problems.push(`${owner}: pid ${pid} is stopped (SIGSTOP) and was never continued`);
  }
  return problems;
}

function redisPassword(runDir: string): string {
  return (JSON.parse(readFileSync(join(runDir, 'config', 'secrets.json'), 'utf8')) as { redisPassword: string }).redisPassword;
}

/**
 * The port of the primary serving `slot`, as the first node that answers sees the cluster
 * (`CLUSTER NODES`, straight to the nodes, not through the mesh that faults may be breaking).
 * A primary flagged failing is skipped: it is about to be replaced.
 */
async function primaryPortFor(slot: number, nodes: readonly { host: string; port: number }[], password: string): Promise<number> {
  const problems: string[] = [];
  for (const n of nodes) {
    const r = new Redis({
      host: n.host,
      port: n.port,
      password,
      lazyConnect: true,
      connectTimeout: 1_000,
      commandTimeout: 2_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    r.on('error', () => {}); // a node that is down is an expected answer: ask the next one
    try {
      await r.connect();
      const text = (await r.cluster('NODES')) as string;
      const port = parseClusterNodes(text).find((x) => x.master && !x.failing && x.slots.some(([a, b]) => slot >= a && slot <= b))?.port;
      if (port !== undefined) return port;
      problems.push(`${n.port}: no healthy primary owns slot ${slot}`);
    } catch (err) {
      problems.push(`${n.port}: ${(err as Error).message}`);
    } finally {
      r.disconnect();
    }
  }
  throw new Error(`no Redis node named the primary of slot ${slot} (${problems.join('; ')})`);
}

interface ClusterNode {
  readonly port: number;
  readonly master: boolean;
  readonly failing: boolean;
  readonly slots: readonly (readonly [number, number])[];
}

/** `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot|a-b|[migrating]>...` */
export function parseClusterNodes(text: string): ClusterNode[] {
  const out: ClusterNode[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const port = Number(/:(\d+)@/.exec(f[1]!)?.[1]);
    const flags = f[2]!.split(',');
    const slots: [number, number][] = [];
    for (const s of f.slice(8)) {
      if (s.startsWith('[')) continue; // a slot being migrated or imported
      const [a, b] = s.split('-').map(Number);
      if (a !== undefined && Number.isInteger(a)) slots.push([a, b !== undefined && Number.isInteger(b) ? b : a]);
    }
    out.push({ port, master: flags.includes('master'), failing: flags.includes('fail') || flags.includes('fail?'), slots });
  }
  return out;
}
