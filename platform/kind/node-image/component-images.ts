import { join } from 'node:path';
import type { ContainerEngine } from '../../../harness/containers/container-engine.ts';
import { inputsHash } from './binary-cache.ts';
import type { StepOptions } from './go-build.ts';
import { ensureImage, type ImageSpec } from './image-build.ts';
import type { AddonName } from './addon-binaries.ts';
import {
  COREDNS_VERSION,
  ETCD_IMAGE_TAG,
  K8S_REGISTRY,
  KUBE_ROUTER_VERSION,
  KUBERNETES_VERSION,
  LOCAL_PATH_PROVISIONER_VERSION,
  PAUSE_TAGS,
} from './versions.ts';

/** The CNI's image; the kube-router manifest (platform/kind/kube-router.yaml) names it. */
export const KUBE_ROUTER_IMAGE = `localhost/crucible-kind/kube-router:${KUBE_ROUTER_VERSION}`;
/** The storage provisioner's image; default-storage.yaml names it (its helper pods run the Debian base). */
export const LOCAL_PATH_PROVISIONER_IMAGE = `localhost/crucible-kind/local-path-provisioner:${LOCAL_PATH_PROVISIONER_VERSION}`;

/** A static binary alone in an image, at the path and with the entrypoint the upstream image has. */
function scratchImage(binary: string, entrypoint: string): string {
  return [
    'FROM scratch',
    `COPY ${binary} ${entrypoint}`,
    // Kubernetes' manifests name the program (`command: [kube-apiserver, ...]`): it is found on PATH.
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    `ENTRYPOINT ["${entrypoint}"]`,
    '',
  ].join('\n');
}

/** A binary that runs iptables, ipset and conntrack: on the Debian base, with Debian's packages. */
function debianImage(base: string, binary: string, packages: readonly string[]): string {
  return [
    `FROM ${base}`,
    'RUN apt-get update \\',
    `  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')} \\`,
    '  && apt-get clean && rm -rf /var/lib/apt/lists/*',
    `COPY ${binary} /usr/local/bin/${binary}`,
    `ENTRYPOINT ["/usr/local/bin/${binary}"]`,
    '',
  ].join('\n');
}

export interface ComponentBinaries {
  /** Holds kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy. */
  readonly kubernetes: string;
  /** Each add-on's binary. */
  readonly addons: Readonly<Record<AddonName, string>>;
  /** What all of them were built from: an image is rebuilt when the binaries it copies were. */
  readonly hash: string;
}

/** Every image the node's containerd must hold, named as kubeadm and the CNI manifest ask for them. */
export function componentImageSpecs(bins: ComponentBinaries, base: string): ImageSpec[] {
  const k8s = (name: string): string => join(bins.kubernetes, name);
  const addon = (name: AddonName): string => bins.addons[name];
  const hash = inputsHash(bins.hash, base);
  const scratch = (ref: string, file: string, entrypoint: string, moreTags: readonly string[] = []): ImageSpec => ({
    ref,
    moreTags,
    containerfile: scratchImage(file.split('/').at(-1) ?? file, entrypoint),
    files: [file],
    hash,
  });
  const [pause, ...pauseTags] = PAUSE_TAGS.map((t) => `${K8S_REGISTRY}/pause:${t}`);
  return [
    ...(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const).map((name) =>
      scratch(`${K8S_REGISTRY}/${name}:${KUBERNETES_VERSION}`, k8s(name), `/usr/local/bin/${name}`),
    ),
    scratch(`${K8S_REGISTRY}/etcd:${ETCD_IMAGE_TAG}`, addon('etcd'), '/usr/local/bin/etcd'),
    scratch(`${K8S_REGISTRY}/coredns/coredns:${COREDNS_VERSION}`, addon('coredns'), '/coredns'),
    scratch(pause ?? `${K8S_REGISTRY}/pause:3.10`, addon('pause'), '/pause', pauseTags),
    scratch(LOCAL_PATH_PROVISIONER_IMAGE, addon('local-path-provisioner'), '/usr/local/bin/local-path-provisioner'),
    {
      ref: `${K8S_REGISTRY}/kube-proxy:${KUBERNETES_VERSION}`,
      containerfile: debianImage(base, 'kube-proxy', ['iptables', 'conntrack', 'ipset', 'kmod']),
      files: [k8s('kube-proxy')],
      hash,
    },
    {
      ref: KUBE_ROUTER_IMAGE,
      containerfile: debianImage(base, 'kube-router', ['iptables', 'ipset', 'iproute2', 'conntrack', 'kmod']),
      files: [addon('kube-router')],
      hash,
    },
  ];
}

/**
 * Builds the component images that are missing or out of date (kind-on-podman.md: ~17 s); returns every
 * tag to import, the Debian base among them (the storage provisioner's helper pods run it).
 */
export async function ensureComponentImages(
  engine: ContainerEngine,
  bins: ComponentBinaries,
  base: string,
  workDir: string,
  opts: StepOptions = {},
): Promise<{ tags: string[]; built: boolean }> {
  const specs = componentImageSpecs(bins, base);
  let built = false;
  for (const spec of specs) built = (await ensureImage(engine, spec, workDir, opts)) || built;
  return { tags: [...specs.flatMap((s) => [s.ref, ...(s.moreTags ?? [])]), base], built };
}
