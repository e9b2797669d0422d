import { CrucibleError } from '../errors/crucible-error.ts';
import type { ContainerEngine } from '../containers/container-engine.ts';
import { ensureDebianBase, imageId, LOCAL_DEBIAN_BASE, OFFICIAL_DEBIAN_BASE } from '../containers/debian-base-image.ts';
import { engineExec } from '../containers/engine-command.ts';

/** `--base`: auto, local (debootstrap here), official (from a registry), or any image reference. */
export type BaseChoice =
  { readonly kind: 'auto' } | { readonly kind: 'local' } | { readonly kind: 'official' } | { readonly kind: 'image'; readonly ref: string };

export function parseBase(text: string): BaseChoice {
  if (text === 'auto' || text === 'local' || text === 'official') return { kind: text };
  if (/^[a-z0-9][\w./:@-]*$/i.test(text)) return { kind: 'image', ref: text };
  throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `--base '${text}': expected auto, local, official or an image reference`);
}

export interface ResolvedBase {
  readonly ref: string;
  /** The base image's ID: part of every image's content hash, so a rebuilt base rebuilds the images. */
  readonly id: string;
  readonly origin: 'local' | 'official' | 'image';
}

export interface BaseOptions {
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

async function pulled(engine: ContainerEngine, ref: string, opts: BaseOptions): Promise<boolean> {
  opts.log?.(`pulling ${ref}`);
  const result = await engineExec(engine, ['pull', ref], { timeoutMs: 300_000, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (result.code !== 0) opts.log?.(`  cannot pull ${ref}: ${result.stderr.trim().split('\n').at(-1) ?? `exit ${result.code}`}`);
  return result.code === 0;
}

async function present(
  engine: ContainerEngine,
  ref: string,
  origin: ResolvedBase['origin'],
  signal: AbortSignal | undefined,
): Promise<ResolvedBase | undefined> {
  const id = await imageId(engine, ref, signal);
  return id ? { ref, id, origin } : undefined;
}

async function local(engine: ContainerEngine, opts: BaseOptions): Promise<ResolvedBase> {
  await ensureDebianBase(engine, opts);
  const found = await present(engine, LOCAL_DEBIAN_BASE, 'local', opts.signal);
  if (!found) throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `${LOCAL_DEBIAN_BASE} is missing right after it was built`);
  return found;
}

async function fromRegistry(engine: ContainerEngine, ref: string, origin: 'official' | 'image', opts: BaseOptions): Promise<ResolvedBase | undefined> {
  return (await present(engine, ref, origin, opts.signal)) ?? ((await pulled(engine, ref, opts)) ? present(engine, ref, origin, opts.signal) : undefined);
}

/**
 * The base image every Containerfile is built FROM (its BASE argument). auto: the official slim
 * Debian when it is present or can be pulled, else the local Debian base (made with debootstrap
 * when missing), so machines without a registry build everything themselves.
 */
export async function resolveBase(engine: ContainerEngine, choice: BaseChoice, opts: BaseOptions = {}): Promise<ResolvedBase> {
  switch (choice.kind) {
    case 'local':
      return local(engine, opts);
    case 'official':
    case 'image': {
      const ref = choice.kind === 'official' ? OFFICIAL_DEBIAN_BASE : choice.ref;
      const found = await fromRegistry(engine, ref, choice.kind, opts);
      if (!found)
        throw new CrucibleError('CRUCIBLE_ERR_BASE_IMAGE', `the base image ${ref} is not present and cannot be pulled`, {
          hint: "Check the registry is reachable, or build on the local Debian base ('--base local': debootstrap, no registry needed).",
        });
      return found;
    }
    case 'auto':
      return (
        (await present(engine, OFFICIAL_DEBIAN_BASE, 'official', opts.signal)) ??
        (await present(engine, LOCAL_DEBIAN_BASE, 'local', opts.signal)) ??
        (await fromRegistry(engine, OFFICIAL_DEBIAN_BASE, 'official', opts)) ??
        local(engine, opts)
      );
  }
}
