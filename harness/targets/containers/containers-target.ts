import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { detectContainerEngine, type ContainerEngine, type ContainerEngineKind } from '../../containers/container-engine.ts';
import { removeOwned } from '../../containers/container-group.ts';
import { OWNER_LABEL } from '../../containers/container-spec.ts';
import { engineExec } from '../../containers/engine-command.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import type { BaseChoice } from '../../images/base-image.ts';
import { buildImages } from '../../images/build-images.ts';
import type { ImageName } from '../../images/image-catalog.ts';
import { userProjectRoot } from '../../util/user-project.ts';
import type { DownReport, Health, UpEvent } from '../target.ts';
import { listPorts, portMap } from '../../../platform/local/ports.ts';
import type { PlatformSecrets } from '../../../platform/local/plan-context.ts';
import type { ComponentStatus } from '../../../platform/local/supervisor-state.ts';
import { ContainerPlatform, type ContainerEndpoints, type DirectEndpoints } from './container-platform.ts';
import { PlatformContainers, type PlatformContainer } from './platform-containers.ts';

export const DEFAULT_CONTAINERS_PORT_BASE = 7300;

export interface ContainersOptions {
  /** The first port of the 100-port block on 127.0.0.1: edge, edge stats, Prometheus, Toxiproxy API at +0..+3 (as the local target). */
  readonly portBase?: number;
  readonly gatewayReplicas?: number;
  readonly base?: BaseChoice;
  /** docker or podman; detected when absent. */
  readonly engine?: ContainerEngineKind;
  /** Where the state folder goes (CRUCIBLE_STATE_DIR, else .crucible in the user's project, as the local target's). */
  readonly stateRoot?: string;
}

/** What `up` leaves in .crucible/containers-<base>/state.json, and `status --json` prints. */
export interface ContainersState {
  readonly version: 1;
  readonly target: 'containers';
  /** The network's name, every container's prefix and the owner label's value. */
  readonly name: string;
  readonly portBase: number;
  readonly engine: ContainerEngineKind;
  readonly gatewayReplicas: number;
  readonly startedAt: string;
  readonly readyAt: string;
  readonly images: Readonly<Record<ImageName, string>>;
  /**
   * The local target's endpoints (`crucible status --json`), at the same offsets of the port block, but
   * `supervisor`: there is no supervisor process (the engine's restart policy restarts a part).
   */
  readonly endpoints: ContainerEndpoints &
    DirectEndpoints & {
      /** The harness's client certificate for auth and catalog (mutual TLS). */
      readonly harnessTls: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
    };
}

/** A part's container as `status` reports it, in the local target's component shape (name, group, status, pid, restarts, ports, urls). */
export interface ContainerComponent {
  /** The part: redis-0, postgres, gateway-1, edge, ... */
  readonly name: string;
  readonly group: 'datastore' | 'mesh' | 'service' | 'edge' | 'observability';
  readonly type: 'process';
  /** ready: running and healthy; starting: running, not healthy (yet); held: paused; stopped: stopped by the user; crashed: exited otherwise. */
  readonly status: ComponentStatus;
  /** Its main process on the host, while it runs. */
  readonly pid?: number;
  /** How often its restart policy started it again. */
  readonly restarts: number;
  readonly ports: Record<string, number>;
  readonly urls: Record<string, string>;
  readonly container: string;
  /** The engine's word: running, paused, exited, created, ... */
  readonly engineState: string;
  readonly healthy: boolean;
}

/** `status --json`: the local target's shape (target, health, problems, state), the state with its components. */
export interface ContainersStatus {
  readonly target: 'containers';
  readonly health: Health;
  readonly problems: readonly string[];
  readonly state: (ContainersState & { readonly components: readonly ContainerComponent[] }) | undefined;
}

const GROUP_OF: Readonly<Record<string, ContainerComponent['group']>> = {
  postgres: 'datastore',
  toxiproxy: 'mesh',
  auth: 'service',
  catalog: 'service',
  edge: 'edge',
  prometheus: 'observability',
};
const groupOf = (part: string): ContainerComponent['group'] => GROUP_OF[part] ?? (part.startsWith('redis-') ? 'datastore' : 'service');

/** The status a container's engine state and health check amount to, in the local target's words. */
function componentStatus(c: PlatformContainer, healthy: boolean): ComponentStatus {
  if (c.state === 'running') return healthy ? 'ready' : 'starting';
  if (c.state === 'paused') return 'held';
  if (c.state === 'stopped' || c.state === 'created' || c.state === 'configured') return 'stopped';
  return 'crashed';
}

/** A part's published ports and URLs, read from the state's endpoints (what the local target's component lists). */
function published(part: string, e: ContainersState['endpoints'] | undefined): { ports: Record<string, number>; urls: Record<string, string> } {
  if (!e) return { ports: {}, urls: {} };
  const port = (url: string): number => Number(new URL(url).port);
  const http = (key: string, url: string): { ports: Record<string, number>; urls: Record<string, string> } => ({
    ports: { [key]: port(url) },
    urls: { [key]: url },
  });
  const gateway = /^gateway-(\d+)$/.exec(part);
  const redis = /^redis-(\d+)$/.exec(part);
  if (gateway) {
    const url = e.gateways[Number(gateway[1]) - 1];
    return url ? http('http', url) : { ports: {}, urls: {} };
  }
  if (redis) {
    const node = e.redis.nodes[Number(redis[1])];
    return node ? { ports: { redis: node.port }, urls: {} } : { ports: {}, urls: {} };
  }
  switch (part) {
    case 'edge':
      return { ports: { http: port(e.edge), stats: port(e.edgeStats) }, urls: { http: e.edge, stats: `${e.edgeStats}/stats` } };
    case 'prometheus':
      return http('http', e.prometheus);
    case 'toxiproxy':
      return http('api', e.toxiproxy);
    case 'auth':
      return http('https', e.auth);
    case 'catalog':
      return http('https', e.catalog);
    case 'postgres':
      return { ports: { postgres: e.postgres.port }, urls: {} };
    default:
      return { ports: {}, urls: {} };
  }
}

/**
 * `ps --format json`: podman prints one array (Names a list), docker one object per line (Names a
 * string); State is the engine's word (running, exited, paused, created).
 */
export function parsePs(text: string): { container: string; state: string }[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const rows = (trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').map((l) => JSON.parse(l))) as { Names?: unknown; State?: unknown }[];
  return rows.map((r) => ({
    container: String(Array.isArray(r.Names) ? r.Names[0] : r.Names),
    state: String(r.State).toLowerCase(),
  }));
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * The reference platform as containers (docker or podman) on one user network, from the images
 * `crucible images build` makes (built here when missing): same endpoints as the local target,
 * published on 127.0.0.1 at the same offsets of the port block. The containers outlive this process
 * (`up`, then `status`/`down` from other processes); every one carries the label
 * dev.crucible.owner=crucible-<base>, so `down` removes everything that label marks, also after a
 * crashed or killed harness.
 */
export class ContainersTarget {
  readonly kind = 'containers' as const;
  readonly portBase: number;
  readonly name: string;
  readonly stateDir: string;
  private readonly opts: ContainersOptions;
  private readonly onEvent: (e: UpEvent) => void;

  constructor(opts: ContainersOptions = {}, deps: { onEvent?: (e: UpEvent) => void } = {}) {
    this.opts = opts;
    this.portBase = opts.portBase ?? DEFAULT_CONTAINERS_PORT_BASE;
    if (!Number.isInteger(this.portBase) || this.portBase < 1024 || this.portBase > 65_435)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `invalid port base ${this.portBase}: expected an integer from 1024 to 65435`);
    const replicas = opts.gatewayReplicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10)
      throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `invalid replicas ${replicas}: expected 1 to 10 gateway replicas`);
    this.name = `crucible-${this.portBase}`;
    this.stateDir = join(opts.stateRoot ?? process.env['CRUCIBLE_STATE_DIR'] ?? join(userProjectRoot(), '.crucible'), `containers-${this.portBase}`);
    this.onEvent = deps.onEvent ?? (() => undefined);
  }

  private get stateFile(): string {
    return join(this.stateDir, 'state.json');
  }

  state(): ContainersState | undefined {
    try {
      return JSON.parse(readFileSync(this.stateFile, 'utf8')) as ContainersState;
    } catch {
      return undefined;
    }
  }

  /** The datastores' passwords of the running platform (`up` wrote them); undefined when it does not run. */
  secrets(): PlatformSecrets | undefined {
    try {
      return JSON.parse(readFileSync(join(this.stateDir, 'secrets.json'), 'utf8')) as PlatformSecrets;
    } catch {
      return undefined;
    }
  }

  private async engine(signal?: AbortSignal): Promise<ContainerEngine> {
    const kind = this.opts.engine ?? this.state()?.engine;
    return detectContainerEngine({ ...(kind ? { prefer: kind } : {}), ...(signal ? { signal } : {}) });
  }

  async up(signal?: AbortSignal): Promise<ContainersState> {
    const t0 = performance.now();
    const at = (): number => performance.now() - t0;
    const engine = await this.engine(signal);
    const existing = this.state();
    if (existing && (await this.status()).health === 'up') {
      this.onEvent({ kind: 'preflight', message: `already running (${existing.name}); reusing it` });
      return existing;
    }
    // A crashed or interrupted earlier run may have left containers holding the ports.
    await this.removeAll(engine);
    const replicas = this.opts.gatewayReplicas ?? 2;
    const map = portMap(this.portBase, replicas);
    const ports = [map.edge, map.edgeStats, map.prometheus, map.toxiproxy, ...map.gateways, map.auth, map.catalog, map.postgres, ...map.redis];
    const busy = (await Promise.all(ports.map(async (p) => ((await portFree(p)) ? undefined : p)))).filter((p) => p !== undefined);
    if (busy.length > 0) {
      const purpose = new Map(listPorts(map).map((p) => [p.port, p.purpose]));
      throw new CrucibleError(
        'CRUCIBLE_ERR_PORT_IN_USE',
        `port${busy.length > 1 ? 's' : ''} ${busy.map((p) => `${p} (${purpose.get(p) ?? '?'})`).join(', ')} of the block starting at ${this.portBase} in use`,
        { hint: 'Another platform (local, containers or kind) may use this port block: pass another --port-base, 100 ports apart.' },
      );
    }
    this.onEvent({ kind: 'preflight', message: `${engine.kind} (${engine.bin}); ${ports.length} ports of the block ${this.portBase} free` });

    const built = await buildImages({
      engine,
      ...(this.opts.base ? { base: this.opts.base } : {}),
      ...(signal ? { signal } : {}),
      log: (line) => this.onEvent({ kind: 'preflight', message: line }),
    });
    const images = Object.fromEntries(built.images.map((i) => [i.name, i.ref])) as Record<ImageName, string>;
    this.onEvent({ kind: 'preflight', message: `images: ${built.images.filter((i) => i.status === 'built').length} built, the rest up to date` });

    rmSync(this.stateDir, { recursive: true, force: true });
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const startedAt = new Date().toISOString();
    const platform = await ContainerPlatform.start({
      engine,
      images,
      name: this.name,
      gateways: this.opts.gatewayReplicas ?? 2,
      // The local target's offsets (platform/local/ports.ts), so the same endpoints are at the same ports.
      hostPorts: {
        edge: map.edge,
        edgeStats: map.edgeStats,
        prometheus: map.prometheus,
        toxiproxy: map.toxiproxy,
        gateways: map.gateways,
        auth: map.auth,
        catalog: map.catalog,
        postgres: map.postgres,
        redis: map.redis,
      },
      filesDir: join(this.stateDir, 'files'),
      ...(signal ? { signal } : {}),
      onProgress: (part, status) => this.onEvent({ kind: 'component', name: part, status: status === 'healthy' ? 'ready' : status, atMs: at() }),
    });
    const state: ContainersState = {
      version: 1,
      target: 'containers',
      name: this.name,
      portBase: this.portBase,
      engine: engine.kind,
      gatewayReplicas: this.opts.gatewayReplicas ?? 2,
      startedAt,
      readyAt: new Date().toISOString(),
      images,
      endpoints: { ...platform.endpoints, ...platform.direct, harnessTls: platform.files.harnessTls },
    };
    // The datastores' passwords, for what reads them directly (chaos probes, the ledger's read-back), readable by this user only.
    writeFileSync(join(this.stateDir, 'secrets.json'), JSON.stringify(platform.files.secrets), { mode: 0o600 });
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
    this.onEvent({ kind: 'ready', atMs: at() });
    return state;
  }

  private async removeAll(engine: ContainerEngine): Promise<string[]> {
    const left = await removeOwned(engine, this.name);
    if (left.length > 0)
      throw new CrucibleError('CRUCIBLE_ERR_DOWN_INCOMPLETE', `could not remove everything of ${this.name}`, {
        details: left,
        hint: `Remove them by hand: ${engine.kind} rm -f <id>; ${engine.kind} network rm ${this.name}.`,
      });
    return left;
  }

  private async list(engine: ContainerEngine): Promise<{ container: string; state: string }[]> {
    const out = await engineExec(engine, ['ps', '--all', '--filter', `label=${OWNER_LABEL}=${this.name}`, '--format', 'json'], { timeoutMs: 30_000 });
    return parsePs(out.stdout);
  }

  async status(): Promise<ContainersStatus> {
    const engine = await this.engine();
    const state = this.state();
    const platform = new PlatformContainers(this.name, engine);
    const found = await platform.list();
    const passing = await platform.healthyOf(found);
    const components: ContainerComponent[] = found.map((c) => {
      const healthy = passing.has(c.container);
      return {
        name: c.part,
        group: groupOf(c.part),
        type: 'process' as const,
        status: componentStatus(c, healthy),
        ...(c.state === 'running' && c.pid > 0 ? { pid: c.pid } : {}),
        restarts: c.restarts,
        ...published(c.part, state?.endpoints),
        container: c.container,
        engineState: c.state,
        healthy,
      };
    });
    const problems = [
      ...(state === undefined && components.length > 0
        ? [`containers of ${this.name} run without a state file (an interrupted up): 'crucible down --target containers'`]
        : []),
      ...components
        .filter((c) => !c.healthy)
        .map((c) => `${c.name} is ${c.engineState === 'running' ? 'running but not healthy' : `${c.engineState} (${c.status})`}`),
    ];
    const expected = 6 + 1 + 1 + 2 + (state?.gatewayReplicas ?? 2) + 2;
    const health: Health =
      components.length === 0 ? 'down' : state !== undefined && problems.length === 0 && components.length === expected ? 'up' : 'degraded';
    if (health === 'degraded' && components.length !== expected && state !== undefined) problems.push(`${components.length} of ${expected} containers exist`);
    return { target: 'containers', health, problems, state: state === undefined ? undefined : { ...state, components } };
  }

  async down(): Promise<DownReport> {
    const t0 = performance.now();
    const engine = await this.engine();
    const before = await this.list(engine);
    await this.removeAll(engine);
    if (existsSync(this.stateDir)) rmSync(this.stateDir, { recursive: true, force: true });
    return {
      wasRunning: before.some((c) => c.state === 'running'),
      stopped: before.map((c) => c.container),
      reaped: [],
      durationMs: performance.now() - t0,
    };
  }
}

/** Where faults on this platform act, as the fault journal records it (faultEnvironmentFor() finds it again). */
export const containersJournalTarget = (
  state: ContainersState,
): { kind: 'containers'; portBase: number; name: string; engine: ContainerEngineKind; toxiproxyUrl: string } => ({
  kind: 'containers',
  portBase: state.portBase,
  name: state.name,
  engine: state.engine,
  toxiproxyUrl: state.endpoints.toxiproxy,
});
