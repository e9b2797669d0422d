/** Every port the local platform listens on, as fixed offsets from one base (docs/platform.md#ports). */
export interface PortMap {
  readonly edge: number;
  readonly edgeStats: number;
  readonly prometheus: number;
  readonly toxiproxy: number;
  readonly supervisor: number;
  readonly gateways: readonly number[];
  readonly auth: number;
  readonly catalog: number;
  /** Plain HTTP ports of auth and catalog, listened on only with the mesh-plaintext switch (kept free otherwise). */
  readonly authPlaintext: number;
  readonly catalogPlaintext: number;
  readonly postgres: number;
  readonly redis: readonly number[];
  readonly redisBus: readonly number[];
  readonly mesh: MeshPorts;
}

export interface MeshPorts {
  readonly edgeToGateway: readonly number[];
  readonly gatewayToAuth: number;
  readonly gatewayToCatalog: number;
  readonly authToPostgres: number;
  readonly catalogToPostgres: number;
  readonly gatewayToRedis: readonly number[];
  readonly authToRedis: readonly number[];
}

export const DEFAULT_PORT_BASE = 7300;
export const MAX_GATEWAY_REPLICAS = 10;
export const REDIS_NODES = 6;
/** The block is 100 ports wide; two platforms need bases at least this far apart. */
export const PORT_BLOCK_SIZE = 100;

const range = (start: number, n: number): number[] => Array.from({ length: n }, (_, i) => start + i);

export function portMap(base: number, gatewayReplicas: number): PortMap {
  return {
    edge: base,
    edgeStats: base + 1,
    prometheus: base + 2,
    toxiproxy: base + 3,
    supervisor: base + 4,
    gateways: range(base + 10, gatewayReplicas),
    auth: base + 20,
    catalog: base + 21,
    authPlaintext: base + 22,
    catalogPlaintext: base + 23,
    postgres: base + 30,
    redis: range(base + 40, REDIS_NODES),
    redisBus: range(base + 50, REDIS_NODES),
    mesh: {
      edgeToGateway: range(base + 60, gatewayReplicas),
      gatewayToAuth: base + 70,
      gatewayToCatalog: base + 71,
      authToPostgres: base + 72,
      catalogToPostgres: base + 73,
      gatewayToRedis: range(base + 80, REDIS_NODES),
      authToRedis: range(base + 90, REDIS_NODES),
    },
  };
}

/** Every port in the map, with what it is for (preflight names the owner of a port in use). */
export function listPorts(p: PortMap): { port: number; purpose: string }[] {
  const out: { port: number; purpose: string }[] = [
    { port: p.edge, purpose: 'edge' },
    { port: p.edgeStats, purpose: 'edge stats' },
    { port: p.prometheus, purpose: 'prometheus' },
    { port: p.toxiproxy, purpose: 'toxiproxy API' },
    { port: p.supervisor, purpose: 'supervisor control API' },
    ...p.gateways.map((port, i) => ({ port, purpose: `gateway-${i + 1}` })),
    { port: p.auth, purpose: 'auth' },
    { port: p.catalog, purpose: 'catalog' },
    { port: p.authPlaintext, purpose: 'auth plaintext (mesh-plaintext switch)' },
    { port: p.catalogPlaintext, purpose: 'catalog plaintext (mesh-plaintext switch)' },
    { port: p.postgres, purpose: 'postgres' },
    ...p.redis.map((port, i) => ({ port, purpose: `redis-${i}` })),
    ...p.redisBus.map((port, i) => ({ port, purpose: `redis-${i} cluster bus` })),
    ...p.mesh.edgeToGateway.map((port, i) => ({ port, purpose: `mesh edge->gateway-${i + 1}` })),
    { port: p.mesh.gatewayToAuth, purpose: 'mesh gateway->auth' },
    { port: p.mesh.gatewayToCatalog, purpose: 'mesh gateway->catalog' },
    { port: p.mesh.authToPostgres, purpose: 'mesh auth->postgres' },
    { port: p.mesh.catalogToPostgres, purpose: 'mesh catalog->postgres' },
    ...p.mesh.gatewayToRedis.map((port, i) => ({ port, purpose: `mesh gateway->redis-${i}` })),
    ...p.mesh.authToRedis.map((port, i) => ({ port, purpose: `mesh auth->redis-${i}` })),
  ];
  return out;
}
