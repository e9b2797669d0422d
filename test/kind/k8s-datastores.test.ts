// platform/k8s's base applied to a real kind cluster, from the images `crucible images build` makes,
// loaded with kind load. The Redis Cluster: a StatefulSet of six pods with volumes and its init Job.
// A primary deleted as a pod comes back with its node ID (its nodes.conf is on its volume) at a new
// address, and the cluster is whole again with the write it acknowledged. PostgreSQL: initialised on
// its volume with the application's role and database, and a row committed before its pod is deleted
// is there when the pod is back (no second initdb). The NetworkPolicies: default deny, and only pods
// with a datastore's client label reach it (kube-router enforces them). The mesh: Toxiproxy in front of
// the datastores, its API reached from the host through a NodePort and kind's port mapping.
import { AppsV1Api, BatchV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine } from '../../harness/containers/container-engine.ts';
import { buildImages, type ImageBuildResult } from '../../harness/images/build-images.ts';
import { KindCluster } from '../../harness/targets/kind/kind-cluster.ts';
import { applyObjects, renderKustomization } from '../../harness/targets/kind/kube-api.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { execInPod, listPods, waitFor, waitForReadyPods } from '../support/kube.ts';

const NAME = `crucible-data-${process.pid}`;
const PORT_BASE = 7860;
/** Toxiproxy's API from the host: NodePort 30474, mapped by kind-config.yaml to the block's base+3. */
const TOXIPROXY_API = `http://127.0.0.1:${PORT_BASE + 3}`;
const NS = 'crucible';
const BASE = join(projectRoot(), 'platform', 'k8s', 'base');
const password = randomBytes(12).toString('base64url');
const pg = { superuser: randomBytes(12).toString('base64url'), app: randomBytes(12).toString('base64url') };

async function redisCli(kc: KubeConfig, pod: string, ...args: string[]): Promise<string> {
  const r = await execInPod(kc, NS, pod, 'redis', ['redis-cli', '--no-auth-warning', '-a', password, ...args]);
  if (!r.ok) throw new Error(`redis-cli ${args.join(' ')} in ${pod}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** `cluster nodes` as rows: id, address, flags, and the slot ranges a primary serves. */
async function clusterNodes(kc: KubeConfig, pod: string): Promise<{ id: string; ip: string; flags: string[]; slots: [number, number][] }[]> {
  return (await redisCli(kc, pod, 'cluster', 'nodes'))
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', address = '', flags = '', , , , , , ...ranges] = line.split(' ');
      const slots = ranges.map((r) => r.split('-').map(Number)).map(([a = 0, b = a]) => [a, b] as [number, number]);
      return { id, ip: address.split(':')[0] ?? '', flags: flags.split(','), slots };
    });
}

/** A key whose slot the node serves. */
async function keyServedBy(kc: KubeConfig, pod: string, slots: readonly [number, number][]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const slot = Number(await redisCli(kc, pod, 'cluster', 'keyslot', `marker-${i}`));
    if (slots.some(([a, b]) => slot >= a && slot <= b)) return `marker-${i}`;
  }
  throw new Error("no key of 200 hashes to the node's slots");
}

/** psql as the application's role over TCP (password authentication, as the services connect). */
async function psql(kc: KubeConfig, sql: string): Promise<string> {
  const r = await execInPod(kc, NS, 'postgres-0', 'postgres', [
    'bash',
    '-c',
    `PGPASSWORD='${pg.app}' psql -h 127.0.0.1 -U crucible -d crucible -v ON_ERROR_STOP=1 -tAc "${sql}"`,
  ]);
  if (!r.ok) throw new Error(`psql ${sql}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

describe("platform/k8s's datastores on a kind cluster", { timeout: 900_000 }, () => {
  let cluster: KindCluster;
  let kc: KubeConfig;
  let images: readonly ImageBuildResult[];

  before(async () => {
    const engine = await detectContainerEngine();
    ({ images } = await buildImages({ engine, names: ['redis', 'postgres', 'toxiproxy'], log: (l) => console.log(`[images] ${l}`) }));
    const start = performance.now();
    cluster = await KindCluster.create({ name: NAME, workers: 1, portBase: PORT_BASE, log: (l) => console.log(`[kind] ${l}`) });
    await cluster.loadImages(images.map((i) => i.versionRef));
    kc = cluster.kubeConfig;
    console.log(`[kind] cluster up and the images loaded in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  });
  after(async () => {
    await cluster?.delete();
  });

  it('applies: six Ready Redis nodes with a bound volume each, the init Job makes the cluster (3 primaries, 3 replicas), PostgreSQL is Ready', async () => {
    // The datastores and the mesh in front of them, with every NetworkPolicy; every other Deployment (the
    // services, the edge, Prometheus, kube-state-metrics: their images are not loaded here, so their pods
    // would never be Ready) is test/kind/k8s-platform.test.ts's.
    const objects = (await renderKustomization(BASE)).filter((o) => !(o.kind === 'Deployment' && o.metadata?.name !== 'toxiproxy'));
    const [namespace, ...rest] = objects;
    assert.equal(namespace?.kind, 'Namespace', 'kustomize puts the namespace first');
    await applyObjects(kc, [namespace], BASE);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'redis-auth' }, stringData: { password } } });
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'postgres-auth' }, stringData: { 'superuser-password': pg.superuser, 'app-password': pg.app } },
    });
    const start = performance.now();
    await applyObjects(kc, rest, BASE);
    const apps = kc.makeApiClient(AppsV1Api);
    await waitFor(
      'the StatefulSet has 6 Ready pods',
      async () => ((await apps.readNamespacedStatefulSet({ name: 'redis', namespace: NS })).status?.readyReplicas === 6 ? true : undefined),
      { timeoutMs: 300_000, describe: async () => (await listPods(kc, NS)).map((p) => `${p.metadata?.name} ${p.status?.phase}`).join(', ') },
    );
    const batch = kc.makeApiClient(BatchV1Api);
    await waitFor(
      'the init Job completes',
      async () => ((await batch.readNamespacedJob({ name: 'redis-cluster-init', namespace: NS })).status?.succeeded === 1 ? true : undefined),
      { timeoutMs: 180_000 },
    );
    console.log(`[redis] cluster made ${((performance.now() - start) / 1000).toFixed(1)} s after the apply`);
    const info = await redisCli(kc, 'redis-0', 'cluster', 'info');
    assert.match(info, /cluster_state:ok/);
    assert.match(info, /cluster_size:3/);
    assert.match(info, /cluster_known_nodes:6/);
    await waitFor(
      'PostgreSQL is Ready',
      async () => ((await apps.readNamespacedStatefulSet({ name: 'postgres', namespace: NS })).status?.readyReplicas === 1 ? true : undefined),
      { timeoutMs: 180_000 },
    );
    await waitFor(
      'Toxiproxy is Ready',
      async () => ((await apps.readNamespacedDeployment({ name: 'toxiproxy', namespace: NS })).status?.readyReplicas === 1 ? true : undefined),
      { timeoutMs: 120_000 },
    );
    // Clients are told each node's stable name, not its pod IP (which a restart changes); the names
    // spread by gossip, so a moment after the cluster is made every node is named.
    const named = async (): Promise<number> =>
      new Set(
        (await redisCli(kc, 'redis-0', 'cluster', 'slots'))
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => /^redis-\d\.redis$/.test(l)),
      ).size;
    await waitFor('CLUSTER SLOTS names all six nodes by their Service names', async () => ((await named()) === 6 ? true : undefined), {
      timeoutMs: 30_000,
      describe: async () => `${await named()} named`,
    });
    const claims = (await core.listNamespacedPersistentVolumeClaim({ namespace: NS })).items;
    assert.equal(claims.filter((c) => c.status?.phase === 'Bound').length, 7, 'six Redis volumes and one PostgreSQL volume');
  });

  it('a primary deleted as a pod comes back with its node ID and data at a new address; the cluster is whole again', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const pods = (await listPods(kc, NS, 'app.kubernetes.io/name=redis')).map((p) => ({ name: p.metadata?.name ?? '', ip: p.status?.podIP ?? '' }));
    const nodes = await clusterNodes(kc, 'redis-0');
    const victim = pods.find((p) => nodes.some((n) => n.ip === p.ip && n.flags.includes('master')));
    assert.ok(victim, 'a pod serves a primary');
    const primary = nodes.find((n) => n.ip === victim.ip);
    const victimId = primary?.id ?? '';
    const witness = pods.find((p) => p.name !== victim.name)?.name ?? '';
    // A write on the primary, acknowledged by its replica (WAIT on the same connection).
    const key = await keyServedBy(kc, victim.name, primary?.slots ?? []);
    const acked = await execInPod(kc, NS, victim.name, 'redis', [
      'bash',
      '-c',
      `printf 'SET ${key} kept\\nWAIT 1 5000\\n' | redis-cli --no-auth-warning -a "$REDIS_PASSWORD"`,
    ]);
    assert.deepEqual(acked.stdout.split('\n').filter(Boolean), ['OK', '1'], 'the write was acknowledged by one replica');

    const start = performance.now();
    await core.deleteNamespacedPod({ name: victim.name, namespace: NS, gracePeriodSeconds: 0 });
    const whole = await waitFor(
      `${victim.name} back as node ${victimId.slice(0, 8)} at a new address, every node connected and ok, every slot served`,
      async () => {
        const now = await clusterNodes(kc, witness);
        const back = now.find((n) => n.id === victimId);
        const connected = now.length === 6 && now.every((n) => !n.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'handshake' || f === 'noaddr'));
        // Every node, the restarted one too, must see the cluster ok: each answers for itself.
        const infos = await Promise.all(pods.map((p) => redisCli(kc, p.name, 'cluster', 'info')));
        const ok = infos.every((info) => /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info));
        return back && back.ip !== victim.ip && connected && ok && now.filter((n) => n.flags.includes('master')).length === 3 ? back : undefined;
      },
      { timeoutMs: 180_000 },
    );
    // Back before the others declared it failed (node timeout 1 s, counted twice) it is still the primary;
    // later, its replica has taken over and it follows it. Either way nothing of the cluster is missing.
    console.log(
      `[redis] ${victim.name} back and the cluster whole ${((performance.now() - start) / 1000).toFixed(1)} s after the deletion, ${whole.flags.includes('master') ? 'still the primary' : 'now a replica'}`,
    );
    assert.equal((await redisCli(kc, victim.name, 'cluster', 'myid')).trim(), victimId, 'the same node, kept by its volume');
    assert.equal((await redisCli(kc, witness, '-c', 'get', key)).trim(), 'kept', 'the write acknowledged before the deletion is there');
  });

  it('PostgreSQL keeps a committed row across its pod being deleted, on the same data (no second initdb)', async () => {
    await psql(kc, 'CREATE TABLE ledger (id int PRIMARY KEY, note text)');
    await psql(kc, "INSERT INTO ledger VALUES (1, 'kept')");
    const startedBefore = await psql(kc, 'SELECT pg_postmaster_start_time()');
    const start = performance.now();
    await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: 'postgres-0', namespace: NS });
    const note = await waitFor(
      'PostgreSQL answers again from a new pod',
      async () => {
        if ((await psql(kc, 'SELECT pg_postmaster_start_time()')) === startedBefore) return undefined;
        return psql(kc, 'SELECT note FROM ledger WHERE id = 1');
      },
      { timeoutMs: 180_000 },
    );
    console.log(`[postgres] answering again ${((performance.now() - start) / 1000).toFixed(1)} s after its pod was deleted`);
    assert.equal(note, 'kept');
  });

  it('NetworkPolicies: default deny; a pod with the client labels reaches Redis and PostgreSQL, a pod without them is refused', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const image = images.find((i) => i.name === 'redis')?.versionRef ?? '';
    const clientPod = (name: string, labels: Record<string, string>): V1Pod => ({
      metadata: { name, labels },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'client', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', 'infinity'] }] },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: clientPod('allowed', { 'crucible.dev/redis-client': 'true', 'crucible.dev/postgres-client': 'true' }),
    });
    await core.createNamespacedPod({ namespace: NS, body: clientPod('denied', {}) });
    await waitForReadyPods(kc, NS, 'app.kubernetes.io/name notin (redis, postgres, redis-cluster-init)', 2, 120_000);
    const reach = async (pod: string): Promise<{ redis: boolean; postgres: boolean }> => {
      const redis = await execInPod(kc, NS, pod, 'client', ['timeout', '3', 'redis-cli', '--no-auth-warning', '-a', password, '-h', 'redis-0.redis', 'ping']);
      const postgres = await execInPod(kc, NS, pod, 'client', ['timeout', '3', 'bash', '-c', '</dev/tcp/postgres/5432']);
      return { redis: redis.ok && redis.stdout.trim() === 'PONG', postgres: postgres.ok };
    };
    // kube-router may take a moment to put a new pod in its sets.
    assert.deepEqual(
      await waitFor(
        'the labelled pod reaches both',
        async () => {
          const r = await reach('allowed');
          return r.redis && r.postgres ? r : undefined;
        },
        { timeoutMs: 30_000 },
      ),
      { redis: true, postgres: true },
    );
    // The unlabelled pod resolves the names (DNS is allowed to every pod): what stops it is the policy.
    assert.ok((await execInPod(kc, NS, 'denied', 'client', ['getent', 'hosts', 'postgres'])).ok, 'the denied pod resolves postgres');
    assert.deepEqual(await reach('denied'), { redis: false, postgres: false });
  });

  it('the mesh: a mesh client reaches the datastores through Toxiproxy; a proxy disabled from the host cuts that edge, a latency toxic slows it, both undone', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const image = images.find((i) => i.name === 'redis')?.versionRef ?? '';
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'mesh', labels: { 'crucible.dev/mesh-client': 'true' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'client', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', 'infinity'] }] },
      },
    });
    await waitForReadyPods(kc, NS, 'crucible.dev/mesh-client=true', 1, 120_000);
    /** PING through the gateway-redis-0 proxy, with how long it took in the pod. */
    const ping = async (pod: string): Promise<{ pong: boolean; ms: number }> => {
      const r = await execInPod(kc, NS, pod, 'client', [
        'bash',
        '-c',
        `s=$(date +%s%N); out=$(timeout 5 redis-cli --no-auth-warning -a "${password}" -h toxiproxy -p 10200 ping); e=$(date +%s%N); echo "$out $(( (e - s) / 1000000 ))"`,
      ]);
      const [out = '', ms = '0'] = r.stdout.trim().split(' ');
      return { pong: out === 'PONG', ms: Number(ms) };
    };
    const api = async (method: string, path: string, body?: object): Promise<unknown> => {
      const res = await fetch(`${TOXIPROXY_API}${path}`, {
        method,
        ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
      assert.ok(res.ok, `${method} ${path}: ${res.status}`);
      return res.status === 204 ? undefined : res.json();
    };

    assert.equal(await waitFor('PONG through the mesh', async () => ((await ping('mesh')).pong ? true : undefined), { timeoutMs: 30_000 }), true);
    assert.ok((await execInPod(kc, NS, 'mesh', 'client', ['timeout', '3', 'bash', '-c', '</dev/tcp/toxiproxy/10102'])).ok, 'the auth-postgres edge connects');
    assert.equal((await ping('denied')).pong, false, 'a pod without the mesh label does not reach the mesh');

    const proxies = Object.keys((await api('GET', '/proxies')) as Record<string, unknown>).sort();
    assert.deepEqual(proxies, [
      'auth-postgres',
      ...[0, 1, 2, 3, 4, 5].map((i) => `auth-redis-${i}`),
      'catalog-postgres',
      // The services' edges (their upstreams are k8s-platform.test.ts's).
      'edge-gateway',
      'gateway-auth',
      'gateway-catalog',
      ...[0, 1, 2, 3, 4, 5].map((i) => `gateway-redis-${i}`),
    ]);

    await api('POST', '/proxies/gateway-redis-0', { enabled: false });
    assert.equal((await ping('mesh')).pong, false, 'the disabled edge is cut');
    await api('POST', '/proxies/gateway-redis-0', { enabled: true });
    assert.equal((await ping('mesh')).pong, true, 'enabled again, it answers');

    await api('POST', '/proxies/gateway-redis-0/toxics', { name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 400 } });
    const slow = await ping('mesh');
    await api('DELETE', '/proxies/gateway-redis-0/toxics/slow');
    assert.ok(slow.pong && slow.ms >= 400, `the latency toxic delays the answer (${slow.ms} ms)`);
    assert.equal((await ping('mesh')).pong, true);
  });
});
