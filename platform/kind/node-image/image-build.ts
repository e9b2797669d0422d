import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ContainerEngine } from '../../../harness/containers/container-engine.ts';
import { engineExec, outputTail } from '../../../harness/containers/engine-command.ts';
import { imageId } from '../../../harness/containers/debian-base-image.ts';
import { CrucibleError } from '../../../harness/errors/crucible-error.ts';
import { inputsHash } from './binary-cache.ts';
import type { StepOptions } from './go-build.ts';

/** The label every image built here carries: the hash of what it was built from. */
export const INPUTS_LABEL = 'dev.crucible.inputs';

/** The inputs hash an image was built from, or undefined when the engine does not hold it (or it has none). */
export async function imageInputs(engine: ContainerEngine, ref: string, signal?: AbortSignal): Promise<string | undefined> {
  const result = await engineExec(engine, ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref], {
    timeoutMs: 30_000,
    ...(signal ? { signal } : {}),
  });
  if (result.code !== 0) return undefined;
  const labels = JSON.parse(result.stdout.trim() || 'null') as Record<string, string> | null;
  return labels?.[INPUTS_LABEL];
}

export interface ImageSpec {
  /** The first tag; the cache is checked on it. */
  readonly ref: string;
  readonly moreTags?: readonly string[];
  /** The Containerfile's text. */
  readonly containerfile: string;
  /** Files copied into the build context under their own names. */
  readonly files: readonly string[];
  /** The hash of everything the image is made of (the Containerfile's text is added to it). */
  readonly hash: string;
  /** A build context prepared by the caller (and removed by it), instead of a fresh one holding `files`. */
  readonly contextDir?: string;
}

/** The label value an image built from spec carries. */
export const imageHash = (spec: ImageSpec): string => inputsHash(spec.hash, spec.containerfile);

/**
 * Builds the image unless the engine holds it built from the same inputs; returns whether it built.
 * The build context is a fresh folder under workDir, removed afterwards.
 */
export async function ensureImage(engine: ContainerEngine, spec: ImageSpec, workDir: string, opts: StepOptions = {}): Promise<boolean> {
  const hash = imageHash(spec);
  if ((await imageInputs(engine, spec.ref, opts.signal)) === hash) {
    // A tag removed by hand is put back without a build.
    for (const tag of spec.moreTags ?? []) await engineExec(engine, ['tag', spec.ref, tag], { timeoutMs: 30_000 });
    return false;
  }
  const context = spec.contextDir ?? join(workDir, `context-${basename(spec.ref).replace(/[^\w.-]/g, '_')}`);
  if (!spec.contextDir) {
    await rm(context, { recursive: true, force: true });
    await mkdir(context, { recursive: true });
  }
  try {
    for (const file of spec.files) await copyFile(file, join(context, basename(file)));
    await writeFile(join(context, 'Containerfile'), spec.containerfile);
    opts.log?.(`building ${spec.ref}`);
    const previous = await imageId(engine, spec.ref, opts.signal);
    const tags = [spec.ref, ...(spec.moreTags ?? [])].flatMap((t) => ['-t', t]);
    const result = await engineExec(engine, ['build', '--label', `${INPUTS_LABEL}=${hash}`, ...tags, '-f', join(context, 'Containerfile'), context], {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.log ? { onLine: (l: string) => opts.log?.(`  ${l}`) } : {}),
    });
    if (result.code !== 0)
      throw new CrucibleError('CRUCIBLE_ERR_NODE_IMAGE', `building ${spec.ref} failed (exit ${result.code})`, { details: outputTail(result) });
    // The build moved the tag: the image built before from other inputs is left untagged (1.4 GB for the
    // node image). Removing it fails harmlessly when another tag or a container still uses it.
    if (previous !== undefined && previous !== (await imageId(engine, spec.ref, opts.signal)))
      await engineExec(engine, ['rmi', previous], { timeoutMs: 60_000 });
    return true;
  } finally {
    if (!spec.contextDir) await rm(context, { recursive: true, force: true });
  }
}
