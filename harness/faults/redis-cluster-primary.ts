import { Redis } from 'ioredis';

/** The first slot of each shard as `redis-cli --cluster create` splits 16384 slots over 3 primaries. */
const SHARD_SLOTS = [0, 5461, 10923] as const;

/**
 * The primary serving `shard`'s first slot (its address as the cluster announces it), as the first
 * node that answers sees the cluster (`CLUSTER NODES`, straight to the nodes, not through the mesh that
 * faults may be breaking). A primary flagged failing is skipped: it is about to be replaced.
 */
export async function redisPrimaryOf(shard: number, nodes: readonly { host: string; port: number }[], password: string): Promise<{ ip: string; port: number }> {
  const slot = SHARD_SLOTS[shard];
  if (slot === undefined) throw new Error(`no Redis shard ${shard} (shards are 0, 1 and 2)`);
  const problems: string[] = [];
  for (const n of nodes) {
    const r = new Redis({
      host: n.host,
      port: n.port,
      password,
      lazyConnect: true,
      connectTimeout: 1_000,
      commandTimeout: 2_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    r.on('error', () => {}); // a node that is down is an expected answer: ask the next one
    try {
      await r.connect();
      const text = (await r.cluster('NODES')) as string;
      const primary = parseClusterNodes(text).find((x) => x.master && !x.failing && x.slots.some(([a, b]) => slot >= a && slot <= b));
      if (primary) return { ip: primary.ip, port: primary.port };
      problems.push(`${n.port}: no healthy primary owns slot ${slot}`);
    } catch (err) {
      problems.push(`${n.port}: ${(err as Error).message}`);
    } finally {
      r.disconnect();
    }
  }
  throw new Error(`no Redis node named the primary of slot ${slot} (${problems.join('; ')})`);
}

interface ClusterNode {
  readonly ip: string;
  readonly port: number;
  readonly master: boolean;
  readonly failing: boolean;
  readonly slots: readonly (readonly [number, number])[];
}

/** `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot|a-b|[migrating]>...` */
export function parseClusterNodes(text: string): ClusterNode[] {
  const out: ClusterNode[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const address = /^(.*):(\d+)@/.exec(f[1]!);
    const ip = address?.[1] ?? '';
    const port = Number(address?.[2]);
    const flags = f[2]!.split(',');
    const slots: [number, number][] = [];
    for (const s of f.slice(8)) {
      if (s.startsWith('[')) continue; // a slot being migrated or imported
      const [a, b] = s.split('-').map(Number);
      if (a !== undefined && Number.isInteger(a)) slots.push([a, b !== undefined && Number.isInteger(b) ? b : a]);
    }
    out.push({ ip, port, master: flags.includes('master'), failing: flags.includes('fail') || flags.includes('fail?'), slots });
  }
  return out;
}
