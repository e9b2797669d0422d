import { AppsV1Api, CoreV1Api, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { CrucibleError } from '../errors/crucible-error.ts';
import { KindNodeContainers } from '../targets/kind/kind-node-containers.ts';
import { loadKubeConfig } from '../targets/kind/kube-api.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import type { JournalTarget, KindFaultEnvironment, Mesh, WorkloadId } from './fault.ts';
import { faultedVirtualServices } from './istio-virtual-services.ts';
import { meshProblems } from './mesh-problems.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';
import { DETACHED_BY_PREFIX } from './network-partition-fault.ts';
import { FAULT_LABEL, REPLICAS_BEFORE_ANNOTATION, SCALED_BY_ANNOTATION, workloadWords } from './kube-workloads.ts';

type KindTarget = Extract<JournalTarget, { kind: 'kind' }>;

/** An unpaused node is Ready again within ~11 s (kind-on-podman.md); kubelet may first need to notice it was NotReady. */
const NODE_READY_TIMEOUT_MS = 120_000;

export interface KindFaultEnvironmentOptions {
  /** The cluster's node containers; through the detected engine (Docker, else Podman) by default. */
  readonly nodes?: KindNodeContainers;
  /** The cluster's kubeconfig, already loaded (its creator has it); read from the target's file by default. */
  readonly kubeConfig?: KubeConfig;
  readonly clock?: Clock;
}

/**
 * Faults on a kind cluster: pods, workloads and NetworkPolicies of `target.namespace` through the API
 * server, node containers through the container engine. Throws CRUCIBLE_ERR_NOT_RUNNING when the
 * cluster has no node container (it was deleted, and its faults with it).
 */
export async function kindFaultEnvironment(target: KindTarget, opts: KindFaultEnvironmentOptions = {}): Promise<KindFaultEnvironment> {
  const clock = opts.clock ?? systemClock;
  const nodes = opts.nodes ?? (await KindNodeContainers.detect(target.cluster));
  const notRunning = (why: string): CrucibleError =>
    new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', `no kind cluster '${target.cluster}' to act on: ${why}`, {
      hint: "A cluster that was deleted took its faults with it (nothing to undo); otherwise check 'kind get clusters' and the kubeconfig the journal names.",
    });
  if ((await nodes.list()).length === 0) throw notRunning('it has no node container');
  if (!opts.kubeConfig && !existsSync(target.kubeconfig)) throw notRunning(`its kubeconfig ${target.kubeconfig} is missing`);
  const kc = opts.kubeConfig ?? (await loadKubeConfig(target.kubeconfig));

  const nodeReady = async (node: string): Promise<string> => {
    const core = kc.makeApiClient(CoreV1Api);
    const deadline = clock.monotonicMs() + NODE_READY_TIMEOUT_MS;
    let seen = 'not read yet';
    for (let attempt = 0; attempt < 100_000; attempt++) {
      try {
        const n = await core.readNode({ name: node });
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        seen = `Ready=${ready?.status ?? 'unknown'}`;
        if (ready?.status === 'True') return 'unpaused, the node is Ready';
      } catch (err) {
        seen = `the API server did not answer: ${(err as Error).message.split('\n')[0]}`;
      }
      if (clock.monotonicMs() >= deadline) break;
      await clock.sleep(1_000);
    }
    throw new Error(`node ${node} was unpaused but is not Ready within ${NODE_READY_TIMEOUT_MS / 1000} s (${seen})`);
  };

  const url = target.toxiproxyUrl;
  const mesh: Mesh | undefined =
    url === undefined ? undefined : { toxiproxyUrl: url, proxies: async () => (await new ToxiproxyApi(url).proxies()).map((p) => p.name) };

  return {
    target,
    kubeConfig: kc,
    mesh,
    nodeContainers: () => nodes.list(),
    pauseNode: (node) => nodes.pause(node),
    forgetConnections: (ips, sides) => nodes.forgetConnections(ips, sides),
    unpauseNode: async (node) => {
      const c = (await nodes.list()).find((x) => x.name === node);
      if (!c) return 'already gone';
      if (!c.paused) return 'not paused';
      await nodes.unpause(node);
      return nodeReady(node);
    },
    verifyClean: () => kindProblems(kc, nodes, target),
  };
}

/**
 * Nothing a Kubernetes fault leaves is still there: no partition NetworkPolicy (found by its label, in
 * any namespace), no policy of the namespace still detached from its pods by a partition, no
 * Deployment or StatefulSet still carrying a scale fault's annotation, no paused node container,
 * every Deployment and StatefulSet of the namespace with its replicas Ready, and (when the target
 * names its mesh) no toxic and no disabled proxy; no VirtualService an Istio fault still marks.
 */
async function kindProblems(kc: KubeConfig, nodes: KindNodeContainers, target: KindTarget): Promise<string[]> {
  const problems: string[] = [];
  const { namespace } = target;
  const attempt = async (what: string, f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (err) {
      problems.push(`could not read ${what}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  await attempt('NetworkPolicies', async () => {
    const policies = (await kc.makeApiClient(NetworkingV1Api).listNetworkPolicyForAllNamespaces({ labelSelector: FAULT_LABEL })).items;
    for (const p of policies)
      problems.push(`NetworkPolicy ${p.metadata?.namespace}/${p.metadata?.name} of fault ${p.metadata?.labels?.[FAULT_LABEL]} is still there`);
    for (const p of (await kc.makeApiClient(NetworkingV1Api).listNamespacedNetworkPolicy({ namespace })).items)
      for (const [key, id] of Object.entries(p.metadata?.annotations ?? {}))
        if (key.startsWith(DETACHED_BY_PREFIX)) problems.push(`NetworkPolicy ${namespace}/${p.metadata?.name} is still detached from its pods by fault ${id}`);
  });
  await attempt('VirtualServices', async () => {
    for (const v of await faultedVirtualServices(kc)) problems.push(`VirtualService ${v.namespace}/${v.name} still carries fault ${v.fault}`);
  });
  await attempt(`the workloads of ${namespace}`, async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const workloads: { id: WorkloadId; replicas: number; ready: number; annotations: Record<string, string> }[] = [
      ...(await apps.listNamespacedDeployment({ namespace })).items.map((d) => ({
        id: { kind: 'Deployment' as const, name: d.metadata?.name ?? '' },
        replicas: d.spec?.replicas ?? 1,
        ready: d.status?.readyReplicas ?? 0,
        annotations: d.metadata?.annotations ?? {},
      })),
      ...(await apps.listNamespacedStatefulSet({ namespace })).items.map((s) => ({
        id: { kind: 'StatefulSet' as const, name: s.metadata?.name ?? '' },
        replicas: s.spec?.replicas ?? 1,
        ready: s.status?.readyReplicas ?? 0,
        annotations: s.metadata?.annotations ?? {},
      })),
    ];
    for (const w of workloads) {
      const by = w.annotations[SCALED_BY_ANNOTATION];
      if (by !== undefined)
        problems.push(
          `${workloadWords(w.id)} is still scaled by fault ${by} (${w.replicas} replicas; it had ${w.annotations[REPLICAS_BEFORE_ANNOTATION] ?? '?'})`,
        );
      else if (w.ready < w.replicas) problems.push(`${workloadWords(w.id)} has ${w.ready} of ${w.replicas} replicas Ready`);
    }
  });
  await attempt('the node containers', async () => {
    for (const c of await nodes.list()) if (c.paused) problems.push(`node ${c.name} is paused`);
  });
  if (target.toxiproxyUrl !== undefined) problems.push(...(await meshProblems(new ToxiproxyApi(target.toxiproxyUrl))));
  return problems;
}
