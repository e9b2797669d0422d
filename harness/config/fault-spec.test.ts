import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { faultOn, faultTargetProblems, labelSelectorString, methodTargets, parseWorkloadRef, SELF_HEALING } from './fault-spec.ts';
import { loadDefinition } from './load-definition.ts';

const fixture = (...parts: string[]): string => join(projectRoot(), 'fixtures', 'scenarios', ...parts);

async function loadedChaos(file: string) {
  const d = await loadDefinition(file);
  assert.ok(d.kind === 'scenario' && d.scenario.kind === 'chaos');
  return d.scenario.chaos;
}

describe('Kubernetes fault specs', () => {
  it('accepts every Kubernetes fault and names its default step names', async () => {
    const { faults } = await loadedChaos(fixture('chaos', 'k8s-faults.ts'));
    assert.deepEqual(
      faults.map((f) => f.name),
      ['kill 1 pod(s) app=gateway', 'scale deployment/catalog to 0', 'partition app.kubernetes.io/name=auth (egress)', 'pause node crucible-worker'],
    );
    assert.equal(faults[0]?.durationMs, undefined, 'a pod kill heals itself: no duration');
  });

  it('refuses bad values naming the file and the field', async () => {
    const file = fixture('invalid', 'bad-k8s-faults.ts');
    const err = await loadDefinition(file).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CrucibleError && err.code === 'CRUCIBLE_ERR_INVALID_SCENARIO', String(err));
    const text = err.details.join('\n');
    assert.match(text, /bad-k8s-faults\.ts: chaos\.method\[0\]\.fault\.selector: expected at least one label/);
    assert.match(text, /bad-k8s-faults\.ts: chaos\.method\[0\]\.fault\.count: .*>0/);
    assert.match(text, /chaos\.method\[1\]\.fault\.workload: expected deployment\/<name> or statefulset\/<name>, got "replicaset\/web"/);
    assert.match(text, /chaos\.method\[1\]\.fault\.replicas: .*>=0/);
    assert.match(text, /chaos\.method\[2\]\.fault\.selector\["app name"\]: expected a label key like app or app\.kubernetes\.io\/name, got "app name"/);
    assert.match(text, /chaos\.method\[3\]\.fault\.node: expected a node name/);
    assert.match(text, /chaos\.method\[4\]\.fault\.percent: expected count or percent, not both/);
  });

  it("refuses a fault the target cannot run, naming the file and the step's field", async () => {
    const k8s = fixture('chaos', 'k8s-faults.ts');
    const local = fixture('chaos', 'interrupted.ts');
    assert.deepEqual(faultTargetProblems(k8s, await loadedChaos(k8s), 'kind'), []);
    assert.deepEqual(faultTargetProblems(local, await loadedChaos(local), 'local'), []);
    assert.deepEqual(faultTargetProblems(k8s, await loadedChaos(k8s), 'local'), [
      `${k8s}: chaos.method[0].fault.type: 'pod-kill' acts on a kind cluster (--target kind); the local target cannot run it (give the step an on.local fault for it)`,
      `${k8s}: chaos.method[1].fault.type: 'scale' acts on a kind cluster (--target kind); the local target cannot run it (give the step an on.local fault for it)`,
      `${k8s}: chaos.method[2].fault.type: 'network-partition' acts on a kind cluster (--target kind); the local target cannot run it (give the step an on.local fault for it)`,
      `${k8s}: chaos.method[3].fault.type: 'node-pause' acts on a kind cluster (--target kind); the local target cannot run it (give the step an on.local fault for it)`,
    ]);
    // The toxic and the disabled proxy run on the mesh of either target; the process pause and the component stop only on the local one.
    assert.deepEqual(faultTargetProblems(local, await loadedChaos(local), 'kind'), [
      `${local}: chaos.method[2].fault.type: 'process-pause' acts on the local target; a kind cluster (--target kind) cannot run it (give the step an on.kind fault for it)`,
      `${local}: chaos.method[3].fault.type: 'component-stop' acts on the local target; a kind cluster (--target kind) cannot run it (give the step an on.kind fault for it)`,
    ]);
  });

  it("runs a step's on.<target> variant where its fault cannot run, under the step's name", async () => {
    const file = join(projectRoot(), 'scenarios', 'chaos', 'gateway-replica-kill.ts');
    const chaos = await loadedChaos(file);
    const { faults } = chaos;
    assert.equal(faults.length, 3, 'three repeats');
    assert.deepEqual(faultTargetProblems(file, chaos, 'kind'), []);
    assert.deepEqual(faultTargetProblems(file, chaos, 'local'), []);
    const first = faults[0]!;
    assert.equal(faultOn(first, 'local')?.type, 'process-kill');
    assert.deepEqual(faultOn(first, 'kind'), { type: 'pod-kill', selector: { 'app.kubernetes.io/name': 'gateway' }, gracePeriodSeconds: 0 });
    assert.equal(first.onNames?.kind, 'kill a gateway replica');
    // Without the variant, the kind target would be refused: faultOn checks where the chosen fault runs.
    assert.equal(faultOn({ spec: first.spec }, 'kind'), undefined);
  });

  it('says which targets each game-day scenario supports', async () => {
    const supported: Record<string, string[]> = {};
    for (const name of [
      'redis-latency',
      'redis-failover',
      'gateway-replica-kill',
      'auth-outage',
      'postgres-restart',
      'edge-partition',
      'slow-upstream',
      'bandwidth-starvation',
    ])
      supported[name] = methodTargets(await loadedChaos(join(projectRoot(), 'scenarios', 'chaos', `${name}.ts`)));
    assert.deepEqual(supported, {
      'redis-latency': ['local', 'kind', 'containers'],
      'redis-failover': ['local', 'kind'],
      'gateway-replica-kill': ['local', 'kind', 'containers'],
      'auth-outage': ['local', 'kind', 'containers'],
      'postgres-restart': ['local', 'kind', 'containers'],
      // It declares chaos.targets: its proxy is the local edge's path to one gateway process (kind's edge has no per-replica path).
      'edge-partition': ['local'],
      'slow-upstream': ['local', 'kind', 'containers'],
      'bandwidth-starvation': ['local', 'kind', 'containers'],
    });
  });

  it('refuses a variant for an unknown target, and a non-healing variant without a duration', async () => {
    const file = fixture('invalid', 'bad-on-variants.ts');
    const err = await loadDefinition(file).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CrucibleError && err.code === 'CRUCIBLE_ERR_INVALID_SCENARIO', String(err));
    const text = err.details.join('\n');
    assert.match(text, /bad-on-variants\.ts: chaos\.method\[0\]\.on: Unrecognized key: "kubernetes"/);
    const durationless = fixture('invalid', 'bad-on-duration.ts');
    const err2 = await loadDefinition(durationless).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(err2 instanceof CrucibleError, String(err2));
    assert.match(err2.details.join('\n'), /bad-on-duration\.ts: chaos\.method\[0\]\.duration: a scale fault needs a duration/);
  });

  it('refuses a target the experiment does not declare, naming chaos.targets', async () => {
    const file = join(projectRoot(), 'scenarios', 'chaos', 'edge-partition.ts');
    assert.deepEqual(faultTargetProblems(file, await loadedChaos(file), 'kind'), [
      `${file}: chaos.targets: the experiment is for the local target; a kind cluster (--target kind) is not one`,
    ]);
  });

  it('parses workload references and label selectors as the API names them', () => {
    assert.deepEqual(parseWorkloadRef('deployment/web'), { kind: 'Deployment', name: 'web' });
    assert.deepEqual(parseWorkloadRef('statefulset/redis'), { kind: 'StatefulSet', name: 'redis' });
    assert.equal(labelSelectorString({ app: 'web', 'app.kubernetes.io/part-of': 'crucible' }), 'app=web,app.kubernetes.io/part-of=crucible');
    assert.ok(SELF_HEALING.has('pod-kill'));
    assert.ok(!SELF_HEALING.has('scale') && !SELF_HEALING.has('network-partition') && !SELF_HEALING.has('node-pause'));
  });
});
