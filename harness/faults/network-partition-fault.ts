import {
  CoreV1Api,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  type KubeConfig,
  type V1LabelSelectorRequirement,
  type V1NetworkPolicy,
} from '@kubernetes/client-node';
import { setTimeout } from 'node:timers/promises';
import { labelSelectorString, type FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment } from './fault.ts';
import { apiStatus, FAULT_LABEL } from './kube-workloads.ts';
import { kubeSafeId, selects } from './label-selector.ts';

type PartitionSpec = Extract<FaultSpec, { type: 'network-partition' }>;
export type Direction = 'Ingress' | 'Egress';

/** The partition's NetworkPolicy: named after the fault, so applying it twice is one policy and undoing it finds it. */
export const partitionPolicyName = (id: string): string => `crucible-partition-${kubeSafeId(id)}`;

/** A NetworkPolicy selecting the pods with no rule in the cut directions: nothing in (Ingress), nothing out (Egress). */
export function partitionPolicy(id: string, namespace: string, spec: PartitionSpec): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: partitionPolicyName(id), namespace, labels: { [FAULT_LABEL]: kubeSafeId(id), 'app.kubernetes.io/managed-by': 'crucible' } },
    spec: { podSelector: { matchLabels: { ...spec.selector } }, policyTypes: directions(spec) },
  };
}

const DIRECTIONS: Record<NonNullable<PartitionSpec['direction']>, readonly Direction[]> = {
  ingress: ['Ingress'],
  egress: ['Egress'],
  both: ['Ingress', 'Egress'],
};
const directions = (spec: PartitionSpec): Direction[] => [...DIRECTIONS[spec.direction ?? 'both']];

/** On a policy a partition detached from its pods: the fault's id, under a key of the fault's own (faults may overlap). */
export const DETACHED_BY_PREFIX = 'crucible.dev/detached-by-';
export const detachedByAnnotation = (id: string): string => `${DETACHED_BY_PREFIX}${kubeSafeId(id)}`;

/** What the partition does to the namespace's other policies, worked out before anything changes. */
export interface PolicyConflicts {
  /** Policies that allow, only in cut directions, traffic of the pods: they are detached from the pods meanwhile. */
  readonly detach: readonly string[];
  /** Why the partition cannot be made here, each in words; empty when it can. */
  readonly refuse: readonly string[];
}

/**
 * NetworkPolicies only ever add allowances: a deny policy cannot take away traffic another policy of
 * the namespace allows (platform/k8s's explicit allows under its default deny). Such a policy is
 * detached from the pods for the partition: a `NotIn` expression on the selector's one label, so it no
 * longer selects them (pods that replace them meanwhile included). Refused: a policy that also allows a
 * direction the partition does not cut (detaching it would cut that too), and a selector of several
 * labels when there is something to detach (one expression could not exclude exactly those pods).
 */
export function policyConflicts(
  policies: readonly V1NetworkPolicy[],
  podLabels: readonly Readonly<Record<string, string>>[],
  cut: readonly Direction[],
  selector: Readonly<Record<string, string>>,
): PolicyConflicts {
  const detach: string[] = [];
  const refuse: string[] = [];
  for (const p of policies) {
    if (p.metadata?.labels?.[FAULT_LABEL] !== undefined) continue;
    const spec = p.spec;
    if (!spec || !podLabels.some((l) => selects(spec.podSelector ?? {}, l))) continue;
    // policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
    const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
    const allows = (['Ingress', 'Egress'] as const).filter((d) => types.includes(d) && ((d === 'Ingress' ? spec.ingress : spec.egress)?.length ?? 0) > 0);
    if (!allows.some((d) => cut.includes(d))) continue;
    const name = p.metadata?.name ?? '?';
    const uncut = allows.filter((d) => !cut.includes(d));
    if (uncut.length > 0)
      refuse.push(`NetworkPolicy ${name} also allows ${uncut.join(', ').toLowerCase()} of the pods, which detaching it would cut too: use direction 'both'`);
    else detach.push(name);
  }
  if (detach.length > 0 && Object.keys(selector).length !== 1)
    refuse.push(
      `NetworkPolicies ${detach.join(', ')} allow what the partition would cut, and only a selector of one label can detach them from exactly those pods (got ${Object.keys(selector).length})`,
    );
  return { detach, refuse };
}

/** The pods' one label as the expression that keeps a policy off them. */
export const exclusion = (selector: Readonly<Record<string, string>>): V1LabelSelectorRequirement => {
  const [key = '', value = ''] = Object.entries(selector)[0] ?? [];
  return { key, operator: 'NotIn', values: [value] };
};

const sameRequirement = (a: V1LabelSelectorRequirement, b: V1LabelSelectorRequirement): boolean =>
  a.key === b.key && a.operator === b.operator && JSON.stringify(a.values ?? []) === JSON.stringify(b.values ?? []);

async function patchPolicySelector(
  kc: KubeConfig,
  namespace: string,
  name: string,
  change: (expressions: V1LabelSelectorRequirement[]) => V1LabelSelectorRequirement[],
  annotations: Record<string, string | null>,
): Promise<boolean> {
  const net = kc.makeApiClient(NetworkingV1Api);
  let policy: V1NetworkPolicy;
  try {
    policy = await net.readNamespacedNetworkPolicy({ name, namespace });
  } catch (err) {
    if (apiStatus(err) === 404) return false;
    throw err;
  }
  const before = policy.spec?.podSelector?.matchExpressions ?? [];
  const after = change([...before]);
  // A JSON merge patch replaces the list whole (null removes it), and the annotations one by one.
  await KubernetesObjectApi.makeApiClient(kc).patch(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace, annotations: annotations as Record<string, string> },
      spec: { podSelector: { matchExpressions: (after.length > 0 ? after : null) as V1LabelSelectorRequirement[] } },
    },
    undefined,
    undefined,
    'crucible-faults',
    undefined,
    PatchStrategy.MergePatch,
  );
  return true;
}

/** Gives a detached policy its pods back: its `NotIn` expression and the fault's annotation removed. Idempotent. */
export async function reattachPolicy(
  kc: KubeConfig,
  a: { namespace: string; name: string; faultId: string; requirement: V1LabelSelectorRequirement },
): Promise<string> {
  let had = false;
  const found = await patchPolicySelector(
    kc,
    a.namespace,
    a.name,
    (xs) => {
      const kept = xs.filter((x) => !sameRequirement(x, a.requirement));
      had = kept.length !== xs.length;
      return kept;
    },
    { [detachedByAnnotation(a.faultId)]: null },
  );
  return !found ? 'already gone' : had ? 'reattached' : 'not detached';
}

/**
 * A network partition: a NetworkPolicy isolating the selected pods (ingress, egress or both) for the
 * fault's duration, and the namespace's policies that allow what it cuts detached from those pods
 * meanwhile; the revert gives them back and deletes it. Refused before anything changes when no pod
 * matches, or when it could not cut what it says (policyConflicts).
 */
export class NetworkPartitionFault implements Fault {
  readonly spec: PartitionSpec;
  readonly env: KindFaultEnvironment;

  constructor(spec: PartitionSpec, env: KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(id: string): Promise<FaultPlan> {
    const { namespace } = this.env.target;
    const kc = this.env.kubeConfig;
    const selector = labelSelectorString(this.spec.selector);
    const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: selector })).items;
    if (pods.length === 0) throw new Error(`no pod in ${namespace} matches ${selector}: the partition would cut nothing`);
    const net = kc.makeApiClient(NetworkingV1Api);
    const cut = directions(this.spec);
    const conflicts = policyConflicts(
      (await net.listNamespacedNetworkPolicy({ namespace })).items,
      pods.map((p) => p.metadata?.labels ?? {}),
      cut,
      this.spec.selector,
    );
    if (conflicts.refuse.length > 0)
      throw new Error(
        `the partition of ${selector} in ${namespace} could not cut what it says (NetworkPolicies only add allowances): ${conflicts.refuse.join('; ')}`,
      );
    const requirement = exclusion(this.spec.selector);
    const policy = partitionPolicy(id, namespace, this.spec);
    const name = partitionPolicyName(id);
    return {
      targets: `${pods.length} pod(s) ${selector} in ${namespace}, ${cut.join(' and ').toLowerCase()} cut (NetworkPolicy ${name}${conflicts.detach.length > 0 ? `; detached: ${conflicts.detach.join(', ')}` : ''})`,
      // The deny policy goes first and comes off last: pods selected by no policy at all would be open to everything.
      undo: [
        ...conflicts.detach.map((p) => ({ kind: 'reattach-network-policy' as const, namespace, name: p, faultId: id, requirement })),
        { kind: 'delete-network-policy', namespace, name },
      ],
      apply: async () => {
        try {
          await net.createNamespacedNetworkPolicy({ namespace, body: policy });
        } catch (err) {
          // The same fault applied again (its name is its id): it is in place.
          if (apiStatus(err) !== 409) throw err;
        }
        for (const p of conflicts.detach)
          await patchPolicySelector(kc, namespace, p, (xs) => (xs.some((x) => sameRequirement(x, requirement)) ? xs : [...xs, requirement]), {
            [detachedByAnnotation(id)]: id,
          });
        // A policy only stops new connections: the pods' pooled, kept-alive ones would carry on as if nothing
        // happened. Forgetting them makes their next packets meet the policy, as at a real partition; again a
        // moment later, since the CNI programs the policy shortly after the API accepts it (bounded: ~3 s).
        const ips = pods.map((p) => p.status?.podIP).filter((ip): ip is string => ip !== undefined);
        const sides = cut.map((d) => (d === 'Ingress' ? ('to' as const) : ('from' as const)));
        for (const waitMs of [0, 1_000, 2_000]) {
          await setTimeout(waitMs);
          await this.env.forgetConnections(ips, sides);
        }
      },
    };
  }
}
