import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessComponent } from '../component-spec.ts';
import { HOST, type PlanContext } from '../plan-context.ts';

export interface MeshProxy {
  readonly name: string;
  readonly listen: number;
  readonly upstream: number;
}

/** One proxy per edge of the platform, named <from>-<to> (docs/platform.md#ports). */
function meshProxies(ctx: PlanContext): MeshProxy[] {
  const { ports: p } = ctx;
  return [
    ...p.gateways.map((upstream, i) => ({ name: `edge-gateway-${i + 1}`, listen: p.mesh.edgeToGateway[i]!, upstream })),
    { name: 'gateway-auth', listen: p.mesh.gatewayToAuth, upstream: p.auth },
    { name: 'gateway-catalog', listen: p.mesh.gatewayToCatalog, upstream: p.catalog },
    { name: 'auth-postgres', listen: p.mesh.authToPostgres, upstream: p.postgres },
    { name: 'catalog-postgres', listen: p.mesh.catalogToPostgres, upstream: p.postgres },
    ...p.redis.map((upstream, i) => ({ name: `gateway-redis-${i}`, listen: p.mesh.gatewayToRedis[i]!, upstream })),
    ...p.redis.map((upstream, i) => ({ name: `auth-redis-${i}`, listen: p.mesh.authToRedis[i]!, upstream })),
  ];
}

/**
 * The proxies come from a config file Toxiproxy loads at start (not from API calls), so when the
 * supervisor restarts a crashed Toxiproxy the mesh comes back whole by itself.
 */
export function toxiproxyComponent(ctx: PlanContext): ProcessComponent {
  const file = join(ctx.configDir, 'toxiproxy.json');
  const url = `http://${HOST}:${ctx.ports.toxiproxy}`;
  const proxies = meshProxies(ctx);
  return {
    type: 'process',
    name: 'toxiproxy',
    group: 'mesh',
    dependsOn: [],
    command: ctx.tools.toxiproxy,
    args: ['-host', HOST, '-port', String(ctx.ports.toxiproxy), '-config', file, '-proxy-metrics', '-runtime-metrics'],
    prepare: async () => {
      const doc = proxies.map((p) => ({ name: p.name, listen: `${HOST}:${p.listen}`, upstream: `${HOST}:${p.upstream}`, enabled: true }));
      writeFileSync(file, JSON.stringify(doc, null, 2));
    },
    ready: {
      kind: 'custom',
      describe: `GET ${url}/proxies lists ${proxies.length} proxies`,
      probe: async (signal) => {
        const res = await fetch(`${url}/proxies`, { signal });
        const body = (await res.json()) as Record<string, unknown>;
        const n = Object.keys(body).length;
        if (n < proxies.length) throw new Error(`${n} of ${proxies.length} proxies loaded`);
      },
    },
    ports: { api: ctx.ports.toxiproxy },
    urls: { api: url, metrics: `${url}/metrics` },
  };
}
