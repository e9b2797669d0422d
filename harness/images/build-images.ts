import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { ContainerEngine } from '../containers/container-engine.ts';
import { imageExists } from '../containers/debian-base-image.ts';
import { engineCommand, engineExec, outputTail } from '../containers/engine-command.ts';
import { findTool } from '../tools/find-tool.ts';
import { projectRoot } from '../util/project-root.ts';
import { userProjectRoot } from '../util/user-project.ts';
import { appInput } from './app-context.ts';
import { resolveBase, type BaseChoice, type ResolvedBase } from './base-image.ts';
import { contextHash, filesUnder, type ContextInput } from './context-hash.ts';
import { imageCacheDir } from './image-cache.ts';
import { imageRef, imageRepository, PLATFORM_IMAGES, type ContextPart, type ImageName, type PlatformImage } from './image-catalog.ts';
import { nodeInput } from './node-binary.ts';
import { StagingArea } from './staging-area.ts';

/** The label carrying an image's inputs hash; it also marks the images crucible built. */
export const INPUTS_LABEL = 'dev.crucible.inputs-sha256';

export interface ImageBuildResult {
  readonly name: ImageName;
  /** The exact reference: localhost/crucible/<name>:<version>-<hash>. */
  readonly ref: string;
  /** Also tagged <repository>:<version>, the reference the targets run. */
  readonly versionRef: string;
  readonly status: 'built' | 'up to date';
  readonly sizeBytes: number;
  /** Time spent on this image (staging, hashing and, when built, the build). */
  readonly ms: number;
}

export interface BuildImagesOptions {
  readonly engine: ContainerEngine;
  /** Which images; all of them by default. */
  readonly names?: readonly ImageName[];
  readonly base?: BaseChoice;
  readonly signal?: AbortSignal;
  /** A line of progress (what is being built, base image steps). */
  readonly log?: (line: string) => void;
  /** Called as each image is done, so the caller can print it at once. */
  readonly onImage?: (result: ImageBuildResult) => void;
  readonly root?: string;
  /** Build logs, one file per image; `.crucible/images/` in the user's project by default. */
  readonly logDir?: string;
  readonly now?: () => number;
}

export interface BuildImagesResult {
  readonly base: ResolvedBase;
  readonly images: readonly ImageBuildResult[];
}

function projectVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Inputs prepared once per run (the Node binary, the app) and shared by the images that need them. */
interface SharedInputs {
  node?: ContextInput;
  app?: ContextInput;
}

async function partInputs(part: ContextPart, root: string, shared: SharedInputs, signal: AbortSignal | undefined): Promise<ContextInput[]> {
  const cacheDir = imageCacheDir(root);
  switch (part.kind) {
    case 'copy':
      return (await filesUnder(join(root, part.from), (name) => name.endsWith('.test.ts'))).map((rel) => ({
        path: rel ? `${part.to}/${rel}` : part.to,
        source: rel ? join(root, part.from, rel) : join(root, part.from),
      }));
    case 'node':
      return [(shared.node ??= await nodeInput(cacheDir, signal))];
    case 'app':
      return [(shared.app ??= await appInput(root, cacheDir, signal))];
    case 'tool': {
      const file = findTool(part.tool);
      if (!file)
        throw new CrucibleError('CRUCIBLE_ERR_TOOL_MISSING', `${part.tool} is not installed, and the ${part.tool} image copies it`, {
          hint: `Run 'crucible setup' (it builds ${part.tool} from its Go module).`,
        });
      return [{ path: part.tool, source: file }];
    }
  }
}

/** Everything the image's context holds: its own folder (Containerfile and files) and its parts. */
async function imageInputs(image: PlatformImage, root: string, shared: SharedInputs, signal: AbortSignal | undefined): Promise<ContextInput[]> {
  const own = join(root, 'platform', 'images', image.name);
  const inputs: ContextInput[] = (await filesUnder(own)).map((rel) => ({ path: rel, source: join(own, rel) }));
  for (const part of image.context) inputs.push(...(await partInputs(part, root, shared, signal)));
  return inputs;
}

async function stageContext(name: ImageName, inputs: readonly ContextInput[], staging: string): Promise<string> {
  const ctx = join(staging, `context-${name}`);
  for (const input of inputs) {
    await mkdir(dirname(join(ctx, input.path)), { recursive: true });
    await cp(input.source, join(ctx, input.path), { recursive: true, verbatimSymlinks: true });
  }
  return ctx;
}

async function sizeOf(engine: ContainerEngine, ref: string, signal: AbortSignal | undefined): Promise<number> {
  const out = await engineCommand(engine, ['image', 'inspect', '--format', '{{.Size}}', ref], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  return Number(out.trim()) || 0;
}

/** Untags this image's earlier builds of the version, so rebuilding does not pile up images (shared layers stay). */
async function dropEarlierBuilds(engine: ContainerEngine, name: ImageName, version: string, keep: string, signal: AbortSignal | undefined): Promise<void> {
  const repo = imageRepository(name);
  const listed = await engineExec(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${repo}`], {
    timeoutMs: 30_000,
    ...(signal ? { signal } : {}),
  });
  const earlier = listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((ref) => ref.startsWith(`${repo}:${version}-`) && ref !== keep);
  if (earlier.length === 0) return;
  await engineExec(engine, ['rmi', ...earlier], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  // The untagged builds are dangling now; only crucible's own (by their label) are pruned.
  await engineExec(engine, ['image', 'prune', '--force', '--filter', `label=${INPUTS_LABEL}`], { timeoutMs: 120_000, ...(signal ? { signal } : {}) });
}

/**
 * Builds one image. The base is tagged under a name of this build's own for the build's duration,
 * so podman names its working container after it; a build that fails or is stopped has its process
 * group killed (its RUN steps run as its children under chroot isolation) and that container removed.
 */
async function build(
  engine: ContainerEngine,
  image: PlatformImage,
  ctx: string,
  refs: { exact: string; version: string },
  base: ResolvedBase,
  hash: string,
  version: string,
  logFile: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const buildName = `crucible-build-${image.name}-${randomBytes(4).toString('hex')}`;
  const from = `localhost/${buildName}:base`;
  await engineCommand(engine, ['tag', base.ref, from], { timeoutMs: 30_000 });
  const args = [
    'build',
    // Podman's default OCI format drops HEALTHCHECK; the docker format keeps it. Under chroot
    // isolation RUN steps are the build's own processes, so stopping the build stops them
    // (with runc they would outlive a stopped build).
    ...(engine.kind === 'podman' ? ['--format', 'docker', '--isolation', 'chroot'] : []),
    // No build container is left behind when a step fails.
    '--force-rm',
    '--build-arg',
    `BASE=${from}`,
    '--label',
    `org.opencontainers.image.version=${version}`,
    '--label',
    `${INPUTS_LABEL}=${hash}`,
    '-t',
    refs.exact,
    '-t',
    refs.version,
    '-f',
    join(ctx, 'Containerfile'),
    ctx,
  ];
  const log = createWriteStream(logFile);
  try {
    const result = await engineExec(engine, args, { onLine: (line) => log.write(`${line}\n`), processGroup: true, ...(signal ? { signal } : {}) });
    if (result.code !== 0)
      throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `the ${image.name} image did not build (exit ${result.code}); its log: ${logFile}`, {
        details: outputTail(result, 15),
      });
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
    await removeBuildLeftovers(engine, buildName, from);
  }
}

/** The working containers a stopped build left (podman lists them with --external) and the build's base tag. */
async function removeBuildLeftovers(engine: ContainerEngine, buildName: string, from: string): Promise<void> {
  const listed = await engineExec(engine, ['ps', '--all', '--quiet', ...(engine.kind === 'podman' ? ['--external'] : []), '--filter', `name=^${buildName}`], {
    timeoutMs: 30_000,
  });
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await engineExec(engine, ['rm', '--force', ...ids], { timeoutMs: 60_000 });
  await engineExec(engine, ['rmi', from], { timeoutMs: 30_000 });
}

/**
 * Builds the platform's images with docker or podman. Each is tagged with the version and the hash of
 * everything its build reads (context files, base image); an image whose exact tag exists is up to
 * date and skipped. Temporary contexts are removed on every path; a build stopped by the signal
 * leaves no build container (--force-rm, and SIGTERM lets the engine clean up).
 */
export async function buildImages(opts: BuildImagesOptions): Promise<BuildImagesResult> {
  const { engine, signal, log = () => undefined } = opts;
  const root = opts.root ?? projectRoot();
  const now = opts.now ?? (() => performance.now());
  const version = projectVersion(root);
  const wanted = opts.names ?? PLATFORM_IMAGES.map((i) => i.name);
  const logDir = opts.logDir ?? join(process.env['CRUCIBLE_STATE_DIR'] ?? join(userProjectRoot(), '.crucible'), 'images');
  await mkdir(logDir, { recursive: true });
  const base = await resolveBase(engine, opts.base ?? { kind: 'auto' }, { log, ...(signal ? { signal } : {}) });
  await using staging = await StagingArea.create();
  const shared: SharedInputs = {};
  const images: ImageBuildResult[] = [];
  for (const image of PLATFORM_IMAGES.filter((i) => wanted.includes(i.name))) {
    const started = now();
    const inputs = await imageInputs(image, root, shared, signal);
    const hash = await contextHash(inputs, { BASE: base.ref, BASE_ID: base.id });
    const refs = { exact: imageRef(image.name, version, hash), version: `${imageRepository(image.name)}:${version}` };
    const upToDate = await imageExists(engine, refs.exact, signal);
    if (upToDate) await engineCommand(engine, ['tag', refs.exact, refs.version], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    else {
      log(`building ${image.name} (${refs.exact})`);
      const ctx = await stageContext(image.name, inputs, staging.dir);
      await build(engine, image, ctx, refs, base, hash, version, join(logDir, `${image.name}.log`), signal);
      await dropEarlierBuilds(engine, image.name, version, refs.exact, signal);
    }
    const result: ImageBuildResult = {
      name: image.name,
      ref: refs.exact,
      versionRef: refs.version,
      status: upToDate ? 'up to date' : 'built',
      sizeBytes: await sizeOf(engine, refs.exact, signal),
      ms: now() - started,
    };
    images.push(result);
    opts.onImage?.(result);
  }
  return { base, images };
}
