import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerEngine } from '../../containers/container-engine.ts';
import { ContainerGroup } from '../../containers/container-group.ts';
import { waitHealthy } from '../../containers/container-health.ts';
import { containerAddress, publishedPort, type Mount } from '../../containers/container-spec.ts';
import { engineCommand, engineExec } from '../../containers/engine-command.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { httpCall } from '../../util/http-call.ts';
import type { ImageName } from '../../images/image-catalog.ts';
import { haproxyConfig } from '../../../platform/edge/haproxy-config.ts';
import { CONTAINER_ETC, makePlatformFiles, type PlatformFiles } from '../reference-platform/platform-files.ts';
import { edgeRoutes } from '../reference-platform/edge-routes.ts';
import { MESH_PORT, PG_APP_USER, PG_DATABASE, PORT, REDIS_NODES, serviceConfigs } from '../reference-platform/service-configs.ts';

export interface ContainerPlatformOptions {
  readonly engine: ContainerEngine;
  /** The image reference to run for each part (crucible images build). */
  readonly images: Readonly<Record<ImageName, string>>;
  /** The network's name, every container's name prefix and the owner label's value. */
  readonly name: string;
  /** Gateway replicas behind the edge. @default 2 */
  readonly gateways?: number;
  /** Ports on 127.0.0.1 for what is published (the local target's endpoints); 0 or none (the default) lets the engine choose. */
  readonly hostPorts?: HostPorts;
  /**
   * Where the platform's files (certificates, keys, configurations) go; they are mounted into the
   * containers, so they must outlive a platform that outlives this process. A temporary folder,
   * removed with the platform, by default.
   */
  readonly filesDir?: string;
  readonly signal?: AbortSignal;
  /** A part started or became healthy. */
  readonly onProgress?: (part: string, status: 'starting' | 'healthy' | 'done') => void;
}

export interface HostPorts {
  readonly edge?: number;
  readonly edgeStats?: number;
  readonly prometheus?: number;
  readonly toxiproxy?: number;
  /** Gateway i's HTTP port, in replica order. */
  readonly gateways?: readonly number[];
  readonly auth?: number;
  readonly catalog?: number;
  readonly postgres?: number;
  /** Redis node i's port, in node order. */
  readonly redis?: readonly number[];
}

export interface ContainerEndpoints {
  readonly edge: string;
  readonly edgeStats: string;
  readonly prometheus: string;
  readonly toxiproxy: string;
}

/**
 * What else is published on 127.0.0.1, as the local target publishes it: each gateway, auth and catalog
 * (HTTPS, mutual TLS), and the datastores straight (not through the mesh), for probes and the
 * data-loss ledger's read-back; plus the host folders the services' audit logs and the containers'
 * output go to.
 */
export interface DirectEndpoints {
  readonly gateways: readonly string[];
  readonly auth: string;
  readonly catalog: string;
  readonly postgres: { readonly host: string; readonly port: number; readonly database: string; readonly user: string };
  readonly redis: { readonly nodes: readonly { readonly host: string; readonly port: number }[] };
  /** The services' audit logs (`<instance>.jsonl`), written through a mount. */
  readonly auditDir: string;
  /** Each container's output (`<part>.log`) with podman; docker keeps its own (`docker logs`). */
  readonly logDir: string;
}

const redisArgs = (password: string): string[] => [
  'redis-server',
  '--bind',
  '0.0.0.0',
  '--port',
  String(PORT.redis),
  '--protected-mode',
  'no',
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-node-timeout',
  '1000',
  '--requirepass',
  password,
  '--masterauth',
  password,
  '--dir',
  '/var/lib/redis',
  '--save',
  '',
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--repl-diskless-sync-delay',
  '0',
];

/**
 * The reference platform as containers on one user network: a 6-node Redis Cluster, PostgreSQL,
 * Toxiproxy, Prometheus, auth, catalog, the gateway replicas and the HAProxy edge, from the images
 * `crucible images build` makes, with the local target's settings (mutual TLS between services,
 * new secrets and certificates at every start). Disposing it removes every container, the network
 * and the platform's files; a failed start removes what it had started before it throws.
 */
export class ContainerPlatform implements AsyncDisposable {
  readonly group: ContainerGroup;
  readonly files: PlatformFiles;
  readonly endpoints: ContainerEndpoints;
  readonly direct: DirectEndpoints;
  private readonly tmp: string;

  private constructor(group: ContainerGroup, files: PlatformFiles, started: { endpoints: ContainerEndpoints; direct: DirectEndpoints }, tmp: string) {
    this.group = group;
    this.files = files;
    this.endpoints = started.endpoints;
    this.direct = started.direct;
    this.tmp = tmp;
  }

  static async start(opts: ContainerPlatformOptions): Promise<ContainerPlatform> {
    const tmp = opts.filesDir ?? (await mkdtemp(join(tmpdir(), 'crucible-containers-')));
    let group: ContainerGroup | undefined;
    try {
      const files = await makePlatformFiles(join(tmp, 'etc'));
      group = await ContainerGroup.create(opts.engine, opts.name, opts.signal);
      const started = await startAll(opts, group, files, tmp);
      return new ContainerPlatform(group, files, started, tmp);
    } catch (err) {
      const left = group ? await group.remove() : [];
      await rm(tmp, { recursive: true, force: true });
      if (left.length > 0)
        throw new SuppressedError(new Error(`could not remove ${left.join(', ')}`), err, 'the container platform failed to start and was not fully removed');
      throw err;
    }
  }

  /** Container name of a part ('gateway-1', 'redis-0', 'edge', ...). */
  container(part: string): string {
    return `${this.group.owner}-${part}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.group[Symbol.asyncDispose]();
    } finally {
      await rm(this.tmp, { recursive: true, force: true });
    }
  }
}

/** Where the services write their audit logs inside their containers (a mount of DirectEndpoints.auditDir). */
const AUDIT_DIR = '/var/log/crucible-audit';

/** One Toxiproxy proxy per edge of the platform, named as the local target's (so the same toxics apply), listening inside the toxiproxy container. */
export interface MeshProxy {
  readonly name: string;
  readonly listen: number;
  /** host:port on the network. */
  readonly upstream: string;
}

export function meshProxies(gateways: readonly string[]): MeshProxy[] {
  const redis = Array.from({ length: REDIS_NODES }, (_, i) => i);
  return [
    ...gateways.map((g, i) => ({ name: `edge-${g}`, listen: MESH_PORT.edgeToGateway + i, upstream: `${g}:${PORT.gateway}` })),
    { name: 'gateway-auth', listen: MESH_PORT.gatewayToAuth, upstream: `auth:${PORT.service}` },
    { name: 'gateway-catalog', listen: MESH_PORT.gatewayToCatalog, upstream: `catalog:${PORT.service}` },
    { name: 'auth-postgres', listen: MESH_PORT.authToPostgres, upstream: `postgres:${PORT.postgres}` },
    { name: 'catalog-postgres', listen: MESH_PORT.catalogToPostgres, upstream: `postgres:${PORT.postgres}` },
    ...redis.map((i) => ({ name: `gateway-redis-${i}`, listen: MESH_PORT.gatewayToRedis + i, upstream: `redis-${i}:${PORT.redis}` })),
    ...redis.map((i) => ({ name: `auth-redis-${i}`, listen: MESH_PORT.authToRedis + i, upstream: `redis-${i}:${PORT.redis}` })),
  ];
}

async function startAll(
  opts: ContainerPlatformOptions,
  group: ContainerGroup,
  files: PlatformFiles,
  dir: string,
): Promise<{ endpoints: ContainerEndpoints; direct: DirectEndpoints }> {
  const { engine, images, signal } = opts;
  const progress = opts.onProgress ?? (() => undefined);
  const name = (part: string): string => `${group.owner}-${part}`;
  const etc: Mount = { host: files.hostDir, container: CONTAINER_ETC, readOnly: true };
  // The services run as non-root users of the images: the audit folder is theirs to write (a mount).
  const auditDir = join(dir, 'audit');
  const logDir = join(dir, 'logs');
  await mkdir(auditDir, { recursive: true });
  await chmod(auditDir, 0o777);
  await mkdir(logDir, { recursive: true });
  const audit: Mount = { host: auditDir, container: AUDIT_DIR };
  const s = files.secrets;
  const healthy = async (part: string): Promise<void> => {
    await waitHealthy(engine, name(part), signal ? { signal } : {});
    progress(part, 'healthy');
  };
  // Podman gives a container a new address when it is stopped and started again (kept across a
  // restart by its restart policy; measured with podman 4.3), and the platform's parts reach each
  // other by address (below): each part gets a fixed one, so a container-stop fault's start brings
  // it back where the mesh, the Redis Cluster and Prometheus expect it. Docker allows fixed addresses
  // only on networks created with a subnet, so there the engine chooses (not exercised here: no Docker).
  const fixedAddress = engine.kind === 'podman' ? addressPlan(await group.subnet(signal)) : (): undefined => undefined;
  const start = async (part: string, spec: Omit<Parameters<ContainerGroup['start']>[0], 'name' | 'aliases'>): Promise<void> => {
    progress(part, 'starting');
    const ip = fixedAddress();
    // Every part is restarted by the engine when its process dies, as the local supervisor restarts crashed components.
    const logFile = engine.kind === 'podman' ? { logFile: join(logDir, `${part}.log`) } : {};
    await group.start({ ...spec, name: name(part), aliases: [part], restart: 'always', ...logFile, ...(ip === undefined ? {} : { ip }) }, signal);
  };
  const gatewayParts = Array.from({ length: opts.gateways ?? 2 }, (_, i) => `gateway-${i + 1}`);
  const hostPort = (key: 'edge' | 'edgeStats' | 'prometheus' | 'toxiproxy' | 'auth' | 'catalog' | 'postgres'): number => opts.hostPorts?.[key] ?? 0;

  // Datastores first: everything else depends on them.
  const redisParts = Array.from({ length: REDIS_NODES }, (_, i) => `redis-${i}`);
  for (const [i, part] of redisParts.entries())
    await start(part, {
      image: images.redis,
      command: redisArgs(s.redisPassword),
      publish: [{ containerPort: PORT.redis, hostPort: opts.hostPorts?.redis?.[i] ?? 0 }],
    });
  await start('postgres', {
    image: images.postgres,
    publish: [{ containerPort: PORT.postgres, hostPort: hostPort('postgres') }],
    env: {
      POSTGRES_PASSWORD: s.postgresSuperPassword,
      CRUCIBLE_PG_APP_USER: PG_APP_USER,
      CRUCIBLE_PG_APP_PASSWORD: s.postgresAppPassword,
      CRUCIBLE_PG_DATABASE: PG_DATABASE,
    },
  });
  for (const part of [...redisParts, 'postgres']) await healthy(part);
  // Parts reach each other by address, never by name at run time: a container's resolv.conf lists
  // the host's nameserver after the network's, so a lookup that waits out the network's (busy while
  // a container joins) takes the host's NXDOMAIN, and a proxy or client then fails one connection at
  // random (seen in CI as a 503 on a login). Podman keeps a container's address across restarts.
  const address = new Map<string, string>();
  const learn = async (parts: readonly string[]): Promise<void> => {
    for (const part of parts) address.set(part, await containerAddress(engine, name(part), group.network, signal));
  };
  const at = (part: string): string => {
    const ip = address.get(part);
    if (ip === undefined) throw new Error(`no address known yet for ${part}`);
    return ip;
  };
  await learn([...redisParts, 'postgres']);

  // The mesh: every service and datastore edge passes through Toxiproxy, as on the local target. Its
  // proxies come from a config file it loads at start, so a restarted Toxiproxy brings them all back;
  // an upstream not started yet is named until its address is known, then set through the API.
  const proxies = meshProxies(gatewayParts);
  const meshFile = join(files.hostDir, 'toxiproxy.json');
  const upstreamOf = (p: MeshProxy): string => {
    const [host, port] = p.upstream.split(':');
    const ip = address.get(host ?? '');
    return ip === undefined ? p.upstream : `${ip}:${port}`;
  };
  const writeMesh = async (): Promise<void> => {
    const config = proxies.map((p) => ({ name: p.name, listen: `0.0.0.0:${p.listen}`, upstream: upstreamOf(p), enabled: true }));
    await writeFile(meshFile, JSON.stringify(config), { mode: 0o644 });
  };
  await writeMesh();
  await start('toxiproxy', {
    image: images.toxiproxy,
    command: ['-config', `${CONTAINER_ETC}/toxiproxy.json`, '-proxy-metrics', '-runtime-metrics'],
    mounts: [etc],
    publish: [{ containerPort: PORT.toxiproxy, hostPort: hostPort('toxiproxy') }],
  });
  await healthy('toxiproxy');
  await learn(['toxiproxy']);
  const meshApi = `http://127.0.0.1:${await publishedPort(engine, name('toxiproxy'), PORT.toxiproxy, signal)}`;
  /** Points the proxies in front of these parts at their addresses, in the running Toxiproxy (which restarts the proxy's listener) and in its file. */
  const meshTo = async (parts: readonly string[]): Promise<void> => {
    await learn(parts);
    for (const p of proxies.filter((x) => parts.includes(x.upstream.split(':')[0] ?? ''))) {
      const reply = await httpCall(`${meshApi}/proxies/${p.name}`, 'PATCH', { body: { upstream: upstreamOf(p) }, timeoutMs: 5_000 });
      if (reply.status !== 200) throw new Error(`Toxiproxy did not take ${p.name}'s upstream ${upstreamOf(p)}: ${reply.status} ${reply.text}`);
    }
    await writeMesh();
  };
  const toxiproxy = at('toxiproxy');

  const addresses = redisParts.map(at);
  progress('redis-cluster', 'starting');
  await engineCommand(
    engine,
    [
      'exec',
      name('redis-0'),
      'redis-cli',
      '--no-auth-warning',
      '-a',
      s.redisPassword,
      '--cluster',
      'create',
      ...addresses.map((a) => `${a}:${PORT.redis}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ],
    { timeoutMs: 60_000, ...(signal ? { signal } : {}) },
  );
  await clusterOk(engine, redisParts.map(name), s.redisPassword, signal);
  progress('redis-cluster', 'done');

  const configFile = async (instance: string, config: object): Promise<Mount> => {
    const file = join(files.hostDir, `${instance}.json`);
    await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o644 });
    return { host: file, container: '/etc/crucible-service.json', readOnly: true };
  };
  const serviceEnv = { CRUCIBLE_SERVICE_CONFIG: '/etc/crucible-service.json' };
  const configs = serviceConfigs({
    files,
    mesh: toxiproxy,
    redisNodes: addresses,
    gatewayReplicas: gatewayParts.length,
    corsOrigins: [hostPort('edge') ? `http://127.0.0.1:${hostPort('edge')}` : undefined].filter((u) => u !== undefined),
  });
  const auditFile = (instance: string): { auditFile: string } => ({ auditFile: `${AUDIT_DIR}/${instance}.jsonl` });
  await start('auth', {
    image: images.auth,
    env: serviceEnv,
    mounts: [etc, audit, await configFile('auth-1', { ...configs.auth('auth-1'), ...auditFile('auth-1') })],
    publish: [{ containerPort: PORT.service, hostPort: hostPort('auth') }],
  });
  await start('catalog', {
    image: images.catalog,
    env: serviceEnv,
    mounts: [etc, audit, await configFile('catalog-1', { ...configs.catalog('catalog-1'), ...auditFile('catalog-1') })],
    publish: [{ containerPort: PORT.service, hostPort: hostPort('catalog') }],
  });
  for (const part of ['auth', 'catalog']) await healthy(part);
  await meshTo(['auth', 'catalog']);

  for (const [i, part] of gatewayParts.entries()) {
    await start(part, {
      image: images.gateway,
      env: serviceEnv,
      mounts: [etc, audit, await configFile(part, { ...configs.gateway(part), ...auditFile(part) })],
      publish: [{ containerPort: PORT.gateway, hostPort: opts.hostPorts?.gateways?.[i] ?? 0 }],
    });
  }
  for (const part of gatewayParts) await healthy(part);
  await meshTo(gatewayParts);

  // The edge reaches the gateways through their mesh proxies, so its servers are Toxiproxy's address.
  const edgeFile = join(files.hostDir, 'haproxy.cfg');
  await writeFile(
    edgeFile,
    haproxyConfig({
      title: `Generated by crucible for the container platform ${group.owner}.`,
      bind: `:${PORT.edge}`,
      statsBind: `:${PORT.edgeStats}`,
      servers: gatewayParts.map((p, i) => ({ name: p, address: `${toxiproxy}:${MESH_PORT.edgeToGateway + i}` })),
      vulnerable: [],
    }),
    { mode: 0o644 },
  );
  await start('edge', {
    image: images.edge,
    mounts: [{ host: edgeFile, container: '/etc/haproxy/haproxy.cfg', readOnly: true }],
    publish: [
      { containerPort: PORT.edge, hostPort: hostPort('edge') },
      { containerPort: PORT.edgeStats, hostPort: hostPort('edgeStats') },
    ],
  });

  await learn(['edge']);
  const promFile = join(files.hostDir, 'prometheus.yml');
  await writeFile(promFile, JSON.stringify(prometheusConfig(group.owner, gatewayParts, files, at), null, 2), { mode: 0o644 });
  await start('prometheus', {
    image: images.prometheus,
    mounts: [etc, { host: promFile, container: '/etc/prometheus/prometheus.yml', readOnly: true }],
    publish: [{ containerPort: PORT.prometheus, hostPort: hostPort('prometheus') }],
  });
  for (const part of ['edge', 'prometheus']) await healthy(part);

  const url = async (part: string, port: number): Promise<string> => `http://127.0.0.1:${await publishedPort(engine, name(part), port, signal)}`;
  const endpoints = {
    edge: await url('edge', PORT.edge),
    edgeStats: await url('edge', PORT.edgeStats),
    prometheus: await url('prometheus', PORT.prometheus),
    toxiproxy: await url('toxiproxy', PORT.toxiproxy),
  };
  // The edge's own health check says HAProxy runs; the platform is ready when the edge routes to a
  // gateway (its health checks have marked one up), as the local target's edge readiness asks.
  const direct: DirectEndpoints = {
    gateways: await Promise.all(gatewayParts.map((p) => url(p, PORT.gateway))),
    auth: (await url('auth', PORT.service)).replace(/^http:/, 'https:'),
    catalog: (await url('catalog', PORT.service)).replace(/^http:/, 'https:'),
    postgres: { host: '127.0.0.1', port: await publishedPort(engine, name('postgres'), PORT.postgres, signal), database: PG_DATABASE, user: PG_APP_USER },
    redis: { nodes: await Promise.all(redisParts.map(async (p) => ({ host: '127.0.0.1', port: await publishedPort(engine, name(p), PORT.redis, signal) }))) },
    auditDir,
    logDir,
  };
  await edgeRoutes(endpoints.edge, signal);
  progress('edge-routes', 'done');
  return { endpoints, direct };
}

/** The subnet's host addresses from .10 on (below them: the bridge's own), one per call; IPv4 subnets of /16 to /24. */
export function addressPlan(subnet: string): () => string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet);
  if (!m) throw new Error(`not an IPv4 subnet: ${subnet}`);
  const bits = Number(m[5]);
  if (bits < 16 || bits > 24) throw new Error(`subnet ${subnet}: expected a /16 to /24 network`);
  const base = m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0);
  let next = 10;
  return () => {
    const n = base + next++;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  };
}

/** Waits (bounded) until every node reports cluster_state:ok. */
async function clusterOk(engine: ContainerEngine, nodes: readonly string[], password: string, signal: AbortSignal | undefined): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const states = await Promise.all(
      nodes.map(async (node) => {
        const r = await engineExec(engine, ['exec', node, 'redis-cli', '--no-auth-warning', '-a', password, 'cluster', 'info'], {
          timeoutMs: 10_000,
          ...(signal ? { signal } : {}),
        });
        return r.stdout.includes('cluster_state:ok');
      }),
    );
    if (states.every(Boolean)) return;
    await sleep(250, undefined, signal ? { signal } : {});
  }
  throw new CrucibleError('CRUCIBLE_ERR_UP_TIMEOUT', 'the Redis Cluster in containers did not reach cluster_state:ok');
}

/** The local target's scrape configuration, with the parts' addresses (`at`) and their names as replica labels. */
function prometheusConfig(platform: string, gateways: readonly string[], files: PlatformFiles, at: (part: string) => string): object {
  const tlsFor = (serverName: string): object => ({ ...tlsFiles(files), server_name: serverName });
  return {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s', external_labels: { platform } },
    rule_files: ['/etc/prometheus/rules.yml'],
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${PORT.prometheus}`] }] },
      { job_name: 'gateway', static_configs: gateways.map((g) => ({ targets: [`${at(g)}:${PORT.gateway}`], labels: { replica: g } })) },
      {
        job_name: 'auth',
        scheme: 'https',
        tls_config: tlsFor('auth'),
        static_configs: [{ targets: [`${at('auth')}:${PORT.service}`], labels: { replica: 'auth-1' } }],
      },
      {
        job_name: 'catalog',
        scheme: 'https',
        tls_config: tlsFor('catalog'),
        static_configs: [{ targets: [`${at('catalog')}:${PORT.service}`], labels: { replica: 'catalog-1' } }],
      },
      { job_name: 'toxiproxy', static_configs: [{ targets: [`${at('toxiproxy')}:${PORT.toxiproxy}`] }] },
      { job_name: 'edge', static_configs: [{ targets: [`${at('edge')}:${PORT.edgeStats}`] }] },
    ],
  };
}

function tlsFiles(files: PlatformFiles): { ca_file: string; cert_file: string; key_file: string } {
  const id = files.tls.prometheus;
  return { ca_file: id.caFile, cert_file: id.certFile, key_file: id.keyFile };
}
