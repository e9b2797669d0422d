import { setTimeout as sleep } from 'node:timers/promises';
import { detectContainerEngine, type ContainerEngine, type ContainerEngineKind } from '../../containers/container-engine.ts';
import { checkHealth, waitHealthy } from '../../containers/container-health.ts';
import { OWNER_LABEL } from '../../containers/container-spec.ts';
import { engineCommand, engineExec } from '../../containers/engine-command.ts';

const COMMAND_TIMEOUT_MS = 30_000;
const HEALTH_CHECKS_AT_ONCE = 4;
/** The engine's grace period for a stop before it sends SIGKILL. */
const STOP_GRACE_S = 10;

/** One container of the platform as the engine reports it. */
export interface PlatformContainer {
  /** The platform's part: gateway-1, redis-0, postgres, edge, ... */
  readonly part: string;
  /** The container's name: crucible-<portBase>-<part>. */
  readonly container: string;
  /** The engine's word: running, paused, exited, created, ... */
  readonly state: string;
  /** The host pid of its main process (0 when it does not run). */
  readonly pid: number;
  /** How often its restart policy has started it again. */
  readonly restarts: number;
}

/** `inspect` of every container at once, one line each: name, state, main pid, restarts. */
const INSPECT_FORMAT = '{{.Name}}|{{.State.Status}}|{{.State.Pid}}|{{.RestartCount}}';

/** Inspect lines as containers of `owner`, sorted by part. Docker's `.Name` starts with a slash, podman's does not. */
export function parseInspectLines(text: string, owner: string): PlatformContainer[] {
  const prefix = `${owner}-`;
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [rawName = '', state = '', pid = '0', restarts = '0'] = line.split('|');
      const container = rawName.replace(/^\//, '');
      return {
        part: container.startsWith(prefix) ? container.slice(prefix.length) : container,
        container,
        state: state.toLowerCase(),
        pid: Number(pid) || 0,
        restarts: Number(restarts) || 0,
      };
    })
    .sort((a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0));
}

/**
 * The containers of one platform (every one carries the owner label `owner`) through the container
 * engine: what `status` reports and what the container faults act on.
 */
export class PlatformContainers {
  readonly owner: string;
  readonly engine: ContainerEngine;

  constructor(owner: string, engine: ContainerEngine) {
    this.owner = owner;
    this.engine = engine;
  }

  /** Through the engine the platform runs on (detected: it must answer). */
  static async detect(owner: string, engine: ContainerEngineKind): Promise<PlatformContainers> {
    return new PlatformContainers(owner, await detectContainerEngine({ prefer: engine }));
  }

  private run(args: readonly string[]): Promise<string> {
    return engineCommand(this.engine, args, { timeoutMs: COMMAND_TIMEOUT_MS });
  }

  /** Every container of the platform, sorted by part; empty when none exists. */
  async list(): Promise<PlatformContainer[]> {
    const ids = (await this.run(['ps', '--all', '--quiet', '--filter', `label=${OWNER_LABEL}=${this.owner}`])).split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    return parseInspectLines(await this.run(['inspect', '--format', INSPECT_FORMAT, ...ids]), this.owner);
  }

  /** One container by its name; undefined when it does not exist. */
  async get(container: string): Promise<PlatformContainer | undefined> {
    const r = await engineExec(this.engine, ['inspect', '--format', INSPECT_FORMAT, container], { timeoutMs: COMMAND_TIMEOUT_MS });
    return r.code === 0 ? parseInspectLines(r.stdout, this.owner)[0] : undefined;
  }

  /** Its image's health check passes now. */
  healthy(container: string): Promise<boolean> {
    return checkHealth(this.engine, container);
  }

  /**
   * Which of the running containers pass their health check, a few at a time with one more try a
   * second later for those that failed: on a busy machine 14 health checks at once (each an exec into
   * its container) time out together, which is the machine's state, not the platform's.
   */
  async healthyOf(containers: readonly PlatformContainer[]): Promise<Set<string>> {
    const healthy = new Set<string>();
    let pending = containers.filter((c) => c.state === 'running').map((c) => c.container);
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(1_000);
      const failed: string[] = [];
      for (let i = 0; i < pending.length; i += HEALTH_CHECKS_AT_ONCE) {
        const batch = pending.slice(i, i + HEALTH_CHECKS_AT_ONCE);
        const results = await Promise.all(batch.map(async (c) => [c, await this.healthy(c)] as const));
        for (const [c, ok] of results) {
          if (ok) healthy.add(c);
          else failed.push(c);
        }
      }
      pending = failed;
    }
    return healthy;
  }

  /** Waits (bounded: 2 minutes) until its health check passes; a container that exits meanwhile fails with its last log lines. */
  waitHealthy(container: string): Promise<void> {
    return waitHealthy(this.engine, container, { attempts: 240, intervalMs: 500 });
  }

  async pause(container: string): Promise<void> {
    await this.run(['pause', container]);
  }

  async unpause(container: string): Promise<void> {
    await this.run(['unpause', container]);
  }

  /** A stop by the user, which the restart policy leaves stopped. */
  async stop(container: string): Promise<void> {
    await this.run(['stop', '--time', String(STOP_GRACE_S), container]);
  }

  async start(container: string): Promise<void> {
    await this.run(['start', container]);
  }
}
