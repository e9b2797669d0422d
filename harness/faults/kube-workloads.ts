import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import { systemClock, type Clock } from '../util/clock.ts';
import type { WorkloadId } from './fault.ts';
import { selectorQuery } from './label-selector.ts';

/** On a workload a `scale` fault changed: the fault's id, and the replicas it had before (what verifyClean reports). */
export const SCALED_BY_ANNOTATION = 'crucible.dev/scaled-by-fault';
export const REPLICAS_BEFORE_ANNOTATION = 'crucible.dev/replicas-before';
/** On a NetworkPolicy a `network-partition` fault made: the fault's id. */
export const FAULT_LABEL = 'crucible.dev/fault';

export const workloadWords = (w: WorkloadId): string => `${w.kind.toLowerCase()}/${w.name}`;

/** An HTTP status of the API server's answer, when the error is one. */
export const apiStatus = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};

export interface WorkloadView {
  readonly replicas: number;
  readonly selector: V1LabelSelector;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Deployment's or StatefulSet's desired replicas, pod selector and annotations; undefined when it does not exist. */
export async function readWorkload(kc: KubeConfig, namespace: string, w: WorkloadId): Promise<WorkloadView | undefined> {
  const apps = kc.makeApiClient(AppsV1Api);
  try {
    const o =
      w.kind === 'Deployment'
        ? await apps.readNamespacedDeployment({ name: w.name, namespace })
        : await apps.readNamespacedStatefulSet({ name: w.name, namespace });
    return { replicas: o.spec?.replicas ?? 1, selector: o.spec?.selector ?? {}, annotations: o.metadata?.annotations ?? {} };
  } catch (err) {
    if (apiStatus(err) === 404) return undefined;
    throw err;
  }
}

/** Sets a workload's replicas and annotations (null removes one) with a JSON merge patch. */
export async function patchWorkload(
  kc: KubeConfig,
  namespace: string,
  w: WorkloadId,
  replicas: number,
  annotations: Readonly<Record<string, string | null>>,
): Promise<void> {
  await KubernetesObjectApi.makeApiClient(kc).patch(
    { apiVersion: 'apps/v1', kind: w.kind, metadata: { name: w.name, namespace, annotations: annotations as Record<string, string> }, spec: { replicas } },
    undefined,
    undefined,
    'crucible-faults',
    undefined,
    PatchStrategy.MergePatch,
  );
}

const isReady = (p: V1Pod): boolean =>
  p.metadata?.deletionTimestamp === undefined && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/**
 * Waits (bounded) until the workload has as many Ready pods as it wants, none of them being deleted or
 * one of `excluded` (uids of pods a fault killed, which may still be Ready while they terminate).
 * Returns the state in words; throws with the last state seen.
 */
export async function waitWorkloadReady(
  kc: KubeConfig,
  namespace: string,
  w: WorkloadId,
  opts: { readonly timeoutMs: number; readonly excluded?: readonly string[]; readonly clock?: Clock },
): Promise<string> {
  const clock = opts.clock ?? systemClock;
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = clock.monotonicMs() + opts.timeoutMs;
  let seen = 'not read yet';
  // Bounded by the deadline (a poll every 500 ms).
  for (let attempt = 0; attempt < 100_000; attempt++) {
    try {
      const view = await readWorkload(kc, namespace, w);
      if (!view) return `${workloadWords(w)} is gone`;
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: selectorQuery(view.selector) })).items;
      const ready = pods.filter((p) => isReady(p) && !(opts.excluded ?? []).includes(p.metadata?.uid ?? ''));
      seen = `${ready.length} of ${view.replicas} replicas Ready`;
      if (ready.length >= view.replicas) return seen;
    } catch (err) {
      seen = `the API server did not answer: ${(err as Error).message.split('\n')[0]}`;
    }
    if (clock.monotonicMs() >= deadline) break;
    await clock.sleep(500);
  }
  throw new Error(`${workloadWords(w)} in ${namespace}: not Ready within ${Math.round(opts.timeoutMs / 1000)} s (${seen})`);
}
