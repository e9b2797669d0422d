import { parseDuration } from '../config/duration.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment } from './fault.ts';
import { createVirtualService, readVirtualService, replaceVirtualService, requireIstio, type VirtualServiceSpec } from './istio-virtual-services.ts';
import { FAULT_LABEL } from './kube-workloads.ts';
import { kubeSafeId } from './label-selector.ts';

type IstioSpec = Extract<FaultSpec, { type: 'istio-delay' | 'istio-abort' }>;

/** The http fault Istio's schema expects: a fixed delay (a duration string) or an abort status, for a percentage of requests. */
export function httpFault(spec: IstioSpec): Record<string, unknown> {
  const percentage = { value: spec.percent ?? 100 };
  return spec.type === 'istio-delay'
    ? { delay: { fixedDelay: `${parseDuration(spec.delay)}ms`, percentage } }
    : { abort: { httpStatus: spec.httpStatus, percentage } };
}

/** The spec with the fault on every http route; a VirtualService with no http routes gets one to the service. */
export function faultedSpec(previous: VirtualServiceSpec | null, spec: IstioSpec, host: string): VirtualServiceSpec {
  const fault = httpFault(spec);
  const base: VirtualServiceSpec = previous ?? { hosts: [host] };
  const routes = Array.isArray(base['http']) ? (base['http'] as Record<string, unknown>[]) : [];
  const http = routes.length > 0 ? routes.map((r) => ({ ...r, fault })) : [{ fault, route: [{ destination: { host } }] }];
  return { ...base, http };
}

/**
 * istio-delay and istio-abort: the service's VirtualService (named as the service, in the target's
 * namespace) gets an http fault on every route; one is created when there is none. Its spec before is
 * journaled, so the revert (and `crucible recover`) puts back exactly that, or deletes what the fault
 * created. While faulted it carries the fault's label, so verifyClean finds it and a second fault on
 * it is refused. Refused when the cluster does not serve Istio's VirtualService. Istio's sidecars enforce
 * the fault; without its data plane only the API object changes (docs/chaos.md).
 */
export class IstioRouteFault implements Fault {
  readonly spec: IstioSpec;
  readonly env: KindFaultEnvironment;

  constructor(spec: IstioSpec, env: KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(id: string): Promise<FaultPlan> {
    const { namespace } = this.env.target;
    const kc = this.env.kubeConfig;
    const name = this.spec.service;
    await requireIstio(kc, namespace, this.spec.type);
    const current = await readVirtualService(kc, namespace, name);
    const by = current?.metadata.labels?.[FAULT_LABEL];
    if (by !== undefined) throw new Error(`VirtualService ${namespace}/${name} is still faulted by fault ${by}: run crucible recover first`);
    const previous = current ? current.spec : null;
    const host = `${name}.${namespace}.svc.cluster.local`;
    const spec = faultedSpec(previous, this.spec, host);
    const labels = { ...(current?.metadata.labels ?? {}), [FAULT_LABEL]: kubeSafeId(id) };
    const what = this.spec.type === 'istio-delay' ? `delay ${String(this.spec.delay)}` : `abort ${this.spec.httpStatus}`;
    return {
      targets: `VirtualService ${namespace}/${name} (${current ? 'patched' : 'created'}: ${what}, ${this.spec.percent ?? 100} %)`,
      undo: [{ kind: 'restore-virtual-service', namespace, name, faultId: id, previous }],
      apply: () =>
        current
          ? replaceVirtualService(kc, namespace, { ...current, metadata: { ...current.metadata, labels }, spec })
          : createVirtualService(kc, namespace, { metadata: { name, namespace, labels: { ...labels, 'app.kubernetes.io/managed-by': 'crucible' } }, spec }),
    };
  }
}
