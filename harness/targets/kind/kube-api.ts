import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, loadAllYaml, type KubernetesObject, type V1Node } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputTail, runProcess } from '../../containers/engine-command.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { systemClock, type Clock } from '../../util/clock.ts';
import { projectRoot } from '../../util/project-root.ts';

export async function loadKubeConfig(file: string): Promise<KubeConfig> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** One key of a Secret, decoded (the API gives Secret data base64-encoded); throws naming the Secret and the key when it has none. */
export async function secretValue(kc: KubeConfig, namespace: string, name: string, key: string): Promise<string> {
  const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name, namespace });
  const value = secret.data?.[key];
  if (value === undefined) throw new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', `the Secret ${namespace}/${name} has no ${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

/** The objects of a (multi-document) manifest file. */
export function manifestObjects(file: string): KubernetesObject[] {
  return loadAllYaml(readFileSync(file, 'utf8')).filter((o): o is KubernetesObject => typeof o === 'object' && o !== null && 'kind' in o);
}

/**
 * Applies objects with server-side apply (field manager 'crucible'), in order, as
 * `kubectl apply --server-side` does: creates what is missing, updates what crucible applied before.
 */
export async function applyObjects(kc: KubeConfig, objects: readonly KubernetesObject[], from: string): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    try {
      await client.patch(object, undefined, undefined, 'crucible', true, PatchStrategy.ServerSideApply);
    } catch (err) {
      throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `applying ${object.kind} ${object.metadata?.name ?? ''} from ${from} failed`, {
        cause: err,
        details: [(err as Error).message.split('\n')[0] ?? ''],
      });
    }
  }
}

export async function applyManifestFile(kc: KubeConfig, file: string): Promise<void> {
  await applyObjects(kc, manifestObjects(file), file);
}

/**
 * kubectl, for `kubectl kustomize`: the one built with the kind node image (.tools/kind), else the one
 * on PATH. Kustomize has no maintained JavaScript implementation; kubectl carries it.
 */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string {
  const built = join(projectRoot(), '.tools', 'kind', 'bin', 'kubernetes', 'kubectl');
  const found = [
    built,
    ...(env['PATH'] ?? '')
      .split(':')
      .filter(Boolean)
      .map((d) => join(d, 'kubectl')),
  ].find((f) => existsSync(f));
  if (!found)
    throw new CrucibleError('CRUCIBLE_ERR_TOOL_MISSING', 'kubectl is not installed (crucible renders the platform/k8s kustomizations with it)', {
      details: ['kubectl: https://kubernetes.io/docs/tasks/tools/ (or build the kind node image: node platform/kind/build-node-image.ts)'],
    });
  return found;
}

/** The objects a kustomization renders to (`kubectl kustomize dir`), in kustomize's order (namespaces first). */
export async function renderKustomization(dir: string, signal?: AbortSignal): Promise<KubernetesObject[]> {
  const result = await runProcess(kubectlBinary(), ['kustomize', dir], process.env, { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  if (result.code !== 0)
    throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `kubectl kustomize ${dir} failed (exit ${result.code})`, { details: outputTail(result) });
  return loadAllYaml(result.stdout).filter((o): o is KubernetesObject => typeof o === 'object' && o !== null && 'kind' in o);
}

const isReady = (node: V1Node): boolean => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * Waits until `count` nodes are Ready (a node is NotReady until its CNI runs), polling the API server
 * every second; bounded by timeoutMs. The last state seen is in the error.
 */
export async function waitForNodesReady(kc: KubeConfig, count: number, opts: { timeoutMs: number; signal?: AbortSignal; clock?: Clock }): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const api = kc.makeApiClient(CoreV1Api);
  const deadline = clock.monotonicMs() + opts.timeoutMs;
  let seen: string;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const nodes = (await api.listNode()).items;
      const ready = nodes.filter(isReady).length;
      if (nodes.length >= count && ready >= count) return;
      seen = `${ready} of ${count} nodes Ready (${nodes.map((n) => `${n.metadata?.name}: ${isReady(n) ? 'Ready' : 'NotReady'}`).join(', ')})`;
    } catch (err) {
      seen = `the API server did not answer: ${(err as Error).message.split('\n')[0]}`;
    }
    if (clock.monotonicMs() >= deadline)
      throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `the cluster's nodes were not Ready within ${Math.round(opts.timeoutMs / 1000)} s`, {
        details: [seen],
      });
    await clock.sleep(1_000, opts.signal);
  }
}
