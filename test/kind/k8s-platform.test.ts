// The whole reference platform inside a real kind cluster, through the CLI as a user runs it:
// `crucible up --target kind` (images built and loaded, secrets made, platform/k8s/base applied),
// `status`, every workload ready, the smoke check through the edge's NodePort on 127.0.0.1, the mesh
// in the path (a toxic on gateway -> catalog slows a read), Prometheus scraping every replica, the
// Grafana dashboard's ConfigMap, a gateway pod deleted while the platform keeps serving, the Kubernetes
// replicas alert (kube-state-metrics) firing while the catalog is scaled down,
// `crucible run --target kind`, and `down`.
import { AppsV1Api, CoreV1Api, NetworkingV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine } from '../../harness/containers/container-engine.ts';
import { runSmokeCheck } from '../../harness/smoke/smoke-check.ts';
import { kindClusters, kindRunner } from '../../harness/targets/kind/kind-command.ts';
import type { KindState, KindStatus } from '../../harness/targets/kind/kind-target.ts';
import { waitForWorkloads } from '../../harness/targets/kind/kind-platform.ts';
import { applyObjects, loadKubeConfig } from '../../harness/targets/kind/kube-api.ts';
import { CrucibleError } from '../../harness/errors/crucible-error.ts';
import type { RunSummary } from '../../harness/result/summary-model.ts';
import { httpCall } from '../../harness/util/http-call.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { assertServedRun, crucible } from '../support/crucible-cli.ts';
import { isPodReady, listPods, waitFor, waitForReadyPods } from '../support/kube.ts';

const PORT_BASE = 7870;
const NAME = `crucible-${PORT_BASE}`;
const NS = 'crucible';
const target = ['--target', 'kind', '--port-base', String(PORT_BASE)];

const smokeText = (r: Awaited<ReturnType<typeof runSmokeCheck>>): string => r.steps.map((s) => `${s.ok ? 'pass' : 'FAIL'} ${s.name}: ${s.detail}`).join('\n');

async function clusterExists(): Promise<boolean> {
  return (await kindClusters(kindRunner(await detectContainerEngine(), NAME))).includes(NAME);
}

describe('the reference platform on a kind cluster (crucible up --target kind)', { timeout: 1_800_000 }, () => {
  let platform: KindState | undefined;
  let kc: KubeConfig;

  before(async () => {
    const start = performance.now();
    const up = await crucible(['up', ...target, '--workers', '1', '--json']);
    assert.equal(up.code, 0, `${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`);
    platform = JSON.parse(up.stdout) as KindState;
    kc = await loadKubeConfig(platform.kubeconfig);
    console.log(`[kind-platform] up in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    const down = await crucible(['down', ...target]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await clusterExists(), false, 'the cluster is deleted');
    assert.equal(existsSync(join(projectRoot(), '.crucible', `kind-${PORT_BASE}`)), false, 'the state folder is removed');
    const status = await crucible(['status', ...target, '--json']);
    assert.equal(status.code, 3);
    assert.equal((JSON.parse(status.stdout) as KindStatus).health, 'down');
  });

  it('runs every part as ready pods, status says up, and the smoke check passes through the edge on 127.0.0.1', async () => {
    assert.ok(platform);
    const status = await crucible(['status', ...target, '--json']);
    assert.equal(status.code, 0, status.stdout);
    const st = JSON.parse(status.stdout) as KindStatus;
    assert.equal(st.health, 'up', st.problems.join('; '));
    assert.deepEqual(
      st.workloads.map((w) => `${w.workload} ${w.ready}/${w.wanted}`),
      [
        'deployment/auth 2/2',
        'deployment/catalog 2/2',
        'deployment/edge 1/1',
        'deployment/gateway 2/2',
        'deployment/kube-state-metrics 1/1',
        'deployment/prometheus 1/1',
        'deployment/toxiproxy 1/1',
        'statefulset/postgres 1/1',
        'statefulset/redis 6/6',
      ],
    );
    const running = st.pods.filter((p) => p.phase === 'Running');
    assert.equal(running.length, 17, st.pods.map((p) => `${p.name} ${p.phase}`).join(', '));
    assert.ok(running.every((p) => p.ready && p.node.startsWith(NAME)));
    for (const [name, count] of [
      ['gateway', 2],
      ['auth', 2],
      ['catalog', 2],
      ['edge', 1],
      ['prometheus', 1],
      ['kube-state-metrics', 1],
      ['toxiproxy', 1],
      ['redis', 6],
      ['postgres', 1],
    ] as const)
      await waitForReadyPods(kc, NS, `app.kubernetes.io/name=${name}`, count, 60_000);
    assert.equal(platform.endpoints.edge, `http://127.0.0.1:${PORT_BASE}`);
    const smoke = await runSmokeCheck(platform.endpoints.edge);
    assert.ok(smoke.ok, smokeText(smoke));
    const stats = await httpCall(`${platform.endpoints.edgeStats}/healthz`, 'GET', { timeoutMs: 5_000 });
    assert.equal(stats.status, 200);
  });

  // Early, on a fresh platform: the later tests kill and evict pods.
  it('runs a scenario through the edge with crucible run --target kind', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'crucible-kind-run-'));
    try {
      const run = await crucible(['run', 'scenarios/load/smoke.ts', ...target, '--reports-dir', reports, '--json']);
      assertServedRun(run, `http://127.0.0.1:${PORT_BASE}`, 300);
    } finally {
      await rm(reports, { recursive: true, force: true });
    }
  });

  it('puts the mesh in the path: a latency toxic on gateway -> catalog slows an uncached read, and its removal heals it', async () => {
    assert.ok(platform);
    const api = platform.endpoints.toxiproxy;
    const proxies = (await httpCall(`${api}/proxies`, 'GET', { timeoutMs: 5_000 })).body as Record<string, unknown>;
    assert.ok(
      ['edge-gateway', 'gateway-auth', 'gateway-catalog', 'auth-postgres', 'gateway-redis-0'].every((p) => p in proxies),
      Object.keys(proxies).join(', '),
    );
    const add = await httpCall(`${api}/proxies/gateway-catalog/toxics`, 'POST', {
      body: { name: 'slow-catalog', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 400 } },
      timeoutMs: 5_000,
    });
    assert.equal(add.status, 200, add.text);
    let slowMs: number;
    let slow;
    try {
      const t0 = performance.now();
      slow = await httpCall(`${platform.endpoints.edge}/api/products/4711`, 'GET', { timeoutMs: 15_000 });
      slowMs = performance.now() - t0;
    } finally {
      assert.equal((await httpCall(`${api}/proxies/gateway-catalog/toxics/slow-catalog`, 'DELETE', { timeoutMs: 5_000 })).status, 204);
    }
    assert.equal(slow.status, 200, slow.text);
    assert.ok(slowMs >= 400, `a read through the toxic answered in ${slowMs.toFixed(0)} ms`);
    // Disabled, the proxy cuts the path: an uncached read fails, and enabled again it is served.
    const setEnabled = async (enabled: boolean): Promise<void> =>
      assert.equal((await httpCall(`${api}/proxies/gateway-catalog`, 'POST', { body: { enabled }, timeoutMs: 5_000 })).status, 200);
    await setEnabled(false);
    let cut;
    try {
      cut = await httpCall(`${platform.endpoints.edge}/api/products/4712`, 'GET', { timeoutMs: 15_000 });
    } finally {
      await setEnabled(true);
    }
    assert.ok(cut.status >= 500, `with gateway-catalog disabled an uncached read answered ${cut.status}`);
    const healed = await httpCall(`${platform.endpoints.edge}/api/products/4713`, 'GET', { timeoutMs: 15_000 });
    assert.equal(healed.status, 200, healed.text);
  });

  it("has Prometheus scrape every replica (two gateways, two auth, two catalog) with the platform's rules, and the dashboard for Grafana's sidecar", async () => {
    assert.ok(platform);
    const prom = platform.endpoints.prometheus;
    const upCount = async (job: string): Promise<number> => {
      const r = await httpCall(`${prom}/api/v1/query?query=${encodeURIComponent(`sum(up{job="${job}"})`)}`, 'GET', { timeoutMs: 5_000 });
      const result = (r.body as { data?: { result?: { value: [number, string] }[] } }).data?.result?.[0];
      return Number(result?.value[1] ?? 0);
    };
    for (const [job, count] of [
      ['gateway', 2],
      ['auth', 2],
      ['catalog', 2],
      ['toxiproxy', 1],
      ['edge', 1],
    ] as const)
      await waitFor(`${count} ${job} targets up`, async () => ((await upCount(job)) === count ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 1_000,
        describe: async () => `${await upCount(job)} up`,
      });
    const rules = await httpCall(`${prom}/api/v1/rules`, 'GET', { timeoutMs: 5_000 });
    assert.match(rules.text, /CrucibleRouteProbeBurst/);
    const dashboards = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: NS, labelSelector: 'grafana_dashboard=1' });
    assert.deepEqual(
      dashboards.items.map((c) => [c.metadata?.name, Object.keys(c.data ?? {})]),
      [['grafana-dashboard-crucible-slo', ['crucible-slo.json']]],
      "the SLO dashboard is a ConfigMap with the Grafana sidecar's label",
    );
  });

  it('costs no request while a gateway pod is evicted (graceful), and serves again soon after one is killed', async () => {
    assert.ok(platform);
    const edge = platform.endpoints.edge;
    const core = kc.makeApiClient(CoreV1Api);
    const gateways = async (): Promise<string[]> =>
      (await listPods(kc, NS, 'app.kubernetes.io/name=gateway')).filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name ?? '');
    /** Requests one after another through the edge until `until` settles (bounded: 3000 requests); the statuses, 0 for no answer. */
    const trafficDuring = async (until: Promise<unknown>): Promise<number[]> => {
      const statuses: number[] = [];
      let done = false;
      void until.finally(() => (done = true));
      for (let i = 0; i < 3_000 && !done; i++) {
        const path = i % 2 === 0 ? '/readyz' : `/api/products/${1 + (i % 500)}`;
        statuses.push(
          await httpCall(`${edge}${path}`, 'GET', { timeoutMs: 10_000 }).then(
            (r) => r.status,
            () => 0,
          ),
        );
      }
      await until;
      return statuses;
    };
    const replaced = (victim: string): Promise<unknown> =>
      waitFor(
        `${victim} gone and two gateways Ready`,
        async () => {
          const pods = await listPods(kc, NS, 'app.kubernetes.io/name=gateway');
          return !pods.some((p) => p.metadata?.name === victim) && pods.filter(isPodReady).length === 2 ? true : undefined;
        },
        { timeoutMs: 180_000 },
      );

    // Evicted (the default grace period): the Service forgets it during its preStop pause, and it
    // serves what still reaches it before closing, so nothing fails.
    const [evicted = ''] = await gateways();
    await core.deleteNamespacedPod({ name: evicted, namespace: NS });
    const during = await trafficDuring(replaced(evicted));
    const failed = during.filter((s) => s !== 200);
    console.log(`[kind-platform] ${during.length} requests while ${evicted} was evicted and replaced: ${failed.length} failed`);
    assert.ok(during.length >= 10, `only ${during.length} requests were sent`);
    assert.deepEqual(failed, [], `requests failed while a gateway was evicted: ${failed.join(', ')}`);

    // Killed (no grace): the requests on its connections may fail, then the edge's retries and the
    // Service route around it; the smoke check passes again well before the replacement is Ready.
    const [killed = ''] = await gateways();
    await core.deleteNamespacedPod({ name: killed, namespace: NS, gracePeriodSeconds: 0 });
    const healed = await waitFor('the smoke check passes after a gateway was killed', async () => ((await runSmokeCheck(edge)).ok ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 1_000,
    });
    assert.equal(healed, true);
    await replaced(killed);
    // Prometheus saw a replica go (its target left the Service's DNS): the alert that measures time to
    // detect on Kubernetes fired (it may have resolved since; a range over the last minutes sees it).
    const prom = platform.endpoints.prometheus;
    const fired = async (): Promise<boolean> => {
      const q = 'max_over_time(ALERTS{alertname="CrucibleReplicaLost",job="gateway",alertstate="firing"}[5m])';
      const r = await httpCall(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`, 'GET', { timeoutMs: 5_000 });
      return ((r.body as { data?: { result?: unknown[] } }).data?.result ?? []).length > 0;
    };
    await waitFor('CrucibleReplicaLost fired for the gateway', async () => ((await fired()) ? true : undefined), { timeoutMs: 60_000, intervalMs: 1_000 });
  });

  it('runs a chaos experiment under load (crucible run --target kind): a pod kill and a network partition, finite MTTR, no acknowledged write lost, nothing left', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'crucible-kind-chaos-'));
    try {
      const run = await crucible(['run', 'fixtures/scenarios/chaos/kind-short.ts', ...target, '--reports-dir', reports, '--json']);
      // A verdict either way (a busy machine may miss the steady state's latency): never an error or an abort.
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-3000)}`);
      const summary = JSON.parse(run.stdout) as RunSummary;
      const chaos = summary.chaos;
      assert.ok(chaos, 'a chaos analysis');
      console.log(
        `[kind-platform] chaos: ${chaos.faults.map((f) => `${f.name} MTTR ${f.mttrMs === null ? '-' : (f.mttrMs / 1000).toFixed(1)} s`).join(', ')}; ledger ${chaos.ledger?.acknowledged} acknowledged, ${chaos.ledger?.lostCount} lost; verdict ${summary.verdict.status}`,
      );
      assert.deepEqual(
        chaos.faults.map((f) => f.type),
        ['pod-kill', 'network-partition'],
      );
      // The platform came back from each fault: a finite time to recover (0 when the platform absorbed the
      // fault: the edge's retries and the Service often hide a killed gateway pod on an idle machine).
      for (const f of chaos.faults) assert.ok(f.mttrMs !== null && Number.isFinite(f.mttrMs), `${f.name}: MTTR ${f.mttrMs}`);
      // The partition cannot be absorbed (both gateways cut, kept-alive connections too): it is seen.
      assert.notEqual(chaos.faults[1]?.detectedMs ?? null, null, 'the partition broke the steady state');
      assert.ok(chaos.ledger && chaos.ledger.acknowledged > 0, 'the ledger wrote through the platform');
      assert.equal(chaos.ledger.lostCount, 0, `acknowledged orders missing from PostgreSQL: ${chaos.ledger.lost.join(', ')}`);
      assert.deepEqual(chaos.rollback, { complete: true, problems: [] });
      // Nothing left: no partition policy, the detached policy selects its pods again, both gateways Ready.
      const policies = (await kc.makeApiClient(NetworkingV1Api).listNamespacedNetworkPolicy({ namespace: NS })).items;
      assert.deepEqual(
        policies.filter((p) => p.metadata?.labels?.['crucible.dev/fault'] !== undefined).map((p) => p.metadata?.name),
        [],
      );
      const services = policies.find((p) => p.metadata?.name === 'services');
      assert.deepEqual(
        services?.spec?.podSelector?.matchExpressions?.map((x) => `${x.key} ${x.operator} ${(x.values ?? []).join(',')}`),
        ['app.kubernetes.io/name In gateway,auth,catalog'],
        'the services policy selects its pods again (the partition took its exclusion back)',
      );
      await waitForReadyPods(kc, NS, 'app.kubernetes.io/name=gateway', 2, 120_000);
    } finally {
      await rm(reports, { recursive: true, force: true });
    }
  });

  // Kubernetes' side of time to detect: kube-state-metrics scraped, and the replicas alert (rules.yml,
  // group kubernetes) firing while a Deployment has fewer replicas than it had, resolved once they are back.
  it('raises CrucibleKubeDeploymentReplicasUnavailable while the catalog is scaled 2 -> 1 (kube-state-metrics), and resolves it when restored', async () => {
    assert.ok(platform);
    const prom = platform.endpoints.prometheus;
    const series = async (q: string): Promise<number> => {
      const r = await httpCall(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`, 'GET', { timeoutMs: 5_000 });
      return ((r.body as { data?: { result?: unknown[] } }).data?.result ?? []).length;
    };
    await waitFor('kube-state-metrics scraped', async () => ((await series('up{job="kube-state-metrics"} == 1')) === 1 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 1_000,
    });
    const alert = 'ALERTS{alertname="CrucibleKubeDeploymentReplicasUnavailable",namespace="crucible",deployment="catalog",alertstate="firing"}';
    const firing = async (): Promise<boolean | undefined> => ((await series(alert)) > 0 ? true : undefined);
    const resolved = async (): Promise<boolean | undefined> => ((await series(alert)) === 0 ? true : undefined);
    await waitFor('the catalog at full strength: no replicas alert', resolved, { timeoutMs: 60_000, intervalMs: 1_000 });
    const apps = kc.makeApiClient(AppsV1Api);
    const scaleCatalog = async (replicas: number): Promise<void> => {
      const scale = await apps.readNamespacedDeploymentScale({ name: 'catalog', namespace: NS });
      await apps.replaceNamespacedDeploymentScale({ name: 'catalog', namespace: NS, body: { ...scale, spec: { replicas } } });
    };
    const start = performance.now();
    await scaleCatalog(1);
    try {
      await waitFor('CrucibleKubeDeploymentReplicasUnavailable fired for the catalog', firing, { timeoutMs: 60_000, intervalMs: 500 });
      console.log(`[kind-platform] the replicas alert fired ${((performance.now() - start) / 1000).toFixed(1)} s after the catalog was scaled 2 -> 1`);
    } finally {
      await scaleCatalog(2);
    }
    await waitForReadyPods(kc, NS, 'app.kubernetes.io/name=catalog', 2, 120_000);
    await waitFor('the replicas alert resolved once the catalog is back to 2', resolved, { timeoutMs: 60_000, intervalMs: 500 });
    console.log(`[kind-platform] fault, alert, restore and resolution took ${((performance.now() - start) / 1000).toFixed(1)} s`);
  });

  it('names a workload that never becomes ready, with its events, when the wait runs out', async () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'broken' } },
        template: {
          metadata: { labels: { app: 'broken' } },
          spec: { containers: [{ name: 'broken', image: 'localhost/crucible/no-such-image:0', imagePullPolicy: 'IfNotPresent' }] },
        },
      },
    } as KubernetesObject;
    await applyObjects(kc, [broken], 'the test');
    try {
      await assert.rejects(waitForWorkloads(kc, [broken], { timeoutMs: 20_000 }), (err: unknown) => {
        assert.ok(err instanceof CrucibleError);
        assert.equal(err.code, 'CRUCIBLE_ERR_UP_TIMEOUT');
        assert.match(err.message, /not ready: deployment\/broken/);
        const details = err.details.join('\n');
        assert.match(details, /^broken-\S+ Pending: broken: waiting \((ErrImagePull|ImagePullBackOff)\)/m);
        assert.match(details, /event: (Normal|Warning) \w+: .*no-such-image/);
        return true;
      });
    } finally {
      await kc.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ name: 'broken', namespace: NS });
    }
  });
});
