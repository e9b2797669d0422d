import { AppsV1Api, BatchV1Api, CoreV1Api, type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { haproxyConfig } from '../../../platform/edge/haproxy-config.ts';
import { detectContainerEngine } from '../../containers/container-engine.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { buildImages } from '../../images/build-images.ts';
import type { ImageName } from '../../images/image-catalog.ts';
import { systemClock, type Clock } from '../../util/clock.ts';
import { projectRoot } from '../../util/project-root.ts';
import { edgeRoutes } from '../reference-platform/edge-routes.ts';
import { makePlatformFiles, type PlatformFiles } from '../reference-platform/platform-files.ts';
import { MESH_PORT, PG_DATABASE, PORT, REDIS_NODES, serviceConfigs } from '../reference-platform/service-configs.ts';
import type { ClusterJournal } from './cluster-journal.ts';
import { AttachedCluster } from './attached-cluster.ts';
import { KindCluster } from './kind-cluster.ts';
import { KIND_CONFIG_FILE, nodePortsByOffset } from './kind-config.ts';
import { applyObjects, renderKustomization } from './kube-api.ts';

/** The platform's kustomization (platform/k8s/base). */
export const K8S_BASE = join(projectRoot(), 'platform', 'k8s', 'base');
/** The namespace the base puts everything in. */
export const PLATFORM_NAMESPACE = 'crucible';
const GATEWAY_REPLICAS = 2;
/** The identities whose certificates the pods mount (the harness keeps its own on the host). */
const POD_IDENTITIES = ['gateway', 'auth', 'catalog', 'prometheus'] as const;

export interface KindEndpoints {
  readonly edge: string;
  readonly edgeStats: string;
  readonly prometheus: string;
  readonly toxiproxy: string;
  /** The datastores themselves (not through the mesh), as the local target publishes them: for probes and the ledger's read-back. */
  readonly postgres: { readonly host: string; readonly port: number; readonly database: string };
  readonly redis: { readonly nodes: readonly { readonly host: string; readonly port: number }[] };
}

/**
 * Where kind-config.yaml publishes the platform on 127.0.0.1: NodePorts 30080, 30404, 30090, 30474 at
 * the block's base+0..3, PostgreSQL's 30630 at base+30, the Redis nodes' 30640-30645 at base+40..45
 * (the local target's offsets).
 */
export const kindEndpoints = (portBase: number): KindEndpoints => endpointsAt('127.0.0.1', (offset) => portBase + offset);

/**
 * The same NodePorts on a node's own address, for a cluster crucible did not create (`up --cluster`),
 * which publishes nothing on the host: a kind node's address is reachable from the host where the
 * engine's network is (Linux, rootful Podman or Docker).
 */
export function nodePortEndpoints(nodeAddress: string): KindEndpoints {
  const ports = nodePortsByOffset();
  return endpointsAt(nodeAddress, (offset) => {
    const port = ports.get(offset);
    if (port === undefined) throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `${KIND_CONFIG_FILE} publishes no NodePort at offset +${offset}`);
    return port;
  });
}

function endpointsAt(host: string, port: (offset: number) => number): KindEndpoints {
  return {
    edge: `http://${host}:${port(0)}`,
    edgeStats: `http://${host}:${port(1)}`,
    prometheus: `http://${host}:${port(2)}`,
    toxiproxy: `http://${host}:${port(3)}`,
    postgres: { host, port: port(30), database: PG_DATABASE },
    redis: { nodes: Array.from({ length: REDIS_NODES }, (_, i) => ({ host, port: port(40 + i) })) },
  };
}

export interface KindPlatformOptions {
  /** The cluster's name (crucible only deletes clusters it created under a name it chose). */
  readonly name: string;
  /**
   * Deploy into this existing cluster (`up --cluster`) instead of creating one: only crucible's
   * namespace is made, and only it is removed; the endpoints are the NodePorts on a node's address.
   */
  readonly into?: AttachedCluster;
  /** The host port block: the edge at portBase, its stats +1, Prometheus +2, the Toxiproxy API +3. */
  readonly portBase: number;
  /** Workers beside the control plane (kind-config.yaml's two, by default). */
  readonly workers?: number;
  readonly journal?: ClusterJournal;
  /**
   * Where the cluster's files (kubeconfig, rendered configuration) and the platform's (certificates,
   * keys) go, for a platform that outlives this process; a temporary folder, removed with it, by default.
   */
  readonly stateDir?: string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly clock?: Clock;
}

/**
 * The reference platform inside a kind cluster: the images built (`crucible images build`) and loaded
 * into the nodes, the Secrets and configurations the parts read made with new values, platform/k8s/base
 * applied, and ready when every workload is and the edge routes to a gateway through the NodePort.
 * Disposing it deletes the cluster (or, in a cluster it did not create, its namespace); a failed start
 * deletes what it made before it throws.
 */
export class KindPlatform implements AsyncDisposable {
  /** The cluster it created, or the one it was deployed into (whose delete() removes crucible's namespace only). */
  readonly cluster: KindCluster | AttachedCluster;
  readonly files: PlatformFiles;
  readonly endpoints: KindEndpoints;
  /** The temporary folder this platform owns (none when the caller gave a state folder). */
  readonly #tmp: string | undefined;

  private constructor(cluster: KindCluster | AttachedCluster, files: PlatformFiles, endpoints: KindEndpoints, tmp: string | undefined) {
    this.cluster = cluster;
    this.files = files;
    this.endpoints = endpoints;
    this.#tmp = tmp;
  }

  static async start(opts: KindPlatformOptions): Promise<KindPlatform> {
    const log = opts.log ?? (() => undefined);
    const signal = opts.signal;
    const engine = await detectContainerEngine();
    const tmp = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'crucible-kind-platform-')));
    let cluster: KindCluster | AttachedCluster | undefined;
    try {
      const { images } = await buildImages({ engine, log: (l) => log(`[images] ${l}`), ...(signal ? { signal } : {}) });
      cluster =
        opts.into ??
        (await KindCluster.create({
          name: opts.name,
          stateDir: join(tmp, 'cluster'),
          portBase: opts.portBase,
          ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
          ...(opts.journal ? { journal: opts.journal } : {}),
          ...(signal ? { signal } : {}),
          log,
        }));
      log(`loading ${images.length} images into the nodes`);
      await cluster.loadImages(
        images.map((i) => i.ref),
        signal,
      );
      const files = await makePlatformFiles(join(tmp, 'etc'));
      const endpoints = cluster instanceof AttachedCluster ? nodePortEndpoints(await cluster.nodeAddress()) : kindEndpoints(opts.portBase);
      await deployPlatform(cluster.kubeConfig, files, {
        corsOrigins: [endpoints.edge],
        images: Object.fromEntries(images.map((i) => [i.name, i.ref])),
        log,
        ...(signal ? { signal } : {}),
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      await edgeRoutes(endpoints.edge, signal);
      log('the edge routes to a gateway');
      return new KindPlatform(cluster, files, endpoints, opts.stateDir === undefined ? tmp : undefined);
    } catch (err) {
      await cluster?.delete();
      if (opts.stateDir === undefined) await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  get kubeConfig(): KubeConfig {
    return this.cluster.kubeConfig;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.cluster.delete();
    } finally {
      if (this.#tmp !== undefined) await rm(this.#tmp, { recursive: true, force: true });
    }
  }
}

/**
 * What holds the platform's secrets, made by the harness (never in the manifests): the datastores'
 * passwords, the CA with the pods' certificates and the JWT signing key, each service's service.json,
 * and the edge's haproxy.cfg (rendered by the one home of the edge's configuration).
 */
export async function platformSecretObjects(files: PlatformFiles, corsOrigins: readonly string[]): Promise<KubernetesObject[]> {
  const meta = (name: string) => ({ name, namespace: PLATFORM_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'crucible' } });
  const secret = (name: string, stringData: Record<string, string>): KubernetesObject =>
    ({ apiVersion: 'v1', kind: 'Secret', metadata: meta(name), type: 'Opaque', stringData }) as KubernetesObject;
  const s = files.secrets;
  const tls: Record<string, string> = {};
  const fromHost = async (inPod: string): Promise<void> => {
    tls[basename(inPod)] = await readFile(join(files.hostDir, basename(inPod)), 'utf8');
  };
  await fromHost(files.tls.gateway.caFile);
  for (const id of POD_IDENTITIES) {
    await fromHost(files.tls[id].certFile);
    await fromHost(files.tls[id].keyFile);
  }
  await fromHost(files.jwt.keyFile);
  // The mesh and the Redis nodes by their Service names: CoreDNS in the cluster answers for them, and a
  // ClusterIP or a StatefulSet pod's name outlives the pods behind it.
  const configs = serviceConfigs({
    files,
    mesh: 'toxiproxy',
    redisNodes: Array.from({ length: REDIS_NODES }, (_, i) => `redis-${i}.redis`),
    gatewayReplicas: GATEWAY_REPLICAS,
    corsOrigins,
  });
  const config = (value: object): Record<string, string> => ({ 'service.json': JSON.stringify(value, null, 2) });
  return [
    secret('redis-auth', { password: s.redisPassword }),
    secret('postgres-auth', { 'superuser-password': s.postgresSuperPassword, 'app-password': s.postgresAppPassword }),
    secret('platform-tls', tls),
    // CRUCIBLE_INSTANCE (the pod's name) replaces the instance named here.
    secret('gateway-config', config(configs.gateway('gateway'))),
    secret('auth-config', config(configs.auth('auth'))),
    secret('catalog-config', config(configs.catalog('catalog'))),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('edge'),
      data: {
        'haproxy.cfg': haproxyConfig({
          title: 'Generated by crucible for the reference platform on Kubernetes (the ConfigMap edge).',
          bind: `:${PORT.edge}`,
          statsBind: `:${PORT.edgeStats}`,
          servers: [{ name: 'gateway', address: `toxiproxy:${MESH_PORT.edgeToGateway}` }],
          // The one server is the gateway Service's pool (through the mesh): retried, not health-checked.
          healthChecks: false,
          vulnerable: [],
        }),
      },
    } as KubernetesObject,
  ];
}

export interface DeployOptions {
  readonly corsOrigins: readonly string[];
  /**
   * The image each part runs, by name (`crucible images build`'s content-hash tags), replacing the
   * manifests' version tags: a rebuilt image is a new tag, so a pod never runs a stale one under an old name.
   */
  readonly images?: Readonly<Partial<Record<ImageName, string>>>;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly clock?: Clock;
  /** How long the workloads may take to be ready (default 10 minutes: the first start seeds the data). */
  readonly timeoutMs?: number;
}

/** Applies platform/k8s/base with its secrets and waits until every workload is ready (bounded). */
export async function deployPlatform(kc: KubeConfig, files: PlatformFiles, opts: DeployOptions): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const objects = await renderKustomization(K8S_BASE, opts.signal);
  await applyObjects(
    kc,
    objects.filter((o) => o.kind === 'Namespace'),
    K8S_BASE,
  );
  await applyObjects(kc, await platformSecretObjects(files, opts.corsOrigins), "the platform's secrets");
  await applyObjects(
    kc,
    objects.filter((o) => o.kind !== 'Namespace').map((o) => pinImages(o, opts.images ?? {})),
    K8S_BASE,
  );
  log(`applied ${objects.length} objects from ${K8S_BASE}`);
  await waitForWorkloads(kc, objects, { ...opts, log });
}

interface PodTemplateHolder {
  spec?: { template?: { spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } } };
}

/** A workload with every container image of crucible's (localhost/crucible/<name>:...) replaced by `images[name]`. */
export function pinImages(object: KubernetesObject, images: Readonly<Partial<Record<ImageName, string>>>): KubernetesObject {
  const copy = structuredClone(object) as KubernetesObject & PodTemplateHolder;
  const pod = copy.spec?.template?.spec;
  for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
    const name = /^localhost\/crucible\/([a-z0-9-]+):/.exec(c.image ?? '')?.[1] as ImageName | undefined;
    const pinned = name ? images[name] : undefined;
    if (pinned) c.image = pinned;
  }
  return copy;
}

/**
 * Waits until every StatefulSet and Deployment of `objects` has all its replicas ready and every Job
 * succeeded; past the timeout, fails naming what is not ready, with the pods' events and last log lines.
 */
export async function waitForWorkloads(
  kc: KubeConfig,
  objects: readonly KubernetesObject[],
  opts: Pick<DeployOptions, 'signal' | 'log' | 'clock' | 'timeoutMs'> = {},
): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const clock = opts.clock ?? systemClock;
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = PLATFORM_NAMESPACE;
  const named = (kind: string): string[] => objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name ?? '');
  const deadline = clock.monotonicMs() + (opts.timeoutMs ?? 600_000);
  const done = new Set<string>();
  let waiting: string[] = [];
  for (;;) {
    opts.signal?.throwIfAborted();
    waiting = [];
    const check = async (key: string, ready: () => Promise<boolean>): Promise<void> => {
      if (done.has(key)) return;
      if (await ready().catch(() => false)) {
        done.add(key);
        log(`${key} ready`);
      } else waiting.push(key);
    };
    for (const name of named('StatefulSet'))
      await check(`statefulset/${name}`, async () => {
        const s = await apps.readNamespacedStatefulSet({ name, namespace });
        return (s.status?.readyReplicas ?? 0) >= (s.spec?.replicas ?? 1);
      });
    for (const name of named('Deployment'))
      await check(`deployment/${name}`, async () => {
        const d = await apps.readNamespacedDeployment({ name, namespace });
        return (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1) && (d.status?.updatedReplicas ?? 0) >= (d.spec?.replicas ?? 1);
      });
    for (const name of named('Job')) await check(`job/${name}`, async () => ((await batch.readNamespacedJob({ name, namespace })).status?.succeeded ?? 0) >= 1);
    if (waiting.length === 0) return;
    if (clock.monotonicMs() >= deadline) {
      const pods = (await core.listNamespacedPod({ namespace }).catch(() => ({ items: [] as V1Pod[] }))).items;
      const stuck = pods.filter((p) => !podReady(p) && p.status?.phase !== 'Succeeded');
      const details: string[] = [];
      // The first few pods that are not ready, each with what Kubernetes and the pod itself said last.
      for (const pod of stuck.slice(0, 3)) details.push(describePod(pod), ...(await podEvidence(core, pod)).map((l) => `    ${l}`));
      if (stuck.length > 3)
        details.push(
          `... and ${stuck.length - 3} more pods not ready: ${stuck
            .slice(3)
            .map((p) => p.metadata?.name ?? '?')
            .join(', ')}`,
        );
      throw new CrucibleError('CRUCIBLE_ERR_UP_TIMEOUT', `the platform in the kind cluster was not ready: ${waiting.join(', ')}`, {
        details,
        hint: 'kubectl --kubeconfig <the cluster kubeconfig> -n crucible describe pod <name> and logs say more; `crucible down --target kind` deletes the cluster.',
      });
    }
    await clock.sleep(2_000, opts.signal);
  }
}

/** A pod's last events (scheduling, pulls, probe failures) and the last lines of its first container's log (of the crashed run, when it restarted). */
async function podEvidence(core: CoreV1Api, pod: V1Pod): Promise<string[]> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? PLATFORM_NAMESPACE;
  const lines: string[] = [];
  try {
    const events = (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` })).items;
    const last = events.sort((a, b) => eventTime(a) - eventTime(b)).slice(-5);
    for (const e of last)
      lines.push(`event: ${e.type ?? ''} ${e.reason ?? ''}: ${(e.message ?? '').split('\n')[0] ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  } catch (err) {
    lines.push(`events: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const container = pod.spec?.containers[0]?.name;
  if (container) {
    const restarted = (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0;
    try {
      const log = await core.readNamespacedPodLog({ name, namespace, container, tailLines: 10, previous: restarted });
      for (const l of String(log).split('\n').filter(Boolean)) lines.push(`log${restarted ? ' (before its restart)' : ''}: ${l.slice(0, 300)}`);
    } catch {
      // No log yet (the container never started): the events say why.
    }
  }
  return lines;
}

const eventTime = (e: { lastTimestamp?: Date; eventTime?: Date; metadata?: { creationTimestamp?: Date } }): number =>
  new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();

/** Whether a pod's Ready condition is True. */
export const podReady = (p: V1Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function describePod(p: V1Pod): string {
  const states = (p.status?.containerStatuses ?? []).map((c) => {
    const waiting = c.state?.waiting;
    const last = c.lastState?.terminated;
    return `${c.name}: ${waiting ? `waiting (${waiting.reason ?? ''})` : c.state?.running ? 'running' : 'terminated'}, ${c.restartCount} restarts${last ? `, last exit ${last.exitCode} ${last.reason ?? ''}` : ''}`;
  });
  return `${p.metadata?.name ?? '?'} ${p.status?.phase ?? ''}: ${states.join('; ') || (p.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason ?? ''}`).join(', ')}`;
}
