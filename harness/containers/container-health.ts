import { setTimeout as sleep } from 'node:timers/promises';
import { CrucibleError } from '../errors/crucible-error.ts';
import type { ContainerEngine } from './container-engine.ts';
import { engineExec, outputTail } from './engine-command.ts';

/**
 * One health check of a container, as its image's HEALTHCHECK defines it. Podman runs health checks
 * from systemd timers, which machines without systemd lack, so crucible runs them itself
 * (`podman healthcheck run`); Docker runs them on its own, and its last status is read.
 */
export async function checkHealth(engine: ContainerEngine, container: string, signal?: AbortSignal): Promise<boolean> {
  const opts = { timeoutMs: 30_000, ...(signal ? { signal } : {}) };
  if (engine.kind === 'podman') return (await engineExec(engine, ['healthcheck', 'run', container], opts)).code === 0;
  const result = await engineExec(engine, ['inspect', '--format', '{{.State.Health.Status}}', container], opts);
  return result.code === 0 && result.stdout.trim() === 'healthy';
}

async function running(engine: ContainerEngine, container: string, signal: AbortSignal | undefined): Promise<boolean> {
  const result = await engineExec(engine, ['inspect', '--format', '{{.State.Running}}', container], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  return result.code === 0 && result.stdout.trim() === 'true';
}

/**
 * Waits (bounded by attempts, each `intervalMs` apart) until the container's health check passes.
 * A container that exits meanwhile fails at once, with its last log lines.
 */
export async function waitHealthy(
  engine: ContainerEngine,
  container: string,
  opts: { signal?: AbortSignal; attempts?: number; intervalMs?: number } = {},
): Promise<void> {
  const { signal, attempts = 120, intervalMs = 500 } = opts;
  for (let i = 0; i < attempts; i++) {
    if (await checkHealth(engine, container, signal)) return;
    if (!(await running(engine, container, signal))) {
      const logs = await engineExec(engine, ['logs', '--tail', '20', container], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
      throw new CrucibleError('CRUCIBLE_ERR_UP_FAILED', `container ${container} exited before it was healthy`, { details: outputTail(logs, 20) });
    }
    await sleep(intervalMs, undefined, signal ? { signal } : {});
  }
  const logs = await engineExec(engine, ['logs', '--tail', '20', container], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  throw new CrucibleError('CRUCIBLE_ERR_UP_TIMEOUT', `container ${container} was not healthy after ${attempts} checks`, { details: outputTail(logs, 20) });
}
