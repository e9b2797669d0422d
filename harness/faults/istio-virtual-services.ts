import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { CrucibleError } from '../errors/crucible-error.ts';
import { apiStatus, FAULT_LABEL } from './kube-workloads.ts';
import { kubeSafeId } from './label-selector.ts';

/** Istio's VirtualService, as the istio-delay and istio-abort faults read and write it (networking.istio.io/v1). */
export const VIRTUAL_SERVICE = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices' } as const;

/** A VirtualService's spec: Istio's schema (its CRD) checks it; crucible only adds `fault` to its http routes. */
export type VirtualServiceSpec = Readonly<Record<string, unknown>>;

export interface VirtualServiceObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly resourceVersion?: string };
  readonly spec: VirtualServiceSpec;
}

const api = (kc: KubeConfig): CustomObjectsApi => kc.makeApiClient(CustomObjectsApi);

/**
 * Refuses (CRUCIBLE_ERR_FAULT_INJECT) when the cluster does not serve Istio's VirtualService: the
 * listing of a resource the API server does not know answers 404.
 */
export async function requireIstio(kc: KubeConfig, namespace: string, type: string): Promise<void> {
  try {
    await api(kc).listNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace, limit: 1 });
  } catch (err) {
    if (apiStatus(err) !== 404) throw err;
    throw new CrucibleError(
      'CRUCIBLE_ERR_FAULT_INJECT',
      `fault type '${type}' needs Istio: the cluster does not serve ${VIRTUAL_SERVICE.plural}.${VIRTUAL_SERVICE.group}/${VIRTUAL_SERVICE.version}`,
      {
        hint: "Install Istio (or at least its CRDs: kubectl apply --server-side -f .tools/istio/<version>/customresourcedefinitions.gen.yaml, fetched by 'node platform/kind/fetch-istio-crds.ts') and apply platform/k8s/overlays/istio; docs/chaos.md.",
      },
    );
  }
}

export async function readVirtualService(kc: KubeConfig, namespace: string, name: string): Promise<VirtualServiceObject | undefined> {
  try {
    return (await api(kc).getNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace, name })) as VirtualServiceObject;
  } catch (err) {
    if (apiStatus(err) === 404) return undefined;
    throw err;
  }
}

export async function createVirtualService(kc: KubeConfig, namespace: string, body: VirtualServiceObject): Promise<void> {
  await api(kc).createNamespacedCustomObject({
    ...VIRTUAL_SERVICE,
    namespace,
    body: { apiVersion: `${VIRTUAL_SERVICE.group}/${VIRTUAL_SERVICE.version}`, kind: 'VirtualService', ...body },
  });
}

/** Replaces the object as read (its resourceVersion makes a concurrent change a conflict, not a lost update). */
export async function replaceVirtualService(kc: KubeConfig, namespace: string, body: VirtualServiceObject): Promise<void> {
  await api(kc).replaceNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace, name: body.metadata.name, body });
}

/** The labels without the fault's. */
export function withoutFaultLabel(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== FAULT_LABEL));
}

/**
 * Puts a VirtualService back as it was before fault `faultId`: its previous spec, or deleted when the
 * fault created it (`previous` null). Idempotent: one the fault's label no longer marks was put back already.
 */
export async function restoreVirtualService(
  kc: KubeConfig,
  namespace: string,
  name: string,
  faultId: string,
  previous: VirtualServiceSpec | null,
): Promise<string> {
  const current = await readVirtualService(kc, namespace, name);
  if (!current) return 'already gone';
  if (current.metadata.labels?.[FAULT_LABEL] !== kubeSafeId(faultId)) return 'already restored';
  if (previous === null) {
    try {
      await api(kc).deleteNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace, name });
    } catch (err) {
      if (apiStatus(err) === 404) return 'already gone';
      throw err;
    }
    return 'deleted (the fault created it)';
  }
  await replaceVirtualService(kc, namespace, {
    ...current,
    metadata: { ...current.metadata, labels: withoutFaultLabel(current.metadata.labels) },
    spec: previous,
  });
  return 'its previous spec put back';
}

/**
 * VirtualServices a fault still marks (its label), in any namespace; none when the cluster has no Istio
 * CRDs (then no fault could have made one).
 */
export async function faultedVirtualServices(kc: KubeConfig): Promise<{ namespace: string; name: string; fault: string }[]> {
  try {
    const list = (await api(kc).listClusterCustomObject({ ...VIRTUAL_SERVICE, labelSelector: FAULT_LABEL })) as { items?: VirtualServiceObject[] };
    return (list.items ?? []).map((v) => ({ namespace: v.metadata.namespace ?? '', name: v.metadata.name, fault: v.metadata.labels?.[FAULT_LABEL] ?? '' }));
  } catch (err) {
    if (apiStatus(err) === 404) return [];
    throw err;
  }
}
