import { setTimeout as sleep } from 'node:timers/promises';
import { procStat } from '../../platform/local/proc-info.ts';
import { NetworkingV1Api } from '@kubernetes/client-node';
import type { ContainersFaultEnvironment, FaultEnvironment, KindFaultEnvironment, LocalFaultEnvironment, UndoAction } from './fault.ts';
import { describeJournalTarget } from './fault-journal.ts';
import {
  apiStatus,
  patchWorkload,
  readWorkload,
  REPLICAS_BEFORE_ANNOTATION,
  SCALED_BY_ANNOTATION,
  waitWorkloadReady,
  workloadWords,
} from './kube-workloads.ts';
import { restoreVirtualService } from './istio-virtual-services.ts';
import { reattachPolicy } from './network-partition-fault.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';
import { waitForState } from './wait-for-state.ts';

export interface UndoOptions {
  /** How long `expect-running` and `expect-ready` wait for the component (workload) to run (be Ready) again. @default 30_000 */
  readonly expectRunningTimeoutMs?: number;
}

export interface UndoResult {
  readonly action: UndoAction;
  readonly ok: boolean;
  /** What happened, in words ('removed', 'already gone', 'running again as pid 4242'), or why it failed. */
  readonly detail: string;
}

export function describeUndoAction(a: UndoAction): string {
  switch (a.kind) {
    case 'remove-toxic':
      return `remove toxic ${a.toxic} from ${a.proxy}`;
    case 'enable-proxy':
      return `enable proxy ${a.proxy}`;
    case 'continue-process':
      return `SIGCONT ${a.component} (pid ${a.pid})`;
    case 'release-component':
      return `release ${a.component}`;
    case 'expect-running':
      return `expect ${a.component} running`;
    case 'expect-ready':
      return `expect ${workloadWords(a.workload)} Ready in ${a.namespace}`;
    case 'restore-replicas':
      return `scale ${workloadWords(a.workload)} in ${a.namespace} back to ${a.replicas}`;
    case 'delete-network-policy':
      return `delete NetworkPolicy ${a.namespace}/${a.name}`;
    case 'reattach-network-policy':
      return `give NetworkPolicy ${a.namespace}/${a.name} back its ${a.requirement.key}=${(a.requirement.values ?? []).join(',')} pods`;
    case 'restore-virtual-service':
      return a.previous === null ? `delete VirtualService ${a.namespace}/${a.name}` : `put back VirtualService ${a.namespace}/${a.name}'s spec`;
    case 'unpause-node':
      return `unpause node ${a.node}`;
    case 'expect-container-running':
      return `expect container ${a.container} running again`;
    case 'unpause-container':
      return `unpause container ${a.container}`;
    case 'start-container':
      return `start container ${a.container}`;
    default:
      return unreachable(a);
  }
}

/** How long a scaled-back workload may take to have its replicas Ready again. */
const RESTORE_READY_TIMEOUT_MS = 120_000;

/** The environment an action acts on must be of its target's kind: a journal's actions never cross targets. */
function localEnv(env: FaultEnvironment, a: UndoAction): LocalFaultEnvironment {
  if (env.target.kind === 'local') return env as LocalFaultEnvironment;
  throw new Error(`${describeUndoAction(a)} acts on the local target, not on ${describeJournalTarget(env.target)}`);
}
/** The Toxiproxy API of the target's mesh: the local target's, or the one a kind target's journal names. */
function meshUrl(env: FaultEnvironment, a: UndoAction): string {
  const url = env.target.kind === 'local' ? (env as LocalFaultEnvironment).toxiproxyUrl : env.target.toxiproxyUrl;
  if (url === undefined) throw new Error(`${describeUndoAction(a)} acts on a Toxiproxy mesh, and ${describeJournalTarget(env.target)} names none`);
  return url;
}
function kindEnv(env: FaultEnvironment, a: UndoAction): KindFaultEnvironment {
  if (env.target.kind === 'kind') return env as KindFaultEnvironment;
  throw new Error(`${describeUndoAction(a)} acts on a kind cluster, not on ${describeJournalTarget(env.target)}`);
}
function containersEnv(env: FaultEnvironment, a: UndoAction): ContainersFaultEnvironment {
  if (env.target.kind === 'containers') return env as ContainersFaultEnvironment;
  throw new Error(`${describeUndoAction(a)} acts on the containers target, not on ${describeJournalTarget(env.target)}`);
}

/** Runs one undo action; idempotent (undoing twice, or undoing what never happened, is a no-op). Throws when it could not. */
async function runUndoAction(a: UndoAction, anyEnv: FaultEnvironment, opts: UndoOptions = {}): Promise<string> {
  switch (a.kind) {
    case 'remove-toxic':
      return (await new ToxiproxyApi(meshUrl(anyEnv, a)).removeToxic(a.proxy, a.toxic)) ? 'removed' : 'already gone';
    case 'enable-proxy':
      await new ToxiproxyApi(meshUrl(anyEnv, a)).setEnabled(a.proxy, true);
      return 'enabled';
    case 'continue-process':
      return continueProcess(a.component, a.pid, localEnv(anyEnv, a));
    case 'release-component':
      await localEnv(anyEnv, a).release(a.component);
      return 'released';
    case 'expect-ready':
      return waitWorkloadReady(kindEnv(anyEnv, a).kubeConfig, a.namespace, a.workload, {
        timeoutMs: opts.expectRunningTimeoutMs ?? 30_000,
        excluded: a.killed,
      });
    case 'restore-replicas': {
      const kc = kindEnv(anyEnv, a).kubeConfig;
      const view = await readWorkload(kc, a.namespace, a.workload);
      if (!view) return 'already gone';
      if (view.replicas !== a.replicas || view.annotations[SCALED_BY_ANNOTATION] !== undefined)
        await patchWorkload(kc, a.namespace, a.workload, a.replicas, { [SCALED_BY_ANNOTATION]: null, [REPLICAS_BEFORE_ANNOTATION]: null });
      return `back to ${a.replicas}: ${await waitWorkloadReady(kc, a.namespace, a.workload, { timeoutMs: RESTORE_READY_TIMEOUT_MS })}`;
    }
    case 'delete-network-policy':
      try {
        await kindEnv(anyEnv, a).kubeConfig.makeApiClient(NetworkingV1Api).deleteNamespacedNetworkPolicy({ name: a.name, namespace: a.namespace });
        return 'deleted';
      } catch (err) {
        if (apiStatus(err) === 404) return 'already gone';
        throw err;
      }
    case 'reattach-network-policy':
      return reattachPolicy(kindEnv(anyEnv, a).kubeConfig, { ...a, requirement: { ...a.requirement, values: [...(a.requirement.values ?? [])] } });
    case 'restore-virtual-service':
      return restoreVirtualService(kindEnv(anyEnv, a).kubeConfig, a.namespace, a.name, a.faultId, a.previous);
    case 'unpause-node':
      return kindEnv(anyEnv, a).unpauseNode(a.node);
    case 'expect-container-running':
      return containersEnv(anyEnv, a).expectRunning(a.container, a.killedPid, opts.expectRunningTimeoutMs ?? 30_000);
    case 'unpause-container':
      return containersEnv(anyEnv, a).unpause(a.container);
    case 'start-container':
      return containersEnv(anyEnv, a).start(a.container);
    case 'expect-running': {
      const env = localEnv(anyEnv, a);
      const timeoutMs = opts.expectRunningTimeoutMs ?? 30_000;
      const deadline = Date.now() + timeoutMs;
      let last = '';
      // Bounded by the deadline; the supervisor restarts within its backoff (Redis waits 5 s on purpose).
      for (let attempt = 0; attempt < 10_000; attempt++) {
        try {
          return `running as pid ${await env.pidOf(a.component)}`;
        } catch (err) {
          last = (err as Error).message;
        }
        if (Date.now() > deadline) break;
        await sleep(250);
      }
      throw new Error(`${a.component} did not run again within ${Math.round(timeoutMs / 1000)} s (${last})`);
    }
    default:
      return unreachable(a);
  }
}

/**
 * SIGCONT to the paused process group, unless the component now runs as another pid: the paused
 * process is then gone, and its pid may already belong to something else.
 */
async function continueProcess(component: string, pid: number, env: LocalFaultEnvironment): Promise<string> {
  const live = await env.pidOf(component).catch(() => undefined);
  if (live !== undefined && live !== pid) return `pid ${pid} is gone (${component} runs as pid ${live})`;
  const st = procStat(pid);
  if (!st || st.state === 'Z') return 'already gone';
  try {
    process.kill(st.pgid === pid ? -pid : pid, 'SIGCONT');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'already gone';
    throw err;
  }
  if (await waitForState(pid, (s) => s !== 'T', 2_000)) return 'continued';
  if (!procStat(pid)) return 'continued, then gone';
  throw new Error(`SIGCONT sent, but pid ${pid} is still stopped after 2 s`);
}

/** Runs every action, even after one failed (a rollback that stops at the first error leaves the rest broken). Never throws. */
export async function runUndoActions(actions: readonly UndoAction[], env: FaultEnvironment, opts: UndoOptions = {}): Promise<UndoResult[]> {
  const out: UndoResult[] = [];
  for (const action of actions) {
    try {
      out.push({ action, ok: true, detail: await runUndoAction(action, env, opts) });
    } catch (err) {
      out.push({ action, ok: false, detail: (err as Error).message });
    }
  }
  return out;
}

function unreachable(x: never): never {
  throw new Error(`unhandled undo action ${JSON.stringify(x)}`);
}
