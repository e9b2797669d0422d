import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { engineExec } from './engine-command.ts';
import { podmanEnv } from './podman-env.ts';

export type ContainerEngineKind = 'docker' | 'podman';

/** A container engine's CLI and the environment to run it with (for podman: CONTAINERS_CONF where needed). */
export interface ContainerEngine {
  readonly kind: ContainerEngineKind;
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
}

const ENGINE_KINDS: readonly ContainerEngineKind[] = ['docker', 'podman'];

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function preferred(env: NodeJS.ProcessEnv, prefer: ContainerEngineKind | undefined): ContainerEngineKind | undefined {
  if (prefer) return prefer;
  const fromEnv = env['CRUCIBLE_CONTAINER_ENGINE'];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  if ((ENGINE_KINDS as readonly string[]).includes(fromEnv)) return fromEnv as ContainerEngineKind;
  throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `CRUCIBLE_CONTAINER_ENGINE is '${fromEnv}': expected docker or podman`);
}

/** Whether the engine's server answers: a docker CLI without a running daemon is not an engine. */
async function answers(engine: ContainerEngine, signal: AbortSignal | undefined): Promise<boolean> {
  const probe = engine.kind === 'docker' ? ['version', '--format', '{{.Server.Version}}'] : ['version', '--format', '{{.Client.Version}}'];
  try {
    const result = await engineExec(engine, probe, { timeoutMs: 15_000, ...(signal ? { signal } : {}) });
    return result.code === 0 && result.stdout.trim() !== '';
  } catch (err) {
    if (signal?.aborted) throw err;
    return false;
  }
}

function candidate(kind: ContainerEngineKind, env: NodeJS.ProcessEnv): ContainerEngine | undefined {
  const bin = findOnPath(kind, env);
  if (!bin) return undefined;
  return { kind, bin, env: kind === 'podman' ? podmanEnv({ env }) : { ...env } };
}

/**
 * The container engine to use: Docker where a Docker engine answers, Podman otherwise (rootful podman
 * needs no daemon). CRUCIBLE_CONTAINER_ENGINE=docker|podman (or `prefer`) picks one and fails when it
 * does not answer.
 */
export async function detectContainerEngine(
  opts: { env?: NodeJS.ProcessEnv; prefer?: ContainerEngineKind; signal?: AbortSignal } = {},
): Promise<ContainerEngine> {
  const env = opts.env ?? process.env;
  const wanted = preferred(env, opts.prefer);
  const tried: string[] = [];
  for (const kind of wanted ? [wanted] : ENGINE_KINDS) {
    const engine = candidate(kind, env);
    if (!engine) {
      tried.push(`${kind}: not installed (not on PATH)`);
      continue;
    }
    if (await answers(engine, opts.signal)) return engine;
    tried.push(kind === 'docker' ? `docker: ${engine.bin} is installed but no Docker engine answers` : `podman: ${engine.bin} does not run`);
  }
  throw new CrucibleError(
    'CRUCIBLE_ERR_NO_CONTAINER_ENGINE',
    wanted ? `the container engine ${wanted} is not usable` : 'no container engine is usable (neither Docker nor Podman)',
    {
      details: tried,
    },
  );
}
