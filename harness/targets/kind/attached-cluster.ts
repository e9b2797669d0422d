import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectContainerEngine } from '../../containers/container-engine.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { systemClock, type Clock } from '../../util/clock.ts';
import { loadImageArchives } from './kind-cluster.ts';
import { kindClusters, kindCommand, kindRunner, type KindRunner } from './kind-command.ts';
import { loadKubeConfig } from './kube-api.ts';

/** The label platform/k8s/base puts on every object, the Namespace included. */
const PART_OF = 'app.kubernetes.io/part-of';

export interface AttachOptions {
  /** The existing kind cluster's name (`kind get clusters`). */
  readonly name: string;
  /** Where its kubeconfig is written (crucible never edits the user's ~/.kube/config). */
  readonly stateDir: string;
  /** The namespace the platform goes in, the one thing delete() removes. */
  readonly namespace: string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

/**
 * A kind cluster crucible did not create (`crucible up --target kind --cluster NAME`): images are
 * loaded into it and the platform deployed in crucible's namespace, and "delete" removes that namespace
 * only (every object of the platform is namespaced; the Namespace is the one cluster-scoped object it
 * makes), never the cluster, its nodes or anything else in it.
 */
export class AttachedCluster {
  readonly name: string;
  readonly kubeconfigFile: string;
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly #runner: KindRunner;
  #deleting: Promise<void> | undefined;

  private constructor(name: string, namespace: string, kubeconfigFile: string, kubeConfig: KubeConfig, runner: KindRunner) {
    this.name = name;
    this.namespace = namespace;
    this.kubeconfigFile = kubeconfigFile;
    this.kubeConfig = kubeConfig;
    this.#runner = runner;
  }

  static async open(opts: AttachOptions): Promise<AttachedCluster> {
    const { name, signal } = opts;
    const engine = await detectContainerEngine(signal ? { signal } : {});
    const runner = kindRunner(engine, name);
    const clusters = await kindClusters(runner, signal);
    if (!clusters.includes(name))
      throw new CrucibleError('CRUCIBLE_ERR_TARGET_UNAVAILABLE', `no kind cluster named '${name}' (${engine.kind} provider)`, {
        details: [`kind get clusters: ${clusters.join(', ') || 'none'}`],
        hint: 'Name one of those with --cluster, or leave --cluster out and crucible creates a cluster of its own.',
      });
    mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    const kubeconfigFile = join(opts.stateDir, 'kubeconfig');
    writeFileSync(kubeconfigFile, await kindCommand(runner, ['get', 'kubeconfig', '--name', name], { timeoutMs: 60_000, ...(signal ? { signal } : {}) }), {
      mode: 0o600,
    });
    const kubeConfig = await loadKubeConfig(kubeconfigFile);
    // down removes the namespace whole: never one that holds someone else's work.
    const existing = await kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: opts.namespace })
      .catch((err: unknown) => {
        if ((err as { code?: number }).code === 404) return undefined;
        throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `the API server of cluster '${name}' did not answer`, {
          cause: err,
          details: [String(err).split('\n')[0] ?? ''],
        });
      });
    if (existing && existing.metadata?.labels?.[PART_OF] !== 'crucible')
      throw new CrucibleError(
        'CRUCIBLE_ERR_INVALID_OPTION',
        `cluster '${name}' has a namespace '${opts.namespace}' that crucible did not make (no ${PART_OF}=crucible label)`,
        {
          hint: 'crucible deploys into that namespace and `down` deletes it whole: use a cluster without it.',
        },
      );
    opts.log?.(
      `using the existing kind cluster ${name}: the platform goes in namespace ${opts.namespace}, which down removes; nothing else in the cluster is touched`,
    );
    return new AttachedCluster(name, opts.namespace, kubeconfigFile, kubeConfig, runner);
  }

  loadImages(refs: readonly string[], signal?: AbortSignal): Promise<void> {
    return loadImageArchives(this.#runner, this.name, refs, signal);
  }

  /** The address the host reaches the platform's NodePorts at: the control plane's (else the first node's) InternalIP. */
  async nodeAddress(): Promise<string> {
    const nodes = (await this.kubeConfig.makeApiClient(CoreV1Api).listNode()).items;
    const controlPlane = nodes.find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}));
    const address = (controlPlane ?? nodes[0])?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (!address) throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `no node of cluster '${this.name}' reports an InternalIP`);
    return address;
  }

  /** Removes crucible's namespace and waits until it is gone (bounded); the cluster stays. At most once. */
  delete(opts: { clock?: Clock; timeoutMs?: number } = {}): Promise<void> {
    this.#deleting ??= removeNamespace(this.kubeConfig, this.namespace, opts).then(() => undefined);
    return this.#deleting;
  }
}

/** Deletes a namespace and waits until the API server no longer has it (its objects and volumes are gone with it). */
export async function removeNamespace(kc: KubeConfig, name: string, opts: { clock?: Clock; timeoutMs?: number } = {}): Promise<boolean> {
  const clock = opts.clock ?? systemClock;
  const core = kc.makeApiClient(CoreV1Api);
  const gone = (err: unknown): boolean => (err as { code?: number }).code === 404;
  try {
    await core.deleteNamespace({ name });
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
  const deadline = clock.monotonicMs() + (opts.timeoutMs ?? 180_000);
  for (;;) {
    try {
      await core.readNamespace({ name });
    } catch (err) {
      if (gone(err)) return true;
      throw err;
    }
    if (clock.monotonicMs() >= deadline)
      throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `namespace ${name} is still terminating after ${(opts.timeoutMs ?? 180_000) / 1000} s`, {
        hint: `kubectl get namespace ${name} -o yaml shows what holds it (its conditions name the objects left).`,
      });
    await clock.sleep(1_000);
  }
}
