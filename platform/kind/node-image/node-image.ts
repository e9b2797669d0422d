import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerEngine } from '../../../harness/containers/container-engine.ts';
import { ensureDebianBase } from '../../../harness/containers/debian-base-image.ts';
import { engineCommand, engineExec, outputTail } from '../../../harness/containers/engine-command.ts';
import { CrucibleError } from '../../../harness/errors/crucible-error.ts';
import { projectRoot } from '../../../harness/util/project-root.ts';
import { ADDON_NAMES, addonBinaries, addonsInputsHash, type AddonName } from './addon-binaries.ts';
import { inputsHash } from './binary-cache.ts';
import { componentImageSpecs, ensureComponentImages } from './component-images.ts';
import { goModuleDir, type StepOptions } from './go-build.ts';
import { ensureImage, imageHash, imageInputs, type ImageSpec } from './image-build.ts';
import { kubernetesBinaries, kubernetesLdflags } from './kubernetes-binaries.ts';
import { COREDNS_VERSION, ETCD_IMAGE_TAG, K8S_REGISTRY, KIND_MODULE, KIND_VERSION, KUBERNETES_VERSION, PAUSE_TAGS, STAGING_VERSION } from './versions.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const STAGE_IMAGE = `localhost/crucible-kind-node-stage:${KUBERNETES_VERSION}`;

/** The node image kind-config.yaml names on machines without a registry (the tag is the version; a label holds the inputs' hash). */
export const LOCAL_NODE_IMAGE = `localhost/crucible-kind-node:${KUBERNETES_VERSION}`;

/**
 * Run inside the node image before it is final: a containerd without its CRI plugin imports every
 * component image into the k8s.io namespace, where the node's kubelet finds them (so nothing is
 * pulled). --no-unpack: the node's containerd unpacks on first use, with its own snapshotter.
 */
const IMPORT_SCRIPT = `set -eu
printf 'version = 2\\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\\n' > /tmp/import.toml
containerd --config /tmp/import.toml --log-level warn &
pid=$!
i=0
until ctr version >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 300 ] || { echo "containerd did not start" >&2; exit 1; }; sleep 0.1
done
for f in /images/*.tar; do ctr -n k8s.io images import --no-unpack --all-platforms "$f"; done
ctr -n k8s.io images ls -q
kill "$pid"; wait "$pid" || true
`;

/** Everything the node image is made of, hashed without building anything (a cached image skips every step). */
export function nodeImageInputs(base: string): string {
  const source = (file: string): string => readFileSync(join(HERE, file), 'utf8');
  const placeholders = Object.fromEntries(ADDON_NAMES.map((n) => [n, `/a/${n}`])) as Record<AddonName, string>;
  const componentFiles = componentImageSpecs({ kubernetes: '/k', addons: placeholders, hash: '' }, base).map((s) => `${s.ref}\n${s.containerfile}`);
  // Values, not source files: editing a comment in the builder's code does not rebuild a 1.4 GB image.
  return inputsHash(
    JSON.stringify({ KUBERNETES_VERSION, STAGING_VERSION, ETCD_IMAGE_TAG, COREDNS_VERSION, PAUSE_TAGS, KIND_VERSION, K8S_REGISTRY }),
    source('Containerfile'),
    source('default-storage.yaml'),
    addonsInputsHash(),
    kubernetesLdflags(),
    IMPORT_SCRIPT,
    base,
    ...componentFiles,
  );
}

export interface NodeImageOptions extends StepOptions {
  /** Where binaries, wrapper modules and build contexts go; kept between runs (the binaries are the cache). */
  readonly workDir?: string;
  /** Called with each step's name and how long it took (the CLI prints them). */
  readonly onStep?: (step: string, ms: number, built: boolean) => void;
}

export interface NodeImageResult {
  readonly ref: string;
  readonly built: boolean;
}

async function timed<T extends { built: boolean } | boolean>(name: string, opts: NodeImageOptions, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await step();
  opts.onStep?.(name, performance.now() - start, typeof result === 'boolean' ? result : result.built);
  return result;
}

/**
 * The kind node image (LOCAL_NODE_IMAGE), built when the engine does not hold it built from the same
 * inputs: the Debian base, Kubernetes and the add-ons from the Go module proxy, the component images,
 * the node's files from kind's module, then the component images imported into its containerd.
 * Each step is cached on its own (binaries by a stamp, images by their inputs label), so an
 * interrupted build resumes where it stopped. kind-on-podman.md has the facts this follows.
 */
export async function ensureNodeImage(engine: ContainerEngine, opts: NodeImageOptions = {}): Promise<NodeImageResult> {
  const workDir = opts.workDir ?? join(projectRoot(), '.tools', 'kind');
  const { signal } = opts;
  const step: StepOptions = { ...(signal ? { signal } : {}), ...(opts.log ? { log: opts.log } : {}) };
  const base = await timed('debian base image', opts, () => ensureDebianBase(engine, step));
  const final = finalImageSpec(nodeImageInputs(base.ref), join(workDir, 'build', 'node-final'));
  if ((await imageInputs(engine, LOCAL_NODE_IMAGE, signal)) === imageHash(final)) return { ref: LOCAL_NODE_IMAGE, built: false };

  const buildDir = join(workDir, 'build');
  await mkdir(buildDir, { recursive: true });
  const k8s = await timed(`kubernetes ${KUBERNETES_VERSION} binaries`, opts, () => kubernetesBinaries(join(workDir, 'bin', 'kubernetes'), buildDir, step));
  const addons = await timed('etcd, coredns, kube-router, local-path-provisioner, pause binaries', opts, () =>
    addonBinaries(join(workDir, 'bin'), buildDir, step),
  );
  const kubernetesStamp = readFileSync(join(k8s.dir, '.inputs'), 'utf8').trim();
  const bins = { kubernetes: k8s.dir, addons: addons.files, hash: `${kubernetesStamp}+${addons.hash}` };
  const components = await timed('component images', opts, () => ensureComponentImages(engine, bins, base.ref, buildDir, step));

  await timed('node image (packages, kind files, kubelet)', opts, async () => {
    const { dir: kindDir } = await goModuleDir(KIND_MODULE, KIND_VERSION, step);
    const context = join(buildDir, 'node-context');
    await rm(context, { recursive: true, force: true });
    await mkdir(join(context, 'bin'), { recursive: true });
    await cp(join(kindDir, 'images', 'base', 'files'), join(context, 'kind-base'), { recursive: true });
    // The module cache is read-only; the copies must be removable.
    await chmodTree(join(context, 'kind-base'));
    for (const b of ['kubeadm', 'kubelet', 'kubectl']) await cp(join(k8s.dir, b), join(context, 'bin', b));
    await cp(join(HERE, 'default-storage.yaml'), join(context, 'default-storage.yaml'));
    const result = await engineExec(
      engine,
      [
        'build',
        '--build-arg',
        `BASE=${base.ref}`,
        '--build-arg',
        `KUBERNETES_VERSION=${KUBERNETES_VERSION}`,
        '-t',
        STAGE_IMAGE,
        '-f',
        join(HERE, 'Containerfile'),
        context,
      ],
      { ...(signal ? { signal } : {}), ...(opts.log ? { onLine: (l: string) => opts.log?.(`  ${l}`) } : {}) },
    );
    await rm(context, { recursive: true, force: true });
    if (result.code !== 0)
      throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', `building the node image's base layer failed (exit ${result.code})`, { details: outputTail(result) });
    return true;
  });

  await timed('images imported into the node', opts, async () => {
    await importImages(engine, components.tags, final, step);
    return true;
  });
  await engineExec(engine, ['rmi', STAGE_IMAGE], { timeoutMs: 60_000 });
  return { ref: LOCAL_NODE_IMAGE, built: true };
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(path);
    else await chmod(path, 0o644);
  }
}

/** The final node image: the stage plus the containerd state the import left in contextDir/containerd. */
function finalImageSpec(hash: string, contextDir: string): ImageSpec {
  return { ref: LOCAL_NODE_IMAGE, containerfile: `FROM ${STAGE_IMAGE}\nCOPY containerd/ /var/lib/containerd/\n`, files: [], hash, contextDir };
}

/**
 * Saves each component image to an archive, imports them all into a containerd running in the stage
 * image (its state in a host folder), and builds the final image as the stage plus that state.
 */
async function importImages(engine: ContainerEngine, tags: readonly string[], final: ImageSpec, opts: StepOptions): Promise<void> {
  const context = final.contextDir ?? '';
  const images = join(context, '..', 'images');
  const container = `crucible-kind-node-import-${process.pid}`;
  await rm(images, { recursive: true, force: true });
  await rm(context, { recursive: true, force: true });
  await mkdir(images, { recursive: true });
  await mkdir(join(context, 'containerd'), { recursive: true });
  try {
    for (const [i, tag] of tags.entries()) {
      opts.log?.(`saving ${tag}`);
      await engineCommand(engine, ['save', '-o', join(images, `${String(i).padStart(2, '0')}.tar`), tag], opts.signal ? { signal: opts.signal } : {});
    }
    opts.log?.(`importing ${tags.length} images into the node's containerd`);
    await engineCommand(
      engine,
      [
        'run',
        '--rm',
        '--name',
        container,
        '--privileged',
        '--entrypoint',
        '/bin/sh',
        '-v',
        `${images}:/images:ro`,
        '-v',
        `${join(context, 'containerd')}:/var/lib/containerd`,
        STAGE_IMAGE,
        '-c',
        IMPORT_SCRIPT,
      ],
      { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.log ? { onLine: (l: string) => opts.log?.(`  ${l}`) } : {}) },
    );
    await ensureImage(engine, final, context, opts);
  } finally {
    // An interrupted run leaves the import container behind; --rm only covers a normal end.
    await engineExec(engine, ['rm', '-f', container], { timeoutMs: 60_000 });
    await rm(images, { recursive: true, force: true });
    await rm(context, { recursive: true, force: true });
  }
}
