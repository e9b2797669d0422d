// The Kubernetes faults on a real two-node kind cluster, through the same handle as every fault
// (injectFault: journaled before acting, reverted by its handle): pod kill (pods gone and replaced),
// scale (replicas 0, then back), a network partition (a pod refused, then reached again; under a
// default deny, the policy allowing the traffic detached meanwhile and given back; one it could not
// cut refused), node pause (the node's container paused, the node NotReady, then unpaused and
// Ready), and the mesh's toxic and proxy-down on a Toxiproxy in the cluster. Then a harness SIGKILLed
// with four faults in place, and `crucible recover` undoing them from its journal alone: the cluster
// is clean.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  type KubeConfig,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine } from '../../harness/containers/container-engine.ts';
import { LOCAL_DEBIAN_BASE } from '../../harness/containers/debian-base-image.ts';
import { CrucibleError } from '../../harness/errors/crucible-error.ts';
import {
  createFault,
  FaultJournal,
  injectFault,
  kindFaultEnvironment,
  pendingFaults,
  readJournal,
  recoverFaults,
  type FaultSpec,
  type JournalTarget,
  type KindFaultEnvironment,
} from '../../harness/faults/index.ts';
import { requireIstio } from '../../harness/faults/istio-virtual-services.ts';
import { buildImages } from '../../harness/images/build-images.ts';
import { applyManifestFile, applyObjects, renderKustomization } from '../../harness/targets/kind/kube-api.ts';
import { KindCluster } from '../../harness/targets/kind/kind-cluster.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { istioCrdFile } from '../../platform/kind/istio-crds.ts';
import { CONTROL_PLANE_TAINT, execInPod, isPodReady, listPods, waitFor, waitForReadyPods, webWorkload } from '../support/kube.ts';

const NAME = `crucible-faults-${process.pid}`;
const PORT_BASE = 7880;
const NS = 'faults';
/** Toxiproxy's API from the host: NodePort 30474, mapped by kind-config.yaml to the block's base+3. */
const TOXIPROXY_API = `http://127.0.0.1:${PORT_BASE + 3}`;
const ISTIO_OVERLAY = join(projectRoot(), 'platform', 'k8s', 'overlays', 'istio');

/** Toxiproxy (the platform's mesh image) on the control plane, its API a NodePort kind publishes on the port block's base+3. */
function toxiproxyObjects(image: string): { deployment: V1Deployment; service: V1Service } {
  return {
    deployment: {
      metadata: { name: 'toxiproxy', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'toxiproxy' } },
        template: {
          metadata: { labels: { app: 'toxiproxy' } },
          spec: {
            tolerations: [CONTROL_PLANE_TAINT],
            nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
            containers: [
              {
                name: 'toxiproxy',
                image,
                imagePullPolicy: 'Never',
                ports: [{ containerPort: 8474 }, { containerPort: 10000 }],
                readinessProbe: { httpGet: { path: '/version', port: 8474 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
    service: {
      metadata: { name: 'toxiproxy', namespace: NS },
      spec: {
        type: 'NodePort',
        selector: { app: 'toxiproxy' },
        ports: [
          { name: 'api', port: 8474, nodePort: 30474 },
          { name: 'web', port: 10000 },
        ],
      },
    },
  };
}

/** A Debian shell to connect from (bash's /dev/tcp), on the control plane so that pausing the worker leaves it alone. */
function clientPod(): V1Pod {
  return {
    metadata: { name: 'client', namespace: NS, labels: { app: 'client' } },
    spec: {
      tolerations: [CONTROL_PLANE_TAINT],
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'client', image: LOCAL_DEBIAN_BASE, imagePullPolicy: 'Never', command: ['sleep', 'infinity'] }],
    },
  };
}

/** How long the client's request to web through Toxiproxy's proxy takes (ms), or undefined when it fails (within 5 s). */
async function throughMesh(kc: KubeConfig): Promise<number | undefined> {
  const script = `s=$(date +%s%N); exec 3<>/dev/tcp/toxiproxy/10000 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && out=$(head -c 12 <&3) && e=$(date +%s%N) && echo "$out $(( (e - s) / 1000000 ))"`;
  const r = await execInPod(kc, NS, 'client', 'client', ['timeout', '5', 'bash', '-c', script]);
  const m = /^HTTP\/1\.[01] 200 (\d+)/.exec(r.stdout.trim());
  return r.ok && m ? Number(m[1]) : undefined;
}

/** Whether the client reaches a pod's :8080/health (an HTTP 200 within 2 s). */
async function reaches(kc: KubeConfig, ip: string): Promise<boolean> {
  const script = `exec 3<>/dev/tcp/${ip}/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -c 12 <&3`;
  const result = await execInPod(kc, NS, 'client', 'client', ['timeout', '2', 'bash', '-c', script]);
  return result.ok && /^HTTP\/1\.[01] 200/.test(result.stdout);
}

/** The client's model classes as plain data, to compare with literals. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
const uids = (pods: readonly V1Pod[]): string[] => pods.map((p) => p.metadata?.uid ?? '').sort();
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(2)} s`;

describe('Kubernetes faults on a kind cluster', { timeout: 900_000 }, () => {
  let cluster: KindCluster;
  let kc: KubeConfig;
  let target: Extract<JournalTarget, { kind: 'kind' }>;
  let env: KindFaultEnvironment;
  let journal: FaultJournal;
  const dir = mkdtempSync(join(tmpdir(), 'crucible-k8s-faults-'));
  const inject = (spec: FaultSpec, id: string) => injectFault(createFault(spec, env), { id, name: spec.type, journal, maxDurationMs: 300_000 });
  /** verifyClean, until it is (the workloads' readiness follows a revert by a probe period or two). */
  const clean = () =>
    waitFor('the cluster is clean', async () => ((await env.verifyClean()).length === 0 ? true : undefined), {
      timeoutMs: 60_000,
      describe: async () => (await env.verifyClean()).join('; '),
    });

  before(async () => {
    const start = performance.now();
    const engine = await detectContainerEngine();
    const built = await buildImages({ engine, names: ['toxiproxy'], log: (l) => console.log(`[images] ${l}`) });
    const toxiproxyImage = built.images[0]?.versionRef ?? assert.fail('no toxiproxy image');
    cluster = await KindCluster.create({ name: NAME, workers: 1, portBase: PORT_BASE, log: (l) => console.log(`[kind] ${l}`) });
    kc = cluster.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const workload = webWorkload(NS, 'ScheduleAnyway');
    await core.createNamespacedConfigMap({ namespace: NS, body: workload.config });
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: NS, body: workload.deployment });
    await core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } } });
    await cluster.loadImages([LOCAL_DEBIAN_BASE, toxiproxyImage]);
    const mesh = toxiproxyObjects(toxiproxyImage);
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: NS, body: mesh.deployment });
    await core.createNamespacedService({ namespace: NS, body: mesh.service });
    await core.createNamespacedPod({ namespace: NS, body: clientPod() });
    await waitForReadyPods(kc, NS, 'app=web', 2, 180_000);
    await waitForReadyPods(kc, NS, 'app=client', 1, 180_000);
    await waitForReadyPods(kc, NS, 'app=toxiproxy', 1, 180_000);
    // The proxy, created from the host through the published API, as the platform's mesh is driven.
    // The pod being Ready does not mean the NodePort is programmed yet (a refused connection was seen).
    const created = await waitFor(
      'the Toxiproxy API answers through its NodePort',
      () =>
        fetch(`${TOXIPROXY_API}/proxies`, {
          method: 'POST',
          body: JSON.stringify({ name: 'web', listen: '0.0.0.0:10000', upstream: 'web:8080' }),
          signal: AbortSignal.timeout(10_000),
        }),
      { timeoutMs: 60_000 },
    );
    assert.equal(created.status, 201, await created.text());
    target = { kind: 'kind', cluster: NAME, namespace: NS, kubeconfig: cluster.kubeconfigFile, toxiproxyUrl: TOXIPROXY_API };
    env = await kindFaultEnvironment(target, { kubeConfig: kc });
    journal = new FaultJournal(join(dir, 'faults.jsonl'), target);
    console.log(`[kind] cluster and workload up in ${seconds(start)}`);
  });
  after(async () => {
    await cluster?.delete();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pod-kill deletes the pods (grace 0); the Deployment replaces them, and recovery checks it has its replicas Ready', async () => {
    const before = await waitForReadyPods(kc, NS, 'app=web', 2, 60_000);
    const start = performance.now();
    const fault = await inject({ type: 'pod-kill', selector: { app: 'web' }, count: 2, gracePeriodSeconds: 0 }, 'kill');
    assert.equal(fault.selfHealing, true);
    assert.match(fault.targets, /deployment\/web/);
    const back = await waitFor(
      'two new web pods Ready',
      async () => {
        const pods = await listPods(kc, NS, 'app=web');
        return pods.length === 2 && pods.every(isPodReady) && !pods.some((p) => uids(before).includes(p.metadata?.uid ?? '')) ? pods : undefined;
      },
      { timeoutMs: 120_000 },
    );
    console.log(`[faults] pod-kill: both pods replaced and Ready after ${seconds(start)}`);
    assert.equal(back.length, 2);
    assert.equal((await fault.revert()).status, 'self-healing');
    // The entry stays open for recovery, which checks the workload is whole again.
    const report = await recoverFaults(journal.file, env);
    assert.deepEqual(
      report.faults.map((f) => [f.fault.id, f.ok]),
      [['kill', true]],
    );
    assert.match(report.faults[0]?.results[0]?.detail ?? '', /2 of 2 replicas Ready/);
    await clean();
  });

  it('scale takes the Deployment to 0 replicas and the revert brings back the 2 it had', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const fault = await inject({ type: 'scale', workload: 'deployment/web', replicas: 0 }, 'scale');
    assert.match(fault.targets, /2 -> 0 replicas/);
    assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: NS })).spec?.replicas, 0);
    await waitFor('no web pod left', async () => ((await listPods(kc, NS, 'app=web')).length === 0 ? true : undefined), { timeoutMs: 60_000 });
    assert.deepEqual(await env.verifyClean(), ['deployment/web is still scaled by fault scale (0 replicas; it had 2)']);
    const start = performance.now();
    const outcome = await fault.revert();
    assert.equal(outcome.status, 'reverted', JSON.stringify(outcome));
    console.log(`[faults] scale: back to 2 Ready replicas ${seconds(start)} after the revert began`);
    assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: NS })).spec?.replicas, 2);
    assert.equal((await listPods(kc, NS, 'app=web')).filter(isPodReady).length, 2);
    await clean();
  });

  it('network-partition cuts the web pods off (the client is refused), and the revert lets traffic through again', async () => {
    const ips = (await waitForReadyPods(kc, NS, 'app=web', 2, 60_000)).map((p) => p.status?.podIP ?? '');
    for (const ip of ips)
      await waitFor(`client reaches ${ip} before the fault`, async () => ((await reaches(kc, ip)) ? true : undefined), { timeoutMs: 30_000 });
    const start = performance.now();
    const fault = await inject({ type: 'network-partition', selector: { app: 'web' }, direction: 'ingress' }, 'cut');
    for (const ip of ips) await waitFor(`the partition refuses ${ip}`, async () => ((await reaches(kc, ip)) ? undefined : true), { timeoutMs: 60_000 });
    console.log(`[faults] network-partition: effective after ${seconds(start)}`);
    for (const ip of ips) assert.equal(await reaches(kc, ip), false, `${ip} stays cut while the fault is in place`);
    const policies = (await kc.makeApiClient(NetworkingV1Api).listNamespacedNetworkPolicy({ namespace: NS })).items.map((p) => p.metadata?.name);
    assert.deepEqual(policies, ['crucible-partition-cut']);
    assert.ok((await env.verifyClean()).some((p) => /NetworkPolicy faults\/crucible-partition-cut of fault cut is still there/.test(p)));
    const reverted = performance.now();
    assert.equal((await fault.revert()).status, 'reverted');
    for (const ip of ips) await waitFor(`traffic to ${ip} restored`, async () => ((await reaches(kc, ip)) ? true : undefined), { timeoutMs: 60_000 });
    console.log(`[faults] network-partition: traffic back ${seconds(reverted)} after the revert`);
    await clean();
  });

  it('under a default deny with an allow policy, the partition detaches the allow from the pods meanwhile; one it could not cut is refused', async () => {
    const net = kc.makeApiClient(NetworkingV1Api);
    const allowWeb = { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] };
    await net.createNamespacedNetworkPolicy({
      namespace: NS,
      body: { metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    });
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: { metadata: { name: 'allow-web' }, spec: allowWeb } });
    try {
      const ips = (await waitForReadyPods(kc, NS, 'app=web', 2, 60_000)).map((p) => p.status?.podIP ?? '');
      for (const ip of ips)
        await waitFor(`allow-web lets the client reach ${ip}`, async () => ((await reaches(kc, ip)) ? true : undefined), { timeoutMs: 60_000 });
      const fault = await inject({ type: 'network-partition', selector: { app: 'web' }, direction: 'ingress' }, 'detach');
      assert.match(fault.targets, /detached: allow-web/);
      for (const ip of ips)
        await waitFor(`the partition refuses ${ip} despite allow-web`, async () => ((await reaches(kc, ip)) ? undefined : true), { timeoutMs: 60_000 });
      for (const ip of ips) assert.equal(await reaches(kc, ip), false, `${ip} stays cut while the fault is in place`);
      assert.ok((await env.verifyClean()).includes('NetworkPolicy faults/allow-web is still detached from its pods by fault detach'));
      assert.equal((await fault.revert()).status, 'reverted');
      const restored = await net.readNamespacedNetworkPolicy({ name: 'allow-web', namespace: NS });
      assert.deepEqual(plain(restored.spec?.podSelector), allowWeb.podSelector, "allow-web's selector is its own again");
      assert.equal(Object.keys(restored.metadata?.annotations ?? {}).filter((k) => k.startsWith('crucible.dev/')).length, 0);
      for (const ip of ips)
        await waitFor(`allow-web lets the client reach ${ip} again`, async () => ((await reaches(kc, ip)) ? true : undefined), { timeoutMs: 60_000 });

      // A policy that allows egress too could not be detached for an ingress partition without cutting egress: refused, nothing journaled.
      await net.createNamespacedNetworkPolicy({
        namespace: NS,
        body: {
          metadata: { name: 'allow-web-out' },
          spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
        },
      });
      const lines = readJournal(journal.file).length;
      await assert.rejects(inject({ type: 'network-partition', selector: { app: 'web' }, direction: 'ingress' }, 'refused'), (err: unknown) => {
        assert.ok(err instanceof CrucibleError && err.code === 'CRUCIBLE_ERR_FAULT_INJECT', String(err));
        assert.match(err.message, /allow-web-out also allows egress of the pods/);
        return true;
      });
      assert.equal(readJournal(journal.file).length, lines, 'a refusal journals nothing');
      assert.deepEqual((await net.listNamespacedNetworkPolicy({ namespace: NS })).items.map((p) => p.metadata?.name).sort(), [
        'allow-web',
        'allow-web-out',
        'default-deny',
      ]);
    } finally {
      for (const name of ['allow-web-out', 'allow-web', 'default-deny'])
        await net.deleteNamespacedNetworkPolicy({ name, namespace: NS }).catch(() => undefined);
    }
    await clean();
  });

  it("the mesh's faults act on the cluster's Toxiproxy too: a latency toxic slows the client's requests, proxy-down refuses them, both reverted", async () => {
    const before = await waitFor('a request through the mesh', () => throughMesh(kc), { timeoutMs: 60_000 });
    const slow = await inject({ type: 'toxic', proxy: 'web', toxic: 'latency', attributes: { latency: 800 } }, 'slow');
    assert.ok((await env.verifyClean()).includes('toxic crucible-slow-latency (latency) is still on proxy web'));
    const slowed = await waitFor('a request through the mesh', () => throughMesh(kc), { timeoutMs: 30_000 });
    assert.ok(slowed >= 800, `took ${slowed} ms with 800 ms of latency (${before} ms before)`);
    assert.equal((await slow.revert()).status, 'reverted');
    const down = await inject({ type: 'proxy-down', proxy: 'web' }, 'down');
    assert.equal(await throughMesh(kc), undefined, 'the disabled proxy refuses the request');
    assert.equal((await down.revert()).status, 'reverted');
    const after = await waitFor('a request through the mesh again', () => throughMesh(kc), { timeoutMs: 30_000 });
    console.log(`[faults] mesh: ${before} ms, ${slowed} ms with the toxic, ${after} ms after`);
    assert.ok(after < 800, `took ${after} ms after the revert`);
    await clean();
  });

  it("node-pause pauses the worker's container: Kubernetes marks the node NotReady; the revert unpauses it and waits until it is Ready", async () => {
    const worker = `${NAME}-worker`;
    const core = kc.makeApiClient(CoreV1Api);
    const readyOf = async (): Promise<string | undefined> =>
      (await core.readNode({ name: worker })).status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const start = performance.now();
    const fault = await inject({ type: 'node-pause', node: worker }, 'pause');
    assert.deepEqual(await env.nodeContainers(), [
      { name: `${NAME}-control-plane`, paused: false },
      { name: worker, paused: true },
    ]);
    assert.ok((await env.verifyClean()).includes(`node ${worker} is paused`));
    // Only missed heartbeats tell Kubernetes (node-monitor-grace-period 40 s, then the controller's next look).
    await waitFor('the paused node NotReady', async () => ((await readyOf()) === 'True' ? undefined : true), { timeoutMs: 150_000, intervalMs: 1_000 });
    console.log(`[faults] node-pause: ${worker} NotReady ${seconds(start)} after the pause`);
    const reverted = performance.now();
    const outcome = await fault.revert();
    assert.equal(outcome.status, 'reverted', JSON.stringify(outcome));
    console.log(`[faults] node-pause: ${worker} Ready again ${seconds(reverted)} after the revert began`);
    assert.ok((await env.nodeContainers()).every((n) => !n.paused));
    assert.equal(await readyOf(), 'True');
    await clean();
    assert.deepEqual(pendingFaults(readJournal(journal.file)), [], 'every fault so far is closed in the journal');
  });

  it("Istio: refused without its CRDs; with them the overlay passes the API server's schemas, and istio-abort / istio-delay put a fault on a VirtualService and take it back exactly", async () => {
    const abort: FaultSpec = { type: 'istio-abort', service: 'web', httpStatus: 503, percent: 50 };
    await assert.rejects(inject(abort, 'istio-0'), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_FAULT_INJECT');
      assert.match(err.message, /fault type 'istio-abort' needs Istio: the cluster does not serve virtualservices\.networking\.istio\.io/);
      return true;
    });
    // Istio's CRDs as setup fetched them (platform/kind/istio-crds.ts), server-side applied (they exceed client-side apply's annotation).
    await applyManifestFile(kc, istioCrdFile());
    await waitFor(
      'the API server serves VirtualServices',
      () =>
        requireIstio(kc, NS, 'istio-abort').then(
          () => true,
          () => undefined,
        ),
      { timeoutMs: 60_000 },
    );

    // The overlay's own objects, as kustomize renders them, validated by the CRDs' schemas on the API server.
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'crucible' } } });
    const istioObjects = (await renderKustomization(ISTIO_OVERLAY)).filter((o) => /\.istio\.io\//.test(o.apiVersion ?? ''));
    assert.deepEqual(istioObjects.map((o) => `${o.kind}/${o.metadata?.name ?? ''}`).sort(), [
      'DestinationRule/auth',
      'DestinationRule/catalog',
      'DestinationRule/gateway',
      'PeerAuthentication/default',
      'VirtualService/auth',
      'VirtualService/catalog',
      'VirtualService/gateway',
    ]);
    await applyObjects(kc, istioObjects, ISTIO_OVERLAY);
    // The schemas are enforced: a mode Istio does not have is refused (so the overlay's acceptance means something).
    const wrong = structuredClone(istioObjects.find((o) => o.kind === 'PeerAuthentication')) as KubernetesObject & { spec: { mtls: { mode: string } } };
    wrong.metadata = { name: 'wrong', namespace: 'crucible' };
    wrong.spec.mtls.mode = 'SOMETIMES';
    await assert.rejects(applyObjects(kc, [wrong], 'the test'), /PeerAuthentication wrong/);

    // istio-abort on a service with no VirtualService: one is created with the fault, and deleted by the revert.
    const custom = kc.makeApiClient(CustomObjectsApi);
    const vs = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices', namespace: NS };
    const aborted = await inject(abort, 'istio-1');
    assert.match(aborted.targets, /VirtualService faults\/web \(created: abort 503, 50 %\)/);
    const created = (await custom.getNamespacedCustomObject({ ...vs, name: 'web' })) as { spec: { http: { fault: unknown }[] } };
    assert.deepEqual(created.spec.http[0]?.fault, { abort: { httpStatus: 503, percentage: { value: 50 } } });
    assert.ok(
      (await env.verifyClean()).some((p) => /VirtualService/.test(p)),
      'a faulted VirtualService is not clean',
    );
    assert.equal((await aborted.revert()).status, 'reverted');
    await assert.rejects(custom.getNamespacedCustomObject({ ...vs, name: 'web' }), (err: { code?: number }) => err.code === 404);

    // istio-delay on one that exists: the fault on every route, then exactly the spec it had.
    const before = { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }], timeout: '6s' }] };
    await custom.createNamespacedCustomObject({
      ...vs,
      body: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' }, spec: before },
    });
    const delayed = await inject({ type: 'istio-delay', service: 'web', delay: '1500ms' }, 'istio-2');
    assert.match(delayed.targets, /\(patched: delay 1500ms, 100 %\)/);
    const patched = (await custom.getNamespacedCustomObject({ ...vs, name: 'web' })) as { spec: { http: Record<string, unknown>[] } };
    assert.deepEqual(patched.spec.http[0], { ...before.http[0], fault: { delay: { fixedDelay: '1500ms', percentage: { value: 100 } } } });
    assert.equal((await delayed.revert()).status, 'reverted');
    const restored = (await custom.getNamespacedCustomObject({ ...vs, name: 'web' })) as { metadata: { labels?: Record<string, string> }; spec: unknown };
    assert.deepEqual(restored.spec, before);
    assert.equal(restored.metadata.labels?.['crucible.dev/fault'], undefined, 'the fault label is gone');
    await custom.deleteNamespacedCustomObject({ ...vs, name: 'web' });
    await core.deleteNamespace({ name: 'crucible' });
    await clean();
  });

  it('a harness SIGKILLed with a toxic, a scale, a partition (an allow policy detached) and a paused node: crucible recover undoes them from the journal alone', async () => {
    const file = join(dir, 'crashed', 'faults.jsonl');
    // An allow policy for the client's egress, which the child's partition detaches: recovery must give it back.
    const net = kc.makeApiClient(NetworkingV1Api);
    const allowOut = { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{}] };
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: { metadata: { name: 'allow-client-out' }, spec: allowOut } });
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', join(import.meta.dirname, 'inject-faults-child.ts'), file, JSON.stringify(target)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => l === 'injected' && resolve());
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its faults were in place`)));
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    assert.deepEqual(
      pendingFaults(readJournal(file)).map((f) => f.spec.type),
      ['toxic', 'scale', 'network-partition', 'node-pause'],
    );
    const left = await env.verifyClean();
    assert.equal(left.length, 5, left.join('; '));
    assert.match(left.join('\n'), /allow-client-out is still detached from its pods by fault 1\.0/);

    const start = performance.now();
    // The CLI as a user runs it, with a state folder of its own (its kind-cluster recovery must not see other runs' clusters).
    const state = mkdtempSync(join(dir, 'state-'));
    const cli = spawn(join(projectRoot(), 'bin', 'crucible'), ['recover', file], { env: { ...process.env, CRUCIBLE_STATE_DIR: state, NO_COLOR: '1' } });
    let output = '';
    cli.stdout.on('data', (c: Buffer) => (output += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    console.log(`[faults] crucible recover took ${seconds(start)}:\n${output}`);
    assert.equal(code, 0, output);
    assert.match(output, /undoing 4 pending fault\(s\)/);
    assert.match(output, /the platform is clean/);
    assert.deepEqual(await env.verifyClean(), []);
    assert.deepEqual(pendingFaults(readJournal(file)), []);
    assert.equal((await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: NS })).spec?.replicas, 2);
    assert.deepEqual(plain((await net.readNamespacedNetworkPolicy({ name: 'allow-client-out', namespace: NS })).spec?.podSelector), allowOut.podSelector);
    await net.deleteNamespacedNetworkPolicy({ name: 'allow-client-out', namespace: NS });
  });
});
