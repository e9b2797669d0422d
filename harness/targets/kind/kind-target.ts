import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectContainerEngine } from '../../containers/container-engine.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { httpCall } from '../../util/http-call.ts';
import { userProjectRoot } from '../../util/user-project.ts';
import type { DownReport, Health, UpEvent } from '../target.ts';
import { AttachedCluster, removeNamespace } from './attached-cluster.ts';
import { ClusterJournal } from './cluster-journal.ts';
import { deleteCluster } from './kind-cluster.ts';
import { kindClusters, kindRunner, writePodmanWrapper } from './kind-command.ts';
import { KindPlatform, PLATFORM_NAMESPACE, podReady, type KindEndpoints } from './kind-platform.ts';
import { loadKubeConfig } from './kube-api.ts';

export const DEFAULT_KIND_PORT_BASE = 7300;

export interface KindTargetOptions {
  /** The host port block: the edge at +0, its stats +1, Prometheus +2, the Toxiproxy API +3 (as the local target). */
  readonly portBase?: number;
  /** Workers beside the control plane (kind-config.yaml's two by default). */
  readonly workers?: number;
  /** Where the state folder goes (CRUCIBLE_STATE_DIR, else .crucible in the user's project). */
  readonly stateRoot?: string;
  readonly journal?: ClusterJournal;
  /**
   * Deploy into this existing kind cluster (`--cluster NAME`) instead of creating crucible-<base>:
   * only crucible's namespace is made in it, and `down` removes only that. The port base still names
   * the platform (its state folder), but the endpoints are the NodePorts on a node's address.
   */
  readonly cluster?: string;
}

/** What `up --target kind` leaves in .crucible/kind-<base>/state.json, and `status --json` prints. */
export interface KindState {
  readonly version: 1;
  readonly target: 'kind';
  /** The cluster's name (crucible-<base>, or the one `--cluster` named). */
  readonly name: string;
  /** True when the platform was deployed into a cluster crucible did not create (`--cluster`): down removes its namespace only. */
  readonly attached?: boolean;
  readonly portBase: number;
  readonly workers: number | undefined;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly startedAt: string;
  readonly readyAt: string;
  readonly endpoints: KindEndpoints & {
    /** The harness's client certificate for auth and catalog (mutual TLS). */
    readonly harnessTls: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
  };
  /** The auth service's JWT signing key on this machine (the penetration checks' operator key). */
  readonly signingKeyFile: string;
}

export interface WorkloadInfo {
  /** deployment/gateway, statefulset/redis, ... */
  readonly workload: string;
  readonly ready: number;
  readonly wanted: number;
}

export interface PodInfo {
  readonly name: string;
  /** Pending, Running, Succeeded, Failed. */
  readonly phase: string;
  readonly ready: boolean;
  readonly restarts: number;
  readonly node: string;
}

export interface KindStatus {
  readonly target: 'kind';
  readonly health: Health;
  readonly problems: readonly string[];
  readonly state: KindState | undefined;
  readonly workloads: readonly WorkloadInfo[];
  readonly pods: readonly PodInfo[];
}

/**
 * The reference platform inside a kind cluster that outlives this process: `up` creates the cluster
 * crucible-<base> and deploys platform/k8s (KindPlatform), `status` asks the API server and the edge,
 * `down` deletes the cluster. The cluster journal marks a cluster `up` finished as kept, so
 * `crucible recover` deletes only clusters whose creating run died before they were ready.
 */
export class KindTarget {
  readonly kind = 'kind' as const;
  readonly portBase: number;
  readonly name: string;
  readonly stateDir: string;
  readonly #opts: KindTargetOptions;
  /** The cluster crucible creates for this port base, the only one down ever deletes. */
  readonly #ownName: string;
  readonly #onEvent: (e: UpEvent) => void;

  constructor(opts: KindTargetOptions = {}, deps: { onEvent?: (e: UpEvent) => void } = {}) {
    this.#opts = opts;
    this.portBase = opts.portBase ?? DEFAULT_KIND_PORT_BASE;
    if (!Number.isInteger(this.portBase) || this.portBase < 1024 || this.portBase > 65_435)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `invalid port base ${this.portBase}: expected an integer from 1024 to 65435`);
    if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 0 || opts.workers > 5))
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `invalid workers ${opts.workers}: expected 0 to 5 workers beside the control plane`);
    this.#ownName = `crucible-${this.portBase}`;
    this.name = opts.cluster ?? this.#ownName;
    this.stateDir = join(opts.stateRoot ?? process.env['CRUCIBLE_STATE_DIR'] ?? join(userProjectRoot(), '.crucible'), `kind-${this.portBase}`);
    this.#onEvent = deps.onEvent ?? (() => undefined);
  }

  get #stateFile(): string {
    return join(this.stateDir, 'state.json');
  }

  /** Written before an up into an existing cluster acts, so a down after an interrupted up knows to remove only the namespace. */
  get #attachedFile(): string {
    return join(this.stateDir, 'attached.json');
  }

  /** The existing cluster this port base's platform was deployed into, if it was (from the state, or the marker of an unfinished up). */
  #attachedTo(): string | undefined {
    const state = this.state();
    if (state) return state.attached ? state.name : undefined;
    try {
      return (JSON.parse(readFileSync(this.#attachedFile, 'utf8')) as { cluster: string }).cluster;
    } catch {
      return undefined;
    }
  }

  state(): KindState | undefined {
    try {
      return JSON.parse(readFileSync(this.#stateFile, 'utf8')) as KindState;
    } catch {
      return undefined;
    }
  }

  async up(signal?: AbortSignal): Promise<KindState> {
    const t0 = performance.now();
    const existing = this.state();
    if (existing && (await this.status()).health === 'up') {
      this.#onEvent({ kind: 'preflight', message: `already running (cluster ${existing.name}); reusing it` });
      return existing;
    }
    // An earlier up that failed half-way, or a cluster whose state was lost, is replaced.
    await this.down();
    rmSync(this.stateDir, { recursive: true, force: true });
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    // An existing cluster is checked before anything is built or made: a misspelt name fails in seconds.
    let into: AttachedCluster | undefined;
    if (this.#opts.cluster !== undefined)
      try {
        into = await AttachedCluster.open({
          name: this.#opts.cluster,
          stateDir: join(this.stateDir, 'cluster'),
          namespace: PLATFORM_NAMESPACE,
          ...(signal ? { signal } : {}),
          log: (message) => this.#onEvent({ kind: 'preflight', message }),
        });
      } catch (err) {
        rmSync(this.stateDir, { recursive: true, force: true });
        throw err;
      }
    if (into) writeFileSync(this.#attachedFile, JSON.stringify({ cluster: into.name }));
    const journal = this.#opts.journal ?? new ClusterJournal();
    const startedAt = new Date().toISOString();
    const platform = await KindPlatform.start({
      name: this.name,
      ...(into ? { into } : {}),
      portBase: this.portBase,
      stateDir: this.stateDir,
      journal,
      ...(this.#opts.workers !== undefined ? { workers: this.#opts.workers } : {}),
      ...(signal ? { signal } : {}),
      // A workload that became ready is a component, as the other targets' parts are; the rest is progress.
      log: (line) => {
        const ready = /^(\S+) ready$/.exec(line)?.[1];
        this.#onEvent(ready ? { kind: 'component', name: ready, status: 'ready', atMs: performance.now() - t0 } : { kind: 'preflight', message: line.trim() });
      },
    });
    const state: KindState = {
      version: 1,
      target: 'kind',
      name: this.name,
      ...(this.#opts.cluster !== undefined ? { attached: true } : {}),
      portBase: this.portBase,
      workers: this.#opts.workers,
      kubeconfig: platform.cluster.kubeconfigFile,
      namespace: PLATFORM_NAMESPACE,
      startedAt,
      readyAt: new Date().toISOString(),
      endpoints: { ...platform.endpoints, harnessTls: platform.files.harnessTls },
      signingKeyFile: platform.files.jwt.hostKeyFile,
    };
    writeFileSync(`${this.#stateFile}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.#stateFile}.tmp`, this.#stateFile);
    // From here the cluster belongs to the state file, not to this process: recover leaves it alone.
    if (this.#opts.cluster === undefined) journal.kept(this.name);
    this.#onEvent({ kind: 'ready', atMs: performance.now() - t0 });
    return state;
  }

  async status(): Promise<KindStatus> {
    const state = this.state();
    const name = state?.name ?? this.name;
    const engine = await detectContainerEngine();
    const exists = (await kindClusters(kindRunner(engine, name))).includes(name);
    if (!exists)
      return {
        target: 'kind',
        health: 'down',
        problems: state ? [`the state file names cluster ${name}, which does not exist: 'crucible down --target kind' clears it`] : [],
        state,
        workloads: [],
        pods: [],
      };
    if (!state || !existsSync(state.kubeconfig))
      return {
        target: 'kind',
        health: 'degraded',
        problems: [`cluster ${name} exists without a state file (an interrupted up): 'crucible down --target kind' deletes it`],
        state,
        workloads: [],
        pods: [],
      };
    const problems: string[] = [];
    const workloads: WorkloadInfo[] = [];
    const pods: PodInfo[] = [];
    try {
      const kc = await loadKubeConfig(state.kubeconfig);
      const apps = kc.makeApiClient(AppsV1Api);
      for (const p of (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: state.namespace })).items)
        pods.push({
          name: p.metadata?.name ?? '?',
          phase: p.status?.phase ?? 'Unknown',
          ready: podReady(p),
          restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
          node: p.spec?.nodeName ?? '',
        });
      for (const d of (await apps.listNamespacedDeployment({ namespace: state.namespace })).items)
        workloads.push({ workload: `deployment/${d.metadata?.name ?? '?'}`, ready: d.status?.readyReplicas ?? 0, wanted: d.spec?.replicas ?? 1 });
      for (const s of (await apps.listNamespacedStatefulSet({ namespace: state.namespace })).items)
        workloads.push({ workload: `statefulset/${s.metadata?.name ?? '?'}`, ready: s.status?.readyReplicas ?? 0, wanted: s.spec?.replicas ?? 1 });
    } catch (err) {
      problems.push(`the API server did not answer: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
    workloads.sort((a, b) => a.workload.localeCompare(b.workload));
    for (const w of workloads) if (w.ready < w.wanted) problems.push(`${w.workload}: ${w.ready} of ${w.wanted} ready`);
    if (workloads.length === 0 && problems.length === 0) problems.push(`no workloads in namespace ${state.namespace}`);
    try {
      const edge = await httpCall(`${state.endpoints.edge}/healthz`, 'GET', { timeoutMs: 3_000 });
      if (edge.status !== 200) problems.push(`the edge answered ${edge.status} to GET /healthz`);
    } catch (err) {
      problems.push(`the edge at ${state.endpoints.edge} did not answer: ${(err as Error).message}`);
    }
    pods.sort((a, b) => a.name.localeCompare(b.name));
    return { target: 'kind', health: problems.length === 0 ? 'up' : 'degraded', problems, state, workloads, pods };
  }

  /**
   * Deletes the cluster (if it exists) and the state folder; for a platform deployed into an existing
   * cluster (`--cluster`), its namespace only.
   */
  async down(): Promise<DownReport> {
    const t0 = performance.now();
    const engine = await detectContainerEngine();
    const scratch = await mkdtemp(join(tmpdir(), 'crucible-kind-down-'));
    const attached = this.#attachedTo();
    let stopped: string[] = [];
    try {
      if (attached !== undefined) {
        const exists = (await kindClusters(kindRunner(engine, attached))).includes(attached);
        const cluster = exists ? await AttachedCluster.open({ name: attached, stateDir: scratch, namespace: PLATFORM_NAMESPACE }) : undefined;
        if (cluster && (await removeNamespace(cluster.kubeConfig, PLATFORM_NAMESPACE)))
          stopped = [`namespace ${PLATFORM_NAMESPACE} in kind cluster ${attached} (the cluster is left running)`];
      } else {
        // The podman wrapper lets kind delete nodes whatever fixes the cluster was created with.
        // Only ever the cluster crucible names for this port base: with --cluster, this.name is the
        // user's cluster, which no path may delete.
        const own = this.#ownName;
        const runner = kindRunner(engine, own, engine.kind === 'podman' ? writePodmanWrapper(scratch, engine.bin) : undefined);
        if ((await kindClusters(runner)).includes(own)) {
          // A kubeconfig of its own: kind would otherwise edit the user's ~/.kube/config.
          await deleteCluster(runner, own, join(scratch, 'kubeconfig'));
          (this.#opts.journal ?? new ClusterJournal()).deleted(own);
          stopped = [`kind cluster ${own}`];
        }
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    if (existsSync(this.stateDir)) rmSync(this.stateDir, { recursive: true, force: true });
    return { wasRunning: stopped.length > 0, stopped, reaped: [], durationMs: performance.now() - t0 };
  }
}
