import { dumpYaml, loadYaml } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { projectRoot } from '../../util/project-root.ts';
import type { KindFix, NodeImageSource } from './kind-fixes.ts';

/** The cluster configuration crucible uses: kind-config.yaml at the project's root (usable with `kind create cluster --config` as it is). */
export const KIND_CONFIG_FILE = join(projectRoot(), 'kind-config.yaml');

/** The port block the file's hostPorts are written for (the local target's default port base). */
const FILE_PORT_BASE = 7300;

interface PortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress?: string;
  protocol?: string;
}
interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  extraPortMappings?: PortMapping[];
  [key: string]: unknown;
}
interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: string;
  name?: string;
  networking?: Record<string, unknown>;
  nodes: KindNode[];
  kubeadmConfigPatches?: string[];
  containerdConfigPatches?: string[];
  [key: string]: unknown;
}

export interface RenderOptions {
  readonly name: string;
  readonly fixes: readonly KindFix[];
  readonly nodeImage: NodeImageSource;
  /** How many workers (the file's, by default); extra ones copy the last worker's settings. */
  readonly workers?: number;
  /** Shifts every hostPort by portBase - 7300, so a second cluster (the tests') does not collide with the first. */
  readonly portBase?: number;
  /** The file's text (tests pass their own). */
  readonly template?: string;
}

const KUBELET_CGROUP_V1_PATCH = ['kind: KubeletConfiguration', 'failCgroupV1: false', ''].join('\n');
const CONTAINERD_OOM_PATCH = ['[plugins."io.containerd.grpc.v1.cri"]', '  restrict_oom_score_adj = true', ''].join('\n');

/**
 * kind-config.yaml with this cluster's name, node count, ports and node image, and the fixes the host
 * needs (kind-fixes.ts) written in as kind's own configuration: a kubeadm patch, a containerd patch,
 * disableDefaultCNI. The podman wrapper (no-lib-modules) lives outside the file.
 */
export function renderKindConfig(opts: RenderOptions): string {
  const text = opts.template ?? readFileSync(KIND_CONFIG_FILE, 'utf8');
  const config = loadYaml<KindClusterConfig>(text);
  if (config?.kind !== 'Cluster' || !Array.isArray(config.nodes))
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `${KIND_CONFIG_FILE} is not a kind Cluster configuration with nodes`);
  config.name = opts.name;

  const controlPlanes = config.nodes.filter((n) => n.role === 'control-plane');
  let workers = config.nodes.filter((n) => n.role === 'worker');
  if (opts.workers !== undefined) {
    const last = workers.at(-1) ?? { role: 'worker' as const };
    workers = Array.from({ length: opts.workers }, (_, i) => workers[i] ?? structuredClone(last));
  }
  config.nodes = [...controlPlanes, ...workers];

  const shift = opts.portBase === undefined ? 0 : opts.portBase - FILE_PORT_BASE;
  for (const node of config.nodes) {
    for (const m of node.extraPortMappings ?? []) m.hostPort += shift;
    if (opts.nodeImage.kind === 'local') node.image = opts.nodeImage.ref;
  }

  if (opts.fixes.includes('cgroup-v1')) config.kubeadmConfigPatches = [...(config.kubeadmConfigPatches ?? []), KUBELET_CGROUP_V1_PATCH];
  if (opts.fixes.includes('oom-score-adj')) config.containerdConfigPatches = [...(config.containerdConfigPatches ?? []), CONTAINERD_OOM_PATCH];
  if (opts.fixes.includes('no-kindnetd')) config.networking = { ...config.networking, disableDefaultCNI: true };
  return `# Rendered by crucible from ${KIND_CONFIG_FILE} (fixes: ${opts.fixes.join(', ') || 'none'}).\n${dumpYaml(config)}`;
}

/** The host ports a rendered configuration publishes (checked free before kind runs). */
export function publishedPorts(rendered: string): number[] {
  const config = loadYaml<KindClusterConfig>(rendered);
  return config.nodes.flatMap((n) => (n.extraPortMappings ?? []).map((m) => m.hostPort));
}

/**
 * The NodePort behind each offset of the port block, as kind-config.yaml publishes them (the edge's
 * +0 is 30080, ...): what a cluster crucible did not create (`up --cluster`) is reached at instead.
 */
export function nodePortsByOffset(template?: string): ReadonlyMap<number, number> {
  const config = loadYaml<KindClusterConfig>(template ?? readFileSync(KIND_CONFIG_FILE, 'utf8'));
  return new Map(config.nodes.flatMap((n) => (n.extraPortMappings ?? []).map((m) => [m.hostPort - FILE_PORT_BASE, m.containerPort] as const)));
}

/** How many nodes a rendered configuration makes. */
export function nodeCount(rendered: string): number {
  return loadYaml<KindClusterConfig>(rendered).nodes.length;
}
