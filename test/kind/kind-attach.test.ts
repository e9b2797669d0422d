// `crucible up --target kind --cluster NAME`: the platform deployed into a kind cluster crucible did
// not create (made here as a user would, beforehand), reached at the NodePorts on the node's address,
// driven with `crucible run`, and `down` removing crucible's namespace only: the cluster, its nodes and
// the user's own namespace stay. A namespace 'crucible' that is not crucible's is refused, and so is a
// cluster that does not exist, before any image is built.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectContainerEngine } from '../../harness/containers/container-engine.ts';
import { KindCluster } from '../../harness/targets/kind/kind-cluster.ts';
import { kindClusters, kindRunner } from '../../harness/targets/kind/kind-command.ts';
import type { KindState, KindStatus } from '../../harness/targets/kind/kind-target.ts';
import { projectRoot } from '../../harness/util/project-root.ts';
import { assertServedRun, crucible } from '../support/crucible-cli.ts';

/** The user's cluster publishes its own kind-config ports at 7890+; crucible's platform in it is port base 7895's. */
const CLUSTER_PORT_BASE = 7890;
const USER_CLUSTER = 'user-dev-7890';
const PORT_BASE = 7895;
const target = ['--target', 'kind', '--port-base', String(PORT_BASE)];

describe('the platform in an existing kind cluster (crucible up --target kind --cluster NAME)', { timeout: 1_800_000 }, () => {
  let cluster: KindCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;

  before(async () => {
    cluster = await KindCluster.create({ name: USER_CLUSTER, workers: 1, portBase: CLUSTER_PORT_BASE, log: (l) => console.log(`[kind] ${l}`) });
    kc = cluster.kubeConfig;
    core = kc.makeApiClient(CoreV1Api);
    // The user's own work in the cluster, which crucible must leave alone.
    await core.createNamespace({ body: { metadata: { name: 'user-things' } } });
    await core.createNamespacedConfigMap({ namespace: 'user-things', body: { metadata: { name: 'keep-me' }, data: { a: '1' } } });
  });

  after(async () => {
    await crucible(['down', ...target]);
    await cluster.delete();
  });

  it('refuses a cluster that does not exist, naming the clusters there are, before building anything', async () => {
    const r = await crucible(['up', ...target, '--cluster', 'no-such-cluster']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /no kind cluster named 'no-such-cluster'/);
    assert.match(r.stderr, new RegExp(`kind get clusters: .*${USER_CLUSTER}`));
    assert.doesNotMatch(r.stdout + r.stderr, /\[images\]/, 'no image was built for a cluster that is not there');
  });

  it("refuses a namespace 'crucible' that crucible did not make (down would delete it whole)", async () => {
    await core.createNamespace({ body: { metadata: { name: 'crucible' } } });
    try {
      const r = await crucible(['up', ...target, '--cluster', USER_CLUSTER]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /has a namespace 'crucible' that crucible did not make/);
      await core.readNamespace({ name: 'crucible' });
    } finally {
      await core.deleteNamespace({ name: 'crucible' });
      for (let i = 0; i < 120; i++) {
        if (!(await core.listNamespace()).items.some((n) => n.metadata?.name === 'crucible')) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  });

  it('deploys into it, serves a run at the NodePorts on the node address, and down removes only its namespace', async () => {
    const up = await crucible(['up', ...target, '--cluster', USER_CLUSTER, '--json']);
    assert.equal(up.code, 0, `${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`);
    const state = JSON.parse(up.stdout) as KindState;
    assert.equal(state.name, USER_CLUSTER);
    assert.equal(state.attached, true);
    const node = (await core.listNode()).items.find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}));
    const address = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    assert.equal(state.endpoints.edge, `http://${address}:30080`, 'the edge is the NodePort on the control plane’s address');

    const status = await crucible(['status', ...target, '--json']);
    assert.equal(status.code, 0, status.stdout);
    const st = JSON.parse(status.stdout) as KindStatus;
    assert.equal(st.health, 'up', st.problems.join('; '));
    assert.ok(
      st.pods.some((p) => p.name.startsWith('gateway-') && p.ready),
      'the pods are listed',
    );

    const reports = await mkdtemp(join(tmpdir(), 'crucible-kind-attach-'));
    try {
      const run = await crucible(['run', 'scenarios/load/smoke.ts', ...target, '--reports-dir', reports, '--json']);
      assertServedRun(run, state.endpoints.edge, 300);
    } finally {
      await rm(reports, { recursive: true, force: true });
    }

    const down = await crucible(['down', ...target]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`namespace crucible in kind cluster ${USER_CLUSTER} \\(the cluster is left running\\)`));
    const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    assert.ok(!namespaces.includes('crucible'), 'crucible’s namespace is gone');
    assert.equal((await core.readNamespacedConfigMap({ namespace: 'user-things', name: 'keep-me' })).data?.['a'], '1', 'the user’s namespace is untouched');
    assert.ok((await kindClusters(kindRunner(await detectContainerEngine(), USER_CLUSTER))).includes(USER_CLUSTER), 'the cluster stays');
    assert.equal((await core.listNode()).items.length, 2, 'with its nodes');
    assert.equal(existsSync(join(projectRoot(), '.crucible', `kind-${PORT_BASE}`)), false, 'the state folder is removed');
  });
});
