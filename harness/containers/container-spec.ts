import type { ContainerEngine } from './container-engine.ts';
import { engineCommand } from './engine-command.ts';

/** Label on everything crucible starts, so a cleanup (or `crucible recover`) finds it all by value. */
export const OWNER_LABEL = 'dev.crucible.owner';

export interface Mount {
  readonly host: string;
  readonly container: string;
  readonly readOnly?: boolean;
}

export interface PublishedPort {
  readonly containerPort: number;
  /** The port on 127.0.0.1; 0 lets the engine choose (read it back with publishedPort). */
  readonly hostPort: number;
}

/** One `run -d`: what crucible needs of it, on docker and podman alike. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly network: string;
  /** Names other containers reach it by (besides its name). */
  readonly aliases?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly mounts?: readonly Mount[];
  readonly publish?: readonly PublishedPort[];
  /** The image's command replaced by these arguments. */
  readonly command?: readonly string[];
  /** Value of OWNER_LABEL. */
  readonly owner: string;
  /** `always`: the engine starts it again when its process dies (a killed container heals; `stop` is left stopped). */
  readonly restart?: 'always' | 'no';
  /** A fixed address on the network (podman: any free one of its subnet), kept across a stop and a start. */
  readonly ip?: string;
  /** Podman only: the container's output in this host file (the k8s-file log driver), which `podman logs` still reads. */
  readonly logFile?: string;
}

export function runArgs(spec: ContainerSpec): string[] {
  return [
    'run',
    '--detach',
    '--name',
    spec.name,
    '--network',
    spec.network,
    ...(spec.aliases ?? []).flatMap((a) => ['--network-alias', a]),
    ...(spec.ip ? ['--ip', spec.ip] : []),
    '--label',
    `${OWNER_LABEL}=${spec.owner}`,
    ...(spec.restart ? ['--restart', spec.restart] : []),
    ...(spec.logFile ? ['--log-driver', 'k8s-file', '--log-opt', `path=${spec.logFile}`] : []),
    ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...(spec.mounts ?? []).flatMap((m) => ['--volume', `${m.host}:${m.container}${m.readOnly ? ':ro' : ''}`]),
    // Published on loopback only: nothing the platform serves is reachable from other machines.
    ...(spec.publish ?? []).flatMap((p) => ['--publish', `127.0.0.1:${p.hostPort === 0 ? '' : p.hostPort}:${p.containerPort}`]),
    spec.image,
    ...(spec.command ?? []),
  ];
}

/** Starts the container; its ID. */
export async function startContainer(engine: ContainerEngine, spec: ContainerSpec, signal?: AbortSignal): Promise<string> {
  return (await engineCommand(engine, runArgs(spec), { timeoutMs: 120_000, ...(signal ? { signal } : {}) })).trim();
}

/** The 127.0.0.1 port a container port is published on. */
export async function publishedPort(engine: ContainerEngine, container: string, containerPort: number, signal?: AbortSignal): Promise<number> {
  const out = await engineCommand(engine, ['port', container, `${containerPort}/tcp`], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  const port = Number(/:(\d+)\s*$/m.exec(out)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${container}: no published port for ${containerPort} in '${out.trim()}'`);
  return port;
}

/** The container's address on the network. */
export async function containerAddress(engine: ContainerEngine, container: string, network: string, signal?: AbortSignal): Promise<string> {
  const out = await engineCommand(engine, ['inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container], {
    timeoutMs: 30_000,
    ...(signal ? { signal } : {}),
  });
  return out.trim();
}
