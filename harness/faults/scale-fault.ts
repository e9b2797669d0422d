import { parseWorkloadRef, type FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment } from './fault.ts';
import { patchWorkload, readWorkload, REPLICAS_BEFORE_ANNOTATION, SCALED_BY_ANNOTATION } from './kube-workloads.ts';

type ScaleSpec = Extract<FaultSpec, { type: 'scale' }>;

/**
 * A Deployment or StatefulSet scaled to N for the fault's duration. The replicas it had are read and
 * journaled before the change; the revert scales it back and waits until they are Ready. The workload
 * carries annotations while it is scaled (the fault's id and the replicas before), so verifyClean finds
 * one a lost journal left scaled, and a second scale fault on it is refused.
 */
export class ScaleFault implements Fault {
  readonly spec: ScaleSpec;
  readonly env: KindFaultEnvironment;

  constructor(spec: ScaleSpec, env: KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(id: string): Promise<FaultPlan> {
    const { namespace } = this.env.target;
    const kc = this.env.kubeConfig;
    const workload = parseWorkloadRef(this.spec.workload);
    const view = await readWorkload(kc, namespace, workload);
    if (!view) throw new Error(`no ${this.spec.workload} in namespace ${namespace}`);
    const by = view.annotations[SCALED_BY_ANNOTATION];
    if (by !== undefined)
      throw new Error(
        `${this.spec.workload} is still scaled by fault ${by} (it had ${view.annotations[REPLICAS_BEFORE_ANNOTATION] ?? '?'}): run crucible recover first`,
      );
    const { replicas } = this.spec;
    return {
      targets: `${this.spec.workload} in ${namespace} (${view.replicas} -> ${replicas} replicas)`,
      undo: [{ kind: 'restore-replicas', namespace, workload, replicas: view.replicas }],
      apply: () => patchWorkload(kc, namespace, workload, replicas, { [SCALED_BY_ANNOTATION]: id, [REPLICAS_BEFORE_ANNOTATION]: String(view.replicas) }),
    };
  }
}
