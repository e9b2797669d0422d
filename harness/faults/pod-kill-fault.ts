import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { labelSelectorString, type FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment, UndoAction, WorkloadId } from './fault.ts';
import { apiStatus, workloadWords } from './kube-workloads.ts';

type PodKillSpec = Extract<FaultSpec, { type: 'pod-kill' }>;

const isReady = (p: V1Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * Deletes pods matching a label selector (a crash as Kubernetes sees it, with the grace period asked
 * for). Self-healing: their Deployment or StatefulSet replaces them; the undo action only checks, bounded,
 * that it has its replicas Ready again without the killed pods. A pod no workload owns is refused: nothing
 * would bring it back.
 */
export class PodKillFault implements Fault {
  readonly spec: PodKillSpec;
  readonly env: KindFaultEnvironment;

  constructor(spec: PodKillSpec, env: KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const { namespace } = this.env.target;
    const kc = this.env.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    const selector = labelSelectorString(this.spec.selector);
    const alive = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter((p) => p.metadata?.deletionTimestamp === undefined);
    const count = podsToKill(this.spec, alive.length);
    if (alive.length < count)
      throw new Error(
        `${count} pod(s) to kill, but ${alive.length} pod(s) in ${namespace} match ${selector}${alive.length ? ` (${alive.map(podName).join(', ')})` : ''}`,
      );
    // Ready pods first (killing one that is already down hurts nothing), then by name: the same choice every time.
    const victims = alive.sort((a, b) => Number(isReady(b)) - Number(isReady(a)) || podName(a).localeCompare(podName(b))).slice(0, count);
    const owners = new Map<string, { workload: WorkloadId; killed: string[] }>();
    for (const pod of victims) {
      const workload = await ownerOf(this.env, pod);
      const key = workloadWords(workload);
      const entry = owners.get(key) ?? { workload, killed: [] };
      entry.killed.push(pod.metadata?.uid ?? '');
      owners.set(key, entry);
    }
    const grace = this.spec.gracePeriodSeconds;
    const undo: UndoAction[] = [...owners.values()].map((o) => ({ kind: 'expect-ready', namespace, workload: o.workload, killed: o.killed }));
    return {
      targets: `${victims.map(podName).join(', ')} (${[...owners.keys()].join(', ')}${grace === undefined ? '' : `, grace ${grace} s`})`,
      undo,
      apply: async () => {
        for (const pod of victims) {
          try {
            await core.deleteNamespacedPod({
              name: podName(pod),
              namespace,
              ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
              // The uid precondition: a StatefulSet's replacement has the same name and must not be killed instead.
              body: { preconditions: { uid: pod.metadata?.uid ?? '' }, ...(grace === undefined ? {} : { gracePeriodSeconds: grace }) },
            });
          } catch (err) {
            // Gone already (404), or already replaced under its name (409: the uid differs): the kill happened.
            if (apiStatus(err) !== 404 && apiStatus(err) !== 409) throw err;
          }
        }
      },
    };
  }
}

/** How many pods the spec asks for out of `matching`: its count, or its percent rounded up (at least one). */
export const podsToKill = (spec: PodKillSpec, matching: number): number =>
  spec.percent === undefined ? (spec.count ?? 1) : Math.max(1, Math.ceil((matching * spec.percent) / 100));

const podName = (p: V1Pod): string => p.metadata?.name ?? '?';

/** The Deployment (through its ReplicaSet) or StatefulSet that brings the pod back. */
async function ownerOf(env: KindFaultEnvironment, pod: V1Pod): Promise<WorkloadId> {
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (ref?.kind === 'StatefulSet') return { kind: 'StatefulSet', name: ref.name };
  if (ref?.kind === 'ReplicaSet') {
    const rs = await env.kubeConfig.makeApiClient(AppsV1Api).readNamespacedReplicaSet({ name: ref.name, namespace: env.target.namespace });
    const up = rs.metadata?.ownerReferences?.find((r) => r.controller);
    if (up?.kind === 'Deployment') return { kind: 'Deployment', name: up.name };
  }
  throw new Error(
    `pod ${podName(pod)} is not managed by a Deployment or StatefulSet (${ref ? `${ref.kind} ${ref.name}` : 'no controller'}): nothing would bring it back`,
  );
}
