import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelSelectorString, parseWorkloadRef, type FaultSpec, type FaultTargetKind } from '../config/fault-spec.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { kindFaultEnvironment, localFaultEnvironment, type FaultEnvironment, type JournalTarget } from '../faults/index.ts';
import type { LedgerDatabase } from '../ledger/ledger-readback.ts';
import type { KindState } from '../targets/kind/kind-target.ts';
import { secretValue } from '../targets/kind/kube-api.ts';
import type { RunTarget } from '../targets/run-target.ts';
import type { PlatformSecrets } from '../../platform/local/plan-context.ts';
import { containersChaosSession } from './containers-chaos-session.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';

/** The datastores as a chaos experiment sees them directly (not through the mesh): its probes and the ledger's read-back. */
export interface ChaosDatastores {
  readonly postgres: LedgerDatabase;
  readonly redis: { readonly nodes: readonly { readonly host: string; readonly port: number }[]; readonly password: string };
}

/**
 * What a chaos experiment needs from the platform it runs against, opened for one experiment: where
 * faults act (and the journal names), the datastores, and a check of the method against what runs.
 * Disposing it closes what it opened (a kind cluster's port forwards).
 */
export interface ChaosSession extends AsyncDisposable {
  readonly faultTarget: FaultTargetKind;
  readonly env: FaultEnvironment;
  readonly datastores: ChaosDatastores;
  /** What the method's faults name that the running platform does not have, each `chaos.method[i].fault.<field>: ...`. */
  methodProblems(steps: ReadonlyMap<number, FaultSpec>): Promise<string[]>;
}

/** The chaos session of a run's target; a target crucible does not run (an external URL) has none. */
export async function openChaosSession(target: RunTarget): Promise<ChaosSession> {
  if (target.local) return localChaosSession(target.local);
  if (target.kindPlatform) return kindChaosSession(target.kindPlatform);
  if (target.containersPlatform) return containersChaosSession(target.containersPlatform);
  throw new CrucibleError(
    'CRUCIBLE_ERR_INVALID_OPTION',
    `chaos needs a platform crucible runs (its faults act on its processes, pods and mesh); --target ${target.name} is not one`,
    { hint: 'Run chaos scenarios with --target local, kind or containers (after crucible up --target kind|containers).' },
  );
}

function localChaosSession(state: PlatformState): ChaosSession {
  const env = localFaultEnvironment(state);
  const secrets = JSON.parse(readFileSync(join(state.runDir, 'config', 'secrets.json'), 'utf8')) as PlatformSecrets;
  const { endpoints } = state;
  return {
    faultTarget: 'local',
    env,
    datastores: {
      postgres: { ...endpoints.postgres, user: 'postgres', password: secrets.postgresSuperPassword },
      redis: { nodes: endpoints.redis.nodes, password: secrets.redisPassword },
    },
    methodProblems: async (steps) => {
      const components = (await env.liveState()).components.filter((c) => c.type === 'process').map((c) => c.name);
      const problems: string[] = [];
      for (const [i, f] of steps)
        if ((f.type === 'process-kill' || f.type === 'process-pause' || f.type === 'component-stop') && !components.includes(f.component))
          problems.push(`chaos.method[${i}].fault.component: no component named '${f.component}' (components: ${components.join(', ')})`);
      return problems;
    },
    [Symbol.asyncDispose]: async () => {},
  };
}

/**
 * A kind cluster that `crucible up --target kind` started: faults through its API server, node
 * containers and Toxiproxy API, the datastores through the NodePorts the port block publishes (as
 * the local target's), with the passwords read from the Secrets the harness created.
 */
async function kindChaosSession(state: KindState): Promise<ChaosSession> {
  const target: Extract<JournalTarget, { kind: 'kind' }> = {
    kind: 'kind',
    cluster: state.name,
    namespace: state.namespace,
    kubeconfig: state.kubeconfig,
    toxiproxyUrl: state.endpoints.toxiproxy,
  };
  const env = await kindFaultEnvironment(target);
  const kc = env.kubeConfig;
  const ns = state.namespace;
  const { postgres, redis } = state.endpoints;
  return {
    faultTarget: 'kind',
    env,
    datastores: {
      postgres: { ...postgres, user: 'postgres', password: await secretValue(kc, ns, 'postgres-auth', 'superuser-password') },
      redis: { nodes: redis.nodes, password: await secretValue(kc, ns, 'redis-auth', 'password') },
    },
    methodProblems: (steps) => kindMethodProblems(kc, ns, steps),
    [Symbol.asyncDispose]: async () => {},
  };
}

/** Selectors that match no pod, workloads and nodes that do not exist: a typo refused before the run, not half-way. */
async function kindMethodProblems(kc: KubeConfig, namespace: string, steps: ReadonlyMap<number, FaultSpec>): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const problems: string[] = [];
  for (const [i, f] of steps) {
    if (f.type === 'pod-kill' || f.type === 'network-partition') {
      const pods = await core.listNamespacedPod({ namespace, labelSelector: labelSelectorString(f.selector) });
      if (pods.items.length === 0)
        problems.push(`chaos.method[${i}].fault.selector: no pod of namespace ${namespace} has the labels ${labelSelectorString(f.selector)}`);
    } else if (f.type === 'scale') {
      const { kind, name } = parseWorkloadRef(f.workload);
      const list = kind === 'Deployment' ? await apps.listNamespacedDeployment({ namespace }) : await apps.listNamespacedStatefulSet({ namespace });
      const names = list.items.map((w) => w.metadata?.name ?? '');
      if (!names.includes(name)) problems.push(`chaos.method[${i}].fault.workload: no ${kind} named '${name}' in ${namespace} (${names.join(', ')})`);
    } else if (f.type === 'node-pause') {
      const nodes = (await core.listNode()).items.map((n) => n.metadata?.name ?? '');
      if (!nodes.includes(f.node)) problems.push(`chaos.method[${i}].fault.node: no node named '${f.node}' (nodes: ${nodes.join(', ')})`);
    }
  }
  return problems;
}
