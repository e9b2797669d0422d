// The container faults without an engine: what each plans and journals, the refusals (an unknown
// part, a container that does not run, a fault on the wrong kind of target), the undo actions on an
// in-memory platform, the journal target, and the engine's inspect lines. test/containers/ runs them
// on the real platform.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { faultTargetProblems, SELF_HEALING, type FaultSpec } from '../config/fault-spec.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { PlatformContainers, parseInspectLines } from '../targets/containers/platform-containers.ts';
import { containersFaultEnvironment } from './containers-fault-environment.ts';
import { createFault } from './create-fault.ts';
import type { ContainersFaultEnvironment, JournalTarget, LocalFaultEnvironment, PlatformContainer } from './fault.ts';
import { describeJournalTarget, FaultJournal, journalTarget, pendingFaults, readJournal } from './fault-journal.ts';
import { recoverFaults } from './recover-faults.ts';
import { runUndoActions } from './run-undo-action.ts';

const dir = mkdtempSync(join(tmpdir(), 'crucible-container-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const target: Extract<JournalTarget, { kind: 'containers' }> = {
  kind: 'containers',
  portBase: 7700,
  name: 'crucible-7700',
  engine: 'podman',
  toxiproxyUrl: 'http://127.0.0.1:1',
};

/** A platform of three containers whose engine is a map: what the faults and their undo actions do to it, in order. */
function fakePlatform(): { env: ContainersFaultEnvironment; calls: string[]; byPart: Map<string, PlatformContainer> } {
  const calls: string[] = [];
  const byPart = new Map<string, PlatformContainer>(
    ['gateway-1', 'postgres', 'redis-0'].map((part, i) => [part, { part, container: `crucible-7700-${part}`, state: 'running', pid: 100 + i, restarts: 0 }]),
  );
  const set = (container: string, change: Partial<PlatformContainer>): PlatformContainer => {
    const c = [...byPart.values()].find((x) => x.container === container);
    if (!c) throw new Error(`no container ${container}`);
    const next = { ...c, ...change };
    byPart.set(c.part, next);
    return next;
  };
  const env: ContainersFaultEnvironment = {
    target,
    toxiproxyUrl: target.toxiproxyUrl,
    proxies: async () => ['gateway-catalog'],
    containers: async () => [...byPart.values()],
    kill: async (container, pid, signal) => {
      calls.push(`kill ${container} ${pid} ${signal}`);
      set(container, { pid: pid + 1000, restarts: 1 });
    },
    pause: async (container) => {
      calls.push(`pause ${container}`);
      set(container, { state: 'paused' });
    },
    unpause: async (container) => {
      calls.push(`unpause ${container}`);
      set(container, { state: 'running' });
      return 'unpaused';
    },
    stop: async (container) => {
      calls.push(`stop ${container}`);
      set(container, { state: 'exited', pid: 0 });
    },
    start: async (container) => {
      calls.push(`start ${container}`);
      set(container, { state: 'running', pid: 4242 });
      return 'started, healthy';
    },
    expectRunning: async (container, killedPid) => {
      calls.push(`expect ${container} not ${killedPid}`);
      return 'running again';
    },
    verifyClean: async () => [...byPart.values()].filter((c) => c.state !== 'running').map((c) => `${c.part} is ${c.state}`),
  };
  return { env, calls, byPart };
}

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

describe('container faults', () => {
  it('plan what they hit and how to undo it, and change nothing until applied', async () => {
    const { env, calls } = fakePlatform();
    const kill = await createFault({ type: 'container-kill', container: 'gateway-1' }, env).plan('0.0', 'kill');
    assert.equal(kill.targets, 'gateway-1 (container crucible-7700-gateway-1, pid 100, SIGKILL)');
    assert.deepEqual(kill.undo, [{ kind: 'expect-container-running', container: 'crucible-7700-gateway-1', killedPid: 100 }]);
    const pause = await createFault({ type: 'container-pause', container: 'postgres' }, env).plan('1.0', 'pause');
    assert.deepEqual(pause.undo, [{ kind: 'unpause-container', container: 'crucible-7700-postgres' }]);
    const stop = await createFault({ type: 'container-stop', container: 'redis-0' }, env).plan('2.0', 'stop');
    assert.deepEqual(stop.undo, [{ kind: 'start-container', container: 'crucible-7700-redis-0' }]);
    assert.deepEqual(calls, []);
    await kill.apply();
    await pause.apply();
    await stop.apply();
    assert.deepEqual(calls, ['kill crucible-7700-gateway-1 100 SIGKILL', 'pause crucible-7700-postgres', 'stop crucible-7700-redis-0']);
    assert.ok(SELF_HEALING.has('container-kill') && !SELF_HEALING.has('container-pause') && !SELF_HEALING.has('container-stop'));
  });

  it('refuse a part the platform does not have, and a container that does not run', async () => {
    const { env, byPart } = fakePlatform();
    await assert.rejects(
      createFault({ type: 'container-pause', container: 'gateway-9' }, env).plan('0.0', 'x'),
      /no container for part 'gateway-9'.*parts: gateway-1, postgres, redis-0/,
    );
    byPart.set('postgres', { ...byPart.get('postgres')!, state: 'paused' });
    await assert.rejects(createFault({ type: 'container-kill', container: 'postgres' }, env).plan('0.0', 'x'), /crucible-7700-postgres is paused, not running/);
  });

  it('are refused on another kind of target, and the local faults on this one, before anything is planned', () => {
    const { env } = fakePlatform();
    assert.throws(
      () => createFault({ type: 'container-kill', container: 'gateway-1' }, localEnv),
      (e: unknown) =>
        e instanceof CrucibleError && /'container-kill' acts on the containers target, not on the local platform on port base 7900/.test(e.message),
    );
    assert.throws(
      () => createFault({ type: 'process-kill', component: 'gateway-1' }, env),
      (e: unknown) => e instanceof CrucibleError && /acts on the local target, not on the container platform crucible-7700 on port base 7700/.test(e.message),
    );
    // The mesh's faults run on its Toxiproxy.
    assert.equal(createFault({ type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency' }, env).env, env);
    const steps: { step: number; spec: FaultSpec }[] = [
      { step: 0, spec: { type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency' } },
      { step: 1, spec: { type: 'container-stop', container: 'postgres' } },
      { step: 2, spec: { type: 'pod-kill', selector: { app: 'gateway' } } },
    ];
    assert.deepEqual(faultTargetProblems('f.ts', { faults: steps }, 'containers'), [
      "f.ts: chaos.method[2].fault.type: 'pod-kill' acts on a kind cluster (--target kind); the containers target (--target containers) cannot run it (give the step an on.containers fault for it)",
    ]);
    assert.deepEqual(faultTargetProblems('f.ts', { faults: steps.slice(1, 2) }, 'local'), [
      "f.ts: chaos.method[1].fault.type: 'container-stop' acts on the containers target (--target containers); the local target cannot run it (give the step an on.local fault for it)",
    ]);
  });

  it('are undone by their actions, and recovered from the journal that names the target', async () => {
    const { env, calls, byPart } = fakePlatform();
    const file = join(dir, 'faults.jsonl');
    const journal = new FaultJournal(file, target);
    const pause = await createFault({ type: 'container-pause', container: 'postgres' }, env).plan('0.0', 'pause');
    const stop = await createFault({ type: 'container-stop', container: 'redis-0' }, env).plan('1.0', 'stop');
    const kill = await createFault({ type: 'container-kill', container: 'gateway-1' }, env).plan('2.0', 'kill');
    for (const [id, p] of [
      ['2.0', kill],
      ['1.0', stop],
      ['0.0', pause],
    ] as const) {
      await journal.inject({ id, name: id, spec: { type: 'container-pause', container: 'x' }, targets: p.targets, injectedAt: 1, undo: p.undo });
      await p.apply();
    }
    const entries = readJournal(file);
    assert.deepEqual(journalTarget(entries), target);
    assert.equal(describeJournalTarget(target), 'the container platform crucible-7700 on port base 7700');
    assert.equal(pendingFaults(entries).length, 3);
    assert.deepEqual(await env.verifyClean(), ['postgres is paused', 'redis-0 is exited']);
    calls.length = 0;
    const report = await recoverFaults(file, env);
    assert.equal(report.recovered, 3);
    // Unpaused first, started next, the killed one's return checked last.
    assert.deepEqual(calls, ['unpause crucible-7700-postgres', 'start crucible-7700-redis-0', 'expect crucible-7700-gateway-1 not 100']);
    assert.deepEqual(await env.verifyClean(), []);
    assert.equal(byPart.get('redis-0')?.pid, 4242);
    assert.deepEqual(pendingFaults(readJournal(file)), []);
  });

  it('undo actions refuse an environment of another target', async () => {
    const [r] = await runUndoActions([{ kind: 'unpause-container', container: 'crucible-7700-postgres' }], localEnv);
    assert.equal(r?.ok, false);
    assert.match(r?.detail ?? '', /acts on the containers target, not on the local platform/);
  });

  it("read both engines' inspect lines (docker's names start with a slash) and sort them by part", () => {
    const text = '/crucible-7700-redis-0|running|123|2\ncrucible-7700-edge|Paused|0|0\n';
    assert.deepEqual(parseInspectLines(text, 'crucible-7700'), [
      { part: 'edge', container: 'crucible-7700-edge', state: 'paused', pid: 0, restarts: 0 },
      { part: 'redis-0', container: 'crucible-7700-redis-0', state: 'running', pid: 123, restarts: 2 },
    ]);
  });

  it('say the platform does not run when no container carries its label', async () => {
    // `true` prints nothing whatever it is asked: an engine that lists no container.
    const engine = { kind: 'podman' as const, bin: '/bin/true', env: process.env };
    await assert.rejects(
      containersFaultEnvironment(target, { containers: new PlatformContainers(target.name, engine) }),
      (e: unknown) => e instanceof CrucibleError && e.code === 'CRUCIBLE_ERR_NOT_RUNNING' && /crucible-7700/.test(e.message),
    );
  });
});
