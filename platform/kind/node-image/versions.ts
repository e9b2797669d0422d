/**
 * What the locally built kind node image holds (reference: kind-on-podman.md). Kubernetes 1.35's
 * kubeadm asks for exactly these control-plane images; a new Kubernetes version changes etcd, CoreDNS
 * and pause with it (`kubeadm config images list --kubernetes-version vX.Y.Z` prints them).
 */
export const KUBERNETES_VERSION = 'v1.35.4';

/** The staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>. */
export const STAGING_VERSION = KUBERNETES_VERSION.replace(/^v1\./, 'v0.');

export const ETCD_VERSION = 'v3.6.6';
/** kubeadm's tag for etcd: the version plus an image revision. */
export const ETCD_IMAGE_TAG = '3.6.6-0';

export const COREDNS_VERSION = 'v1.13.1';

/** kubeadm 1.35 asks for pause 3.10.1; kind's containerd config names 3.10 as the sandbox image. */
export const PAUSE_TAGS = ['3.10', '3.10.1'] as const;

/** The CNI and NetworkPolicy enforcer of clusters on this image (kindnetd cannot be pulled here). */
export const KUBE_ROUTER_VERSION = 'v2.1.0';

/** The storage provisioner kind's node image runs (the default StorageClass: PVCs get a folder on the node). */
export const LOCAL_PATH_PROVISIONER_VERSION = 'v0.0.30';

/** kind itself (setup installs that version): its module holds the node image's base files (images/base/files). */
export { KIND_VERSION } from '../../../harness/tools/tool-catalog.ts';
export const KIND_MODULE = 'sigs.k8s.io/kind';

/** Where kubeadm pulls from; the images are imported under these names so nothing is pulled. */
export const K8S_REGISTRY = 'registry.k8s.io';
