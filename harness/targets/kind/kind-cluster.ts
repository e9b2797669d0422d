import type { KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectContainerEngine } from '../../containers/container-engine.ts';
import { engineCommand, engineExec, outputTail } from '../../containers/engine-command.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { systemClock, type Clock } from '../../util/clock.ts';
import { projectRoot } from '../../util/project-root.ts';
import { ClusterJournal } from './cluster-journal.ts';
import { applyManifestFile, loadKubeConfig, waitForNodesReady } from './kube-api.ts';
import { clusterNetwork, clusterVolumes, kindClusters, kindCommand, kindCreate, kindRunner, writePodmanWrapper, type KindRunner } from './kind-command.ts';
import { nodeCount, renderKindConfig } from './kind-config.ts';
import { KIND_FIX_REASONS, kindFixes, type KindFix, type NodeImageSource } from './kind-fixes.ts';
import { currentKindHost } from './kind-host.ts';
import { chooseNodeImage } from './kind-node-image.ts';

/** kube-router's manifest, applied when the cluster has no default CNI ('no-kindnetd'). */
export const KUBE_ROUTER_MANIFEST = join(projectRoot(), 'platform', 'kind', 'kube-router.yaml');

export interface KindClusterOptions {
  /** The cluster's name; crucible only ever deletes clusters it created under a name it chose. */
  readonly name: string;
  /** Workers beside the control plane (kind-config.yaml's, by default). */
  readonly workers?: number;
  /** The host port block the cluster's published ports move to (kind-config.yaml is written for 7300). */
  readonly portBase?: number;
  /** Where the rendered configuration, the kubeconfig and the podman wrapper go; a fresh temp folder by default. */
  readonly stateDir?: string;
  readonly journal?: ClusterJournal;
  /** Aborting stops the creation, and the cluster is deleted. */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** How long the nodes may take to become Ready after kind returns (default 4 minutes). */
  readonly readyTimeoutMs?: number;
  readonly clock?: Clock;
}

/** How long each phase of the creation took, for the caller's report. */
export interface CreateTimes {
  readonly nodeImageMs: number;
  readonly kindCreateMs: number;
  readonly cniMs: number;
  readonly nodesReadyMs: number;
}

/**
 * A kind cluster crucible created: `await using cluster = await KindCluster.create({ name })`.
 * Disposing it deletes the cluster, its node containers and its network. The creation is journaled
 * before kind runs (ClusterJournal), so `crucible recover` deletes what a SIGKILLed run left; a failed
 * or aborted creation deletes what it made before it throws.
 */
export class KindCluster implements AsyncDisposable {
  readonly name: string;
  readonly kubeconfigFile: string;
  readonly kubeConfig: KubeConfig;
  readonly fixes: readonly KindFix[];
  readonly nodeImage: NodeImageSource;
  readonly times: CreateTimes;
  readonly #runner: KindRunner;
  readonly #journal: ClusterJournal;
  readonly #stateDir: string;
  readonly #ownsStateDir: boolean;
  #deleting: Promise<void> | undefined;

  private constructor(p: {
    name: string;
    kubeconfigFile: string;
    kubeConfig: KubeConfig;
    fixes: readonly KindFix[];
    nodeImage: NodeImageSource;
    times: CreateTimes;
    runner: KindRunner;
    journal: ClusterJournal;
    stateDir: string;
    ownsStateDir: boolean;
  }) {
    this.name = p.name;
    this.kubeconfigFile = p.kubeconfigFile;
    this.kubeConfig = p.kubeConfig;
    this.fixes = p.fixes;
    this.nodeImage = p.nodeImage;
    this.times = p.times;
    this.#runner = p.runner;
    this.#journal = p.journal;
    this.#stateDir = p.stateDir;
    this.#ownsStateDir = p.ownsStateDir;
  }

  static async create(opts: KindClusterOptions): Promise<KindCluster> {
    const { name, signal, log = () => undefined } = opts;
    const clock = opts.clock ?? systemClock;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `'${name}' is not a usable cluster name (lowercase letters, digits and '-', at most 40)`);
    const engine = await detectContainerEngine(signal ? { signal } : {});
    const journal = opts.journal ?? new ClusterJournal();
    let runner = kindRunner(engine, name);
    if ((await kindClusters(runner, signal)).includes(name))
      throw new CrucibleError('CRUCIBLE_ERR_CLUSTER_NAME_IN_USE', `a kind cluster named '${name}' exists already`);

    let at = clock.monotonicMs();
    const lap = (): number => {
      const now = clock.monotonicMs();
      const ms = now - at;
      at = now;
      return ms;
    };
    const nodeImage = await chooseNodeImage(engine, { ...(signal ? { signal } : {}), log });
    const nodeImageMs = lap();
    const fixes = kindFixes(currentKindHost(engine.kind, nodeImage));
    for (const fix of fixes) log(`fix: ${KIND_FIX_REASONS[fix]}`);
    const config = renderKindConfig({
      name,
      fixes,
      nodeImage,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.portBase !== undefined ? { portBase: opts.portBase } : {}),
    });

    // The folder is made only now, so nothing that failed above leaves it behind; the journal names it.
    const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), `crucible-kind-${name}-`)));
    mkdirSync(stateDir, { recursive: true });
    const configFile = join(stateDir, 'kind-config.yaml');
    writeFileSync(configFile, config);
    if (fixes.includes('no-lib-modules')) runner = kindRunner(engine, name, writePodmanWrapper(stateDir, engine.bin));
    const kubeconfigFile = join(stateDir, 'kubeconfig');

    journal.created(name, engine.kind, opts.stateDir === undefined ? { tempDir: stateDir } : {});
    const cleanup = async (): Promise<void> => {
      await deleteCluster(runner, name, kubeconfigFile, log);
      journal.deleted(name);
    };
    try {
      log(`kind create cluster --name ${name} (${nodeImage.kind === 'local' ? nodeImage.ref : 'kindest/node'}, ${engine.kind})`);
      const created = await kindCreate(runner, ['create', 'cluster', '--name', name, '--config', configFile, '--kubeconfig', kubeconfigFile], {
        ...(signal ? { signal } : {}),
        log: (l) => log(`  ${l}`),
      });
      if (created.code !== 0)
        throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `kind create cluster --name ${name} failed (exit ${created.code})`, {
          details: outputTail(created),
        });
      const kindCreateMs = lap();
      const kubeConfig = await loadKubeConfig(kubeconfigFile);
      if (fixes.includes('no-kindnetd')) {
        log('applying kube-router (CNI and NetworkPolicy)');
        await applyManifestFile(kubeConfig, KUBE_ROUTER_MANIFEST);
      }
      const cniMs = lap();
      await waitForNodesReady(kubeConfig, nodeCount(config), { timeoutMs: opts.readyTimeoutMs ?? 240_000, clock, ...(signal ? { signal } : {}) });
      const nodesReadyMs = lap();
      return new KindCluster({
        name,
        kubeconfigFile,
        kubeConfig,
        fixes,
        nodeImage,
        times: { nodeImageMs, kindCreateMs, cniMs, nodesReadyMs },
        runner,
        journal,
        stateDir,
        ownsStateDir: opts.stateDir === undefined,
      });
    } catch (err) {
      // kind removes what a failed create made, but not what an interrupted one made.
      try {
        await cleanup();
      } catch (cleanupErr) {
        log(`deleting the half-created cluster failed too: ${(cleanupErr as Error).message}`);
      }
      if (opts.stateDir === undefined) rmSync(stateDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The node containers' names (`kind get nodes`). */
  async nodes(signal?: AbortSignal): Promise<string[]> {
    const out = await kindCommand(this.#runner, ['get', 'nodes', '--name', this.name], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
    return out.split('\n').filter(Boolean).sort();
  }

  /**
   * Puts images from the engine into every node's containerd (`kind load docker-image` needs the docker
   * CLI: an archive works with either engine). About 6 s per image.
   */
  loadImages(refs: readonly string[], signal?: AbortSignal): Promise<void> {
    return loadImageArchives(this.#runner, this.name, refs, signal);
  }

  /** Deletes the cluster, its nodes and its network; at most once, however often it is called. */
  delete(): Promise<void> {
    this.#deleting ??= (async () => {
      await deleteCluster(this.#runner, this.name, this.kubeconfigFile);
      this.#journal.deleted(this.name);
      if (this.#ownsStateDir) rmSync(this.#stateDir, { recursive: true, force: true });
    })();
    return this.#deleting;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.delete();
  }
}

/** Puts images from the engine into every node of cluster `name`, one archive at a time (`kind load image-archive`). */
export async function loadImageArchives(runner: KindRunner, name: string, refs: readonly string[], signal?: AbortSignal): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crucible-kind-load-'));
  try {
    for (const ref of refs) {
      const archive = join(dir, 'image.tar');
      await engineCommand(runner.engine, ['save', '-o', archive, ref], signal ? { signal } : {});
      await kindCommand(runner, ['load', 'image-archive', archive, '--name', name], signal ? { signal } : {});
      await rm(archive, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `kind delete cluster` (which removes the node containers), then the cluster's own network, then a
 * check that no container of the cluster is left. Never aborted: a deletion must finish.
 */
export async function deleteCluster(runner: KindRunner, name: string, kubeconfigFile?: string, log: (line: string) => void = () => undefined): Promise<void> {
  log(`kind delete cluster --name ${name}`);
  await kindCommand(runner, ['delete', 'cluster', '--name', name, ...(kubeconfigFile ? ['--kubeconfig', kubeconfigFile] : [])], { timeoutMs: 180_000 });
  const network = clusterNetwork(name);
  const exists = await engineExec(runner.engine, ['network', 'inspect', network], { timeoutMs: 30_000 });
  if (exists.code === 0) await engineCommand(runner.engine, ['network', 'rm', network], { timeoutMs: 60_000 });
  const left = await engineCommand(runner.engine, ['ps', '-a', '-q', '--filter', `label=io.x-k8s.kind.cluster=${name}`], { timeoutMs: 30_000 });
  if (left.trim() !== '')
    throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `containers of cluster '${name}' are left after kind delete cluster`, {
      details: left.trim().split('\n'),
    });
  // An interrupted create can leave a node's volume without its container, which kind does not see.
  const volumes = await clusterVolumes(runner.engine, name);
  if (volumes.length > 0) await engineCommand(runner.engine, ['volume', 'rm', '-f', ...volumes], { timeoutMs: 60_000 });
}
