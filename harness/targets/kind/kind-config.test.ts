import { loadYaml } from '@kubernetes/client-node';
import { kindEndpoints, nodePortEndpoints } from './kind-platform.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KUBE_ROUTER_IMAGE, LOCAL_PATH_PROVISIONER_IMAGE } from '../../../platform/kind/node-image/component-images.ts';
import { LOCAL_DEBIAN_BASE } from '../../containers/debian-base-image.ts';
import { ClusterJournal, leftClusters, readClusterJournal } from './cluster-journal.ts';
import { KUBE_ROUTER_MANIFEST } from './kind-cluster.ts';
import { podmanWrapperScript } from './kind-command.ts';
import { nodeCount, publishedPorts, renderKindConfig } from './kind-config.ts';
import { kindFixes, type KindHost } from './kind-fixes.ts';
import { manifestObjects } from './kube-api.ts';
import { projectRoot } from '../../util/project-root.ts';

interface Rendered {
  name: string;
  networking: { disableDefaultCNI?: boolean; apiServerAddress?: string };
  nodes: {
    role: string;
    image?: string;
    labels?: Record<string, string>;
    extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string }[];
  }[];
  kubeadmConfigPatches?: string[];
  containerdConfigPatches?: string[];
}

const LOCAL = { kind: 'local', ref: 'localhost/crucible-kind-node:v1.35.4' } as const;
const thisVm: KindHost = { provider: 'podman', cgroupV2: false, oomScoreAdjDenied: true, libModules: false, nodeImage: LOCAL };

describe('kind fixes', () => {
  it('a machine like the project VMs needs all four; a Docker host with cgroup v2 and a registry needs none', () => {
    assert.deepEqual(kindFixes(thisVm), ['cgroup-v1', 'oom-score-adj', 'no-lib-modules', 'no-kindnetd']);
    assert.deepEqual(kindFixes({ provider: 'docker', cgroupV2: true, oomScoreAdjDenied: false, libModules: true, nodeImage: { kind: 'official' } }), []);
  });

  it('each fix follows its own fact only', () => {
    const none: KindHost = { provider: 'podman', cgroupV2: true, oomScoreAdjDenied: false, libModules: true, nodeImage: { kind: 'official' } };
    assert.deepEqual(kindFixes({ ...none, cgroupV2: false }), ['cgroup-v1']);
    assert.deepEqual(kindFixes({ ...none, oomScoreAdjDenied: true }), ['oom-score-adj']);
    assert.deepEqual(kindFixes({ ...none, libModules: false }), ['no-lib-modules']);
    assert.deepEqual(kindFixes({ ...none, libModules: false, provider: 'docker' }), [], 'docker creates a missing mount source itself');
    assert.deepEqual(kindFixes({ ...none, nodeImage: LOCAL }), ['no-kindnetd']);
  });
});

describe('kind-config.yaml rendered for a cluster', () => {
  it('without fixes it is the file with the cluster name: kind defaults stay (kindest/node, its CNI)', () => {
    const text = renderKindConfig({ name: 'crucible', fixes: [], nodeImage: { kind: 'official' } });
    const config = loadYaml<Rendered>(text);
    assert.equal(config.name, 'crucible');
    assert.equal(config.nodes.length, 3);
    assert.equal(config.networking.apiServerAddress, '127.0.0.1');
    assert.notEqual(config.networking.disableDefaultCNI, true);
    assert.equal(config.kubeadmConfigPatches, undefined);
    assert.equal(config.containerdConfigPatches, undefined);
    assert.ok(config.nodes.every((n) => n.image === undefined));
    // Exactly the ports the harness reaches the platform on (kindEndpoints): kind-config.yaml and the code agree.
    const e = kindEndpoints(7300);
    const endpointPorts = [e.edge, e.edgeStats, e.prometheus, e.toxiproxy].map((u) => Number(new URL(u).port));
    assert.deepEqual(publishedPorts(text), [...endpointPorts, e.postgres.port, ...e.redis.nodes.map((n) => n.port)]);
    assert.ok(config.nodes.flatMap((n) => n.extraPortMappings ?? []).every((m) => m.listenAddress === '127.0.0.1'));
    // In a cluster crucible did not create (--cluster), the same endpoints are the NodePorts behind those mappings.
    const n = nodePortEndpoints('10.89.0.2');
    const nodePorts = config.nodes.flatMap((node) => node.extraPortMappings ?? []).map((m) => m.containerPort);
    assert.deepEqual(
      [n.edge, n.edgeStats, n.prometheus, n.toxiproxy].map((u) => new URL(u).host),
      nodePorts.slice(0, 4).map((p) => `10.89.0.2:${p}`),
    );
    assert.deepEqual([n.postgres.port, ...n.redis.nodes.map((r) => r.port)], nodePorts.slice(4));
    assert.deepEqual(nodePorts.slice(0, 5), [30080, 30404, 30090, 30474, 30630]);
  });

  it('with every fix: the kubelet and containerd patches, no default CNI, the local node image on every node', () => {
    const text = renderKindConfig({ name: 'c1', fixes: kindFixes(thisVm), nodeImage: LOCAL });
    const config = loadYaml<Rendered>(text);
    assert.equal(config.networking.disableDefaultCNI, true);
    assert.ok(config.nodes.every((n) => n.image === LOCAL.ref));
    assert.match(config.kubeadmConfigPatches?.join('\n') ?? '', /kind: KubeletConfiguration\nfailCgroupV1: false/);
    assert.match(config.containerdConfigPatches?.join('\n') ?? '', /\[plugins."io.containerd.grpc.v1.cri"\]\n\s+restrict_oom_score_adj = true/);
  });

  it('a port base moves every published port; workers are cut or added from the last one', () => {
    const two = renderKindConfig({ name: 'c2', fixes: [], nodeImage: { kind: 'official' }, workers: 1, portBase: 7600 });
    assert.equal(nodeCount(two), 2);
    assert.deepEqual(publishedPorts(two), [7600, 7601, 7602, 7603, 7630, 7640, 7641, 7642, 7643, 7644, 7645]);
    assert.deepEqual(loadYaml<Rendered>(two).nodes[1]?.labels, { 'crucible.dev/pool': 'services' });
    const four = loadYaml<Rendered>(renderKindConfig({ name: 'c3', fixes: [], nodeImage: { kind: 'official' }, workers: 3 }));
    assert.deepEqual(
      four.nodes.map((n) => n.labels?.['crucible.dev/pool'] ?? n.role),
      ['control-plane', 'services', 'datastores', 'datastores'],
    );
  });

  it('refuses a file that is not a kind Cluster', () => {
    assert.throws(() => renderKindConfig({ name: 'x', fixes: [], nodeImage: { kind: 'official' }, template: 'kind: Pod\n' }), /not a kind Cluster/);
  });
});

describe('kube-router manifest', () => {
  it('runs the image the node image holds, never pulled', () => {
    const daemonSet = manifestObjects(KUBE_ROUTER_MANIFEST).find((o) => o.kind === 'DaemonSet') as
      { spec: { template: { spec: { containers: { image: string; imagePullPolicy: string }[]; initContainers: { image: string }[] } } } } | undefined;
    const pod = daemonSet?.spec.template.spec;
    assert.ok(pod, 'the manifest has a DaemonSet');
    assert.deepEqual(
      [...pod.containers, ...pod.initContainers].map((c) => c.image),
      [KUBE_ROUTER_IMAGE, KUBE_ROUTER_IMAGE],
    );
    assert.equal(pod.containers[0]?.imagePullPolicy, 'Never');
  });
});

describe("the node image's storage manifest", () => {
  it('runs the provisioner and its helper pods on images the node image holds, never pulled', () => {
    const text = readFileSync(join(projectRoot(), 'platform', 'kind', 'node-image', 'default-storage.yaml'), 'utf8');
    const deployment = manifestObjects(join(projectRoot(), 'platform', 'kind', 'node-image', 'default-storage.yaml')).find((o) => o.kind === 'Deployment') as
      { spec: { template: { spec: { containers: { image: string; imagePullPolicy: string; command: string[] }[] } } } } | undefined;
    const container = deployment?.spec.template.spec.containers[0];
    assert.equal(container?.image, LOCAL_PATH_PROVISIONER_IMAGE);
    assert.equal(container?.imagePullPolicy, 'Never');
    assert.equal(container?.command[container.command.indexOf('--helper-image') + 1], LOCAL_DEBIAN_BASE);
    assert.match(text, new RegExp(`image: ${LOCAL_DEBIAN_BASE}\\n\\s+imagePullPolicy: Never`), "the helper pod's own spec");
    assert.match(text, /storageclass\.kubernetes\.io\/is-default-class: 'true'/);
  });
});

describe('the podman wrapper (no /lib/modules)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-kind-wrapper-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites only the /lib/modules mount and passes every other argument through unchanged', () => {
    const fake = join(dir, 'podman');
    writeFileSync(fake, '#!/bin/sh\nfor a; do printf "%s\\n" "$a"; done\n');
    chmodSync(fake, 0o755);
    const wrapper = join(dir, 'wrapper');
    writeFileSync(wrapper, podmanWrapperScript(fake, '/tmp/empty dir'));
    chmodSync(wrapper, 0o755);
    const args = ['run', '--volume', '/lib/modules:/lib/modules:ro', '--label', 'a b', '', 'img'];
    const out = spawnSync(wrapper, args, { encoding: 'utf8' });
    assert.equal(out.status, 0);
    assert.deepEqual(out.stdout.split('\n').slice(0, -1), ['run', '--volume', '/tmp/empty dir:/lib/modules:ro', '--label', 'a b', '', 'img']);
  });
});

describe('the cluster journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-kind-journal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a cluster created and neither deleted nor kept by a process that is gone is left; one deleted, kept, or of a live run, is not', () => {
    const journal = new ClusterJournal(join(dir, 'kind-clusters.jsonl'));
    journal.created('gone', 'podman', { pid: 101, tempDir: '/tmp/crucible-kind-gone-x' });
    journal.created('done', 'podman', { pid: 102 });
    journal.deleted('done');
    journal.created('running', 'docker', { pid: 103 });
    // A platform `up` finished: its cluster outlives the process on purpose, and recover leaves it alone.
    journal.created('kept', 'podman', { pid: 104 });
    journal.kept('kept');
    writeFileSync(journal.file, '{"event":"create","at":1,"na', { flag: 'a' });
    const entries = readClusterJournal(journal.file);
    assert.equal(entries.length, 6, 'the torn last line is skipped');
    assert.deepEqual(
      leftClusters(entries, (pid) => pid === 103),
      [{ name: 'gone', provider: 'podman', pid: 101, tempDir: '/tmp/crucible-kind-gone-x' }],
    );
  });
});
