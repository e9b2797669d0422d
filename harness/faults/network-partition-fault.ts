import { CoreV1Api, NetworkingV1Api, type V1NetworkPolicy } from '@kubernetes/client-node';
import { labelSelectorString, type FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment } from './fault.ts';
import { apiStatus, FAULT_LABEL } from './kube-workloads.ts';
import { kubeSafeId, selects } from './label-selector.ts';

type PartitionSpec = Extract<FaultSpec, { type: 'network-partition' }>;
type Direction = 'Ingress' | 'Egress';

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

/**
 * The other policies of the namespace that allow, in a cut direction, traffic of at least one of the
 * pods: NetworkPolicies only ever add allowances, so a deny policy cannot take that traffic away.
 */
export function conflictingPolicies(
  policies: readonly V1NetworkPolicy[],
  podLabels: readonly Readonly<Record<string, string>>[],
  cut: readonly Direction[],
): string[] {
  const out: string[] = [];
  for (const p of policies) {
    if (p.metadata?.labels?.[FAULT_LABEL] !== undefined) continue;
    const spec = p.spec;
    if (!spec || !podLabels.some((l) => selects(spec.podSelector ?? {}, l))) continue;
    // policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
    const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
    const allows = cut.filter((d) => types.includes(d) && ((d === 'Ingress' ? spec.ingress : spec.egress)?.length ?? 0) > 0);
    if (allows.length > 0) out.push(`${p.metadata?.name} (${allows.join(', ').toLowerCase()})`);
  }
  return out;
}

/**
 * A network partition: a NetworkPolicy isolating the selected pods (ingress, egress or both) for the
 * fault's duration; the revert deletes it. Refused before anything changes when no pod matches, or when
 * another policy of the namespace allows the traffic it would cut (it could not cut it).
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
    const conflicts = conflictingPolicies(
      (await net.listNamespacedNetworkPolicy({ namespace })).items,
      pods.map((p) => p.metadata?.labels ?? {}),
      cut,
    );
    if (conflicts.length > 0)
      throw new Error(
        `NetworkPolicies of ${namespace} already allow traffic of the pods ${selector} that the partition would cut (policies only add allowances): ${conflicts.join(', ')}`,
      );
    const policy = partitionPolicy(id, namespace, this.spec);
    const name = partitionPolicyName(id);
    return {
      targets: `${pods.length} pod(s) ${selector} in ${namespace}, ${cut.join(' and ').toLowerCase()} cut (NetworkPolicy ${name})`,
      undo: [{ kind: 'delete-network-policy', namespace, name }],
      apply: async () => {
        try {
          await net.createNamespacedNetworkPolicy({ namespace, body: policy });
        } catch (err) {
          // The same fault applied again (its name is its id): it is in place.
          if (apiStatus(err) !== 409) throw err;
        }
      },
    };
  }
}
