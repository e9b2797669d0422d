// The pure parts of the Kubernetes faults: label selectors as the API server reads them, the
// partition's policy and the policies that would defeat it, target checks (a fault, an undo action,
// a journal on the wrong kind of target). test/kind/k8s-faults.test.ts runs them on a real cluster.
import { KubeConfig, type V1NetworkPolicy } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { KindNodeContainers } from '../targets/kind/kind-node-containers.ts';
import { createFault } from './create-fault.ts';
import type { KindFaultEnvironment, LocalFaultEnvironment } from './fault.ts';
import { describeJournalTarget, journalTarget, readJournal } from './fault-journal.ts';
import { kindFaultEnvironment } from './kind-fault-environment.ts';
import { kubeSafeId, selectorQuery, selects } from './label-selector.ts';
import { exclusion, partitionPolicy, policyConflicts } from './network-partition-fault.ts';
import { podsToKill } from './pod-kill-fault.ts';
import { runUndoActions } from './run-undo-action.ts';

const dir = mkdtempSync(join(tmpdir(), 'crucible-kube-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const unused = async (): Promise<never> => {
  throw new Error('not called');
};
const localEnv: LocalFaultEnvironment = {
  target: { kind: 'local', portBase: 7900 },
  toxiproxyUrl: 'http://127.0.0.1:1',
  proxies: unused,
  pidOf: unused,
  hold: unused,
  release: unused,
  redisPrimary: unused,
  verifyClean: unused,
};
const kindEnv: KindFaultEnvironment = {
  target: { kind: 'kind', cluster: 'c1', namespace: 'crucible', kubeconfig: '/nowhere/kubeconfig' },
  kubeConfig: new KubeConfig(),
  mesh: undefined,
  nodeContainers: unused,
  pauseNode: unused,
  forgetConnections: unused,
  unpauseNode: unused,
  verifyClean: unused,
};

describe('label selectors', () => {
  it('select as the API server does: every matchLabels pair and every expression', () => {
    const labels = { app: 'web', tier: 'front' };
    assert.equal(selects({}, labels), true, 'an empty selector selects everything');
    assert.equal(selects({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(selects({ matchLabels: { app: 'web', tier: 'back' } }, labels), false);
    assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'mid'] }] }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels), false);
    assert.equal(selects({ matchExpressions: [{ key: 'gone', operator: 'NotIn', values: ['x'] }] }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
  });

  it('are written as the query string the API lists with', () => {
    assert.equal(
      selectorQuery({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists' },
          { key: 'z', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,tier in (a,b),x notin (c),y,!z',
    );
    assert.equal(kubeSafeId('0.2'), '0-2');
    assert.equal(kubeSafeId('Step 3/Repeat_1'), 'step-3-repeat-1');
  });
});

describe('pod kill', () => {
  it('kills its count (1 by default), or its percent of the matching pods rounded up, at least one', () => {
    const spec = { type: 'pod-kill', selector: { app: 'web' } } as const;
    assert.equal(podsToKill(spec, 6), 1);
    assert.equal(podsToKill({ ...spec, count: 3 }, 6), 3);
    assert.equal(podsToKill({ ...spec, percent: 50 }, 6), 3);
    assert.equal(podsToKill({ ...spec, percent: 50 }, 5), 3);
    assert.equal(podsToKill({ ...spec, percent: 10 }, 2), 1);
    assert.equal(podsToKill({ ...spec, percent: 100 }, 2), 2);
  });
});

describe('the network partition', () => {
  it('is a NetworkPolicy named and labelled after the fault, with no rule in the cut directions', () => {
    assert.deepEqual(partitionPolicy('0.1', 'crucible', { type: 'network-partition', selector: { app: 'auth' } }), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'crucible-partition-0-1', namespace: 'crucible', labels: { 'crucible.dev/fault': '0-1', 'app.kubernetes.io/managed-by': 'crucible' } },
      spec: { podSelector: { matchLabels: { app: 'auth' } }, policyTypes: ['Ingress', 'Egress'] },
    });
    assert.deepEqual(partitionPolicy('x', 'n', { type: 'network-partition', selector: { app: 'a' }, direction: 'egress' }).spec?.policyTypes, ['Egress']);
  });

  it('detaches the policies that already allow only what it cuts (policies only add allowances), and refuses what it could not cut', () => {
    const policy = (name: string, spec: V1NetworkPolicy['spec'], labels?: Record<string, string>): V1NetworkPolicy => ({
      metadata: { name, ...(labels ? { labels } : {}) },
      ...(spec ? { spec } : {}),
    });
    const policies = [
      policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('allow-auth-in', { podSelector: { matchLabels: { app: 'auth' } }, ingress: [{}] }),
      policy('allow-dns-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
      policy('allow-web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
      policy('crucible-partition-0-0', { podSelector: { matchLabels: { app: 'auth' } }, ingress: [{}] }, { 'crucible.dev/fault': '0-0' }),
    ];
    const auth = [{ app: 'auth', 'pod-template-hash': 'abc' }];
    const one = { app: 'auth' };
    assert.deepEqual(policyConflicts(policies, auth, ['Ingress'], one), { detach: ['allow-auth-in'], refuse: [] });
    assert.deepEqual(policyConflicts(policies, auth, ['Egress'], one), { detach: ['allow-dns-out'], refuse: [] });
    assert.deepEqual(policyConflicts(policies, auth, ['Ingress', 'Egress'], one), { detach: ['allow-auth-in', 'allow-dns-out'], refuse: [] });
    assert.deepEqual(policyConflicts(policies.slice(0, 1), auth, ['Ingress', 'Egress'], one), { detach: [], refuse: [] }, 'a deny-all policy allows nothing');
    const both = policy('allow-auth-both', { podSelector: { matchLabels: { app: 'auth' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    assert.deepEqual(policyConflicts([both], auth, ['Ingress'], one).refuse, [
      "NetworkPolicy allow-auth-both also allows egress of the pods, which detaching it would cut too: use direction 'both'",
    ]);
    assert.deepEqual(policyConflicts([both], auth, ['Ingress', 'Egress'], one), { detach: ['allow-auth-both'], refuse: [] });
    assert.match(policyConflicts(policies, auth, ['Ingress'], { app: 'auth', tier: 'x' }).refuse.join(), /only a selector of one label can detach them/);
    assert.deepEqual(policyConflicts(policies, auth, ['Ingress'], { app: 'auth', tier: 'x' }).detach, ['allow-auth-in']);
  });

  it("detaches a policy with a NotIn requirement on the selector's label, which no longer selects the pods", () => {
    const requirement = exclusion({ app: 'auth' });
    assert.deepEqual(requirement, { key: 'app', operator: 'NotIn', values: ['auth'] });
    assert.equal(selects({ matchLabels: { tier: 'back' }, matchExpressions: [requirement] }, { app: 'auth', tier: 'back' }), false);
    assert.equal(selects({ matchLabels: { tier: 'back' }, matchExpressions: [requirement] }, { app: 'web', tier: 'back' }), true);
  });
});

describe('faults on the wrong kind of target', () => {
  it('are refused before anything is planned, naming the fault type and the target', () => {
    assert.throws(
      () => createFault({ type: 'pod-kill', selector: { app: 'web' } }, localEnv),
      (err: unknown) =>
        err instanceof CrucibleError &&
        err.code === 'CRUCIBLE_ERR_FAULT_INJECT' &&
        err.message === "fault type 'pod-kill' acts on a kind cluster, not on the local platform on port base 7900",
    );
    assert.throws(
      () => createFault({ type: 'process-kill', component: 'gateway-1' }, kindEnv),
      (err: unknown) =>
        err instanceof CrucibleError && err.message === "fault type 'process-kill' acts on the local target, not on namespace crucible of kind cluster c1",
    );
    assert.equal(createFault({ type: 'node-pause', node: 'c1-worker' }, kindEnv).env, kindEnv);
    assert.throws(
      () => createFault({ type: 'proxy-down', proxy: 'gateway-auth' }, kindEnv),
      (err: unknown) =>
        err instanceof CrucibleError && err.message === "fault type 'proxy-down' needs a Toxiproxy mesh, and namespace crucible of kind cluster c1 names none",
    );
    const mesh = { toxiproxyUrl: 'http://127.0.0.1:1', proxies: unused };
    assert.equal(createFault({ type: 'proxy-down', proxy: 'gateway-auth' }, { ...kindEnv, mesh }).env.target.kind, 'kind');
  });

  it("an undo action in another target's environment fails, saying why, and the others still run", async () => {
    const results = await runUndoActions(
      [
        { kind: 'delete-network-policy', namespace: 'crucible', name: 'p' },
        { kind: 'enable-proxy', proxy: 'gateway-auth' },
      ],
      localEnv,
    );
    assert.deepEqual(
      results.map((r) => [r.ok, r.detail]),
      [
        [false, 'delete NetworkPolicy crucible/p acts on a kind cluster, not on the local platform on port base 7900'],
        [false, results[1]?.detail],
      ],
    );
    assert.match(results[1]?.detail ?? '', /127\.0\.0\.1:1|fetch failed|ECONNREFUSED/);
  });

  it('a journal names a kind cluster as its target, and a malformed one is refused naming the line', () => {
    const file = join(dir, 'kind.jsonl');
    const target = { kind: 'kind', cluster: 'c1', namespace: 'crucible', kubeconfig: '/tmp/k', toxiproxyUrl: 'http://127.0.0.1:7303' } as const;
    writeFileSync(file, `${JSON.stringify({ event: 'begin', at: 1, target })}\n`);
    assert.deepEqual(journalTarget(readJournal(file)), target);
    assert.equal(describeJournalTarget(target), 'namespace crucible of kind cluster c1');
    writeFileSync(file, `${JSON.stringify({ event: 'begin', at: 1, target: { kind: 'kind', cluster: 'c1' } })}\n`);
    assert.throws(
      () => readJournal(file),
      (err: unknown) =>
        err instanceof CrucibleError && /kind\.jsonl:1: 'target' must be .*\{ kind: 'kind', cluster, namespace, kubeconfig \}/.test(err.message),
    );
  });

  it('a kind cluster that is gone (no node container) or has lost its kubeconfig is not running: CRUCIBLE_ERR_NOT_RUNNING with a hint', async () => {
    const target = { kind: 'kind', cluster: 'gone', namespace: 'crucible', kubeconfig: join(dir, 'no-kubeconfig') } as const;
    // An engine whose `ps` lists nothing (true), and one whose `ps` lists one line (echo prints its arguments).
    const none = new KindNodeContainers('gone', { kind: 'podman', bin: '/bin/true', env: process.env });
    const one = new KindNodeContainers('gone', { kind: 'podman', bin: '/bin/echo', env: process.env });
    await assert.rejects(kindFaultEnvironment(target, { nodes: none }), (err: unknown) => {
      assert.ok(err instanceof CrucibleError && err.code === 'CRUCIBLE_ERR_NOT_RUNNING', String(err));
      assert.equal(err.message, "no kind cluster 'gone' to act on: it has no node container");
      assert.match(err.hint ?? '', /deleted took its faults with it/);
      return true;
    });
    await assert.rejects(kindFaultEnvironment(target, { nodes: one }), (err: unknown) => {
      assert.ok(err instanceof CrucibleError && err.code === 'CRUCIBLE_ERR_NOT_RUNNING', String(err));
      assert.match(err.message, /its kubeconfig .*no-kubeconfig is missing/);
      return true;
    });
  });
});
