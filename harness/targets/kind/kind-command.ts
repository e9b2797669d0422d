import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { ContainerEngine } from '../../containers/container-engine.ts';
import { engineCommand, outputTail, runProcess, type EngineCommandResult } from '../../containers/engine-command.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { findTool } from '../../tools/find-tool.ts';

/** How kind is run for one cluster: its binary and environment (provider, network, the podman wrapper). */
export interface KindRunner {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly engine: ContainerEngine;
}

/** The podman network of a cluster: one per cluster, so deleting the cluster can remove it too. */
export const clusterNetwork = (name: string): string => `kind-${name}`;

/**
 * The podman wrapper of the 'no-lib-modules' fix: kind's podman provider mounts /lib/modules read-only
 * into every node and podman refuses a missing source, so the wrapper points that one mount at an
 * empty folder and passes everything else to podman unchanged.
 */
export function podmanWrapperScript(podman: string, emptyDir: string): string {
  return [
    '#!/bin/sh',
    '# Written by crucible (harness/targets/kind/kind-command.ts) for hosts without /lib/modules (docs/kind.md).',
    'for arg; do',
    '  shift',
    `  if [ "$arg" = "/lib/modules:/lib/modules:ro" ]; then arg="${emptyDir}:/lib/modules:ro"; fi`,
    '  set -- "$@" "$arg"',
    'done',
    `exec "${podman}" "$@"`,
    '',
  ].join('\n');
}

/** Writes the wrapper into stateDir/bin and returns that folder (to go first on kind's PATH). */
export function writePodmanWrapper(stateDir: string, podman: string): string {
  const bin = join(stateDir, 'bin');
  const empty = join(stateDir, 'empty-lib-modules');
  mkdirSync(bin, { recursive: true });
  mkdirSync(empty, { recursive: true });
  writeFileSync(join(bin, 'podman'), podmanWrapperScript(podman, empty));
  chmodSync(join(bin, 'podman'), 0o755);
  return bin;
}

export function kindBinary(env: NodeJS.ProcessEnv = process.env): string {
  const bin = findTool('kind', env);
  if (!bin) throw new CrucibleError('CRUCIBLE_ERR_TOOL_MISSING', 'kind is not installed', { details: ['kind: Kubernetes in containers (the kind target)'] });
  return bin;
}

/** The runner for a cluster: the provider kind must use, the cluster's own network, and the wrapper folder first on PATH when given. */
export function kindRunner(engine: ContainerEngine, cluster: string, wrapperDir?: string): KindRunner {
  const env: NodeJS.ProcessEnv = { ...engine.env };
  if (engine.kind === 'podman') {
    env['KIND_EXPERIMENTAL_PROVIDER'] = 'podman';
    env['KIND_EXPERIMENTAL_PODMAN_NETWORK'] = clusterNetwork(cluster);
  } else env['KIND_EXPERIMENTAL_DOCKER_NETWORK'] = clusterNetwork(cluster);
  if (wrapperDir) env['PATH'] = `${wrapperDir}:${env['PATH'] ?? ''}`;
  return { bin: kindBinary(engine.env), env, engine };
}

/** Runs kind; never rejects on a non-zero exit (see kindCommand). */
export function kindExec(
  runner: KindRunner,
  args: readonly string[],
  opts: { signal?: AbortSignal; log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<EngineCommandResult> {
  return runProcess(runner.bin, args, runner.env, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.log ? { onLine: opts.log } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
}

/** Runs kind and returns its stdout; a non-zero exit is CRUCIBLE_ERR_KIND_CLUSTER with kind's last lines. */
export async function kindCommand(
  runner: KindRunner,
  args: readonly string[],
  opts: { signal?: AbortSignal; log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<string> {
  const result = await kindExec(runner, args, opts);
  if (result.code !== 0)
    throw new CrucibleError('CRUCIBLE_ERR_KIND_CLUSTER', `kind ${args.slice(0, 2).join(' ')} failed (exit ${result.code})`, { details: outputTail(result) });
  return result.stdout;
}

/** The clusters kind knows of (for this provider). */
export async function kindClusters(runner: KindRunner, signal?: AbortSignal): Promise<string[]> {
  const out = await kindCommand(runner, ['get', 'clusters'], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The volumes kind's podman provider made for a cluster's nodes (each node's /var), which it labels
 * with the node's name (`<cluster>-control-plane=true`, `<cluster>-worker2=true`). Docker's are anonymous
 * and go with their containers.
 */
export async function clusterVolumes(engine: ContainerEngine, name: string): Promise<string[]> {
  if (engine.kind !== 'podman') return [];
  // Cluster names are [a-z0-9-] (KindCluster.create checks), so the name needs no escaping.
  const node = new RegExp(`^${name}-(control-plane|worker)\\d*$`);
  const out = await engineCommand(engine, ['volume', 'ls', '--format', '{{.Name}} {{json .Labels}}'], { timeoutMs: 30_000 });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((line) => {
      const labels = JSON.parse(line.slice(line.indexOf(' ') + 1) || 'null') as Record<string, string> | null;
      return Object.keys(labels ?? {}).some((key) => node.test(key));
    })
    .map((line) => line.slice(0, line.indexOf(' ')));
}

/** Whether any process of the group still runs. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `kind create cluster` in a process group of its own. kind starts podman for each node; when the
 * creation is aborted, the whole group gets SIGTERM (as a terminal's Ctrl-C would send it), and this
 * resolves only once no process of the group is left (bounded: SIGKILL after 15 s), so the deletion
 * that follows cannot race a node container still being made.
 */
export function kindCreate(
  runner: KindRunner,
  args: readonly string[],
  opts: { signal?: AbortSignal; log?: (line: string) => void } = {},
): Promise<EngineCommandResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const child = spawn(runner.bin, [...args], { env: runner.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    let stdout = '';
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (l) => {
      stdout += `${l}\n`;
      opts.log?.(l);
    });
    createInterface({ input: child.stderr }).on('line', (l) => {
      stderr += `${l}\n`;
      opts.log?.(l);
    });
    let aborted = false;
    const stop = (): void => {
      aborted = true;
      if (pgid !== undefined && groupAlive(pgid)) process.kill(-pgid, 'SIGTERM');
    };
    opts.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', stop);
      reject(err);
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', stop);
      void (async () => {
        if (aborted && pgid !== undefined) {
          for (let waited = 0; groupAlive(pgid) && waited < 15_000; waited += 100) await sleep(100);
          if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
          return reject(opts.signal?.reason);
        }
        resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
      })();
    });
  });
}
