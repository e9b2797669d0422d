import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPids, isSameProcess, procStat } from '../../platform/local/proc-info.ts';
import type { ComponentState, PlatformState } from '../../platform/local/supervisor-state.ts';
import type { LocalFaultEnvironment } from './fault.ts';
import { meshProblems } from './mesh-problems.ts';
import { redisPrimaryOf } from './redis-cluster-primary.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

/** The local target's fault environment, plus the supervisor's view of its components. */
export interface LivePlatformFaultEnvironment extends LocalFaultEnvironment {
  /** The supervisor's live view (control API `GET /state`), not the state file a moment behind it. */
  liveState(): Promise<PlatformState>;
}

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
      const { port } = await redisPrimaryOf(shard, endpoints.redis.nodes, redisPassword(runDir));
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
