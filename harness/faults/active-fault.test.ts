// The active fault's lifecycle without a platform: a fault of our own making on a fake environment
// whose supervisor records what it is asked to hold and release, a real journal in a temp folder,
// and a fake clock for the dead-man timer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { CrucibleError } from '../errors/crucible-error.ts';
import { injectFault, type InjectOptions } from './active-fault.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment, UndoAction } from './fault.ts';
import { FaultJournal, faultJournalPath, pendingFaults, readJournal, type JournalEntry } from './fault-journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'crucible-active-fault-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let folders = 0;

/** A supervisor that holds and releases on request, and refuses to release what `stuck` names. */
class FakeSupervisor implements LocalFaultEnvironment {
  readonly target = { kind: 'local', portBase: 7900 } as const;
  readonly toxiproxyUrl = 'http://127.0.0.1:1';
  readonly calls: string[] = [];
  readonly held = new Set<string>();
  readonly stuck = new Set<string>();
  async proxies(): Promise<readonly string[]> {
    return [];
  }
  async pidOf(component: string): Promise<number> {
    if (this.held.has(component)) throw new Error(`${component} has no live process (held)`);
    return 4242;
  }
  async hold(component: string): Promise<void> {
    this.calls.push(`hold ${component}`);
    this.held.add(component);
  }
  async release(component: string): Promise<void> {
    this.calls.push(`release ${component}`);
    if (this.stuck.has(component)) throw new Error(`the supervisor refused to release ${component}`);
    this.held.delete(component);
  }
  async redisPrimary(): Promise<{ component: string; pid: number }> {
    throw new Error('no Redis here');
  }
  async verifyClean(): Promise<string[]> {
    return [...this.held].map((c) => `${c} is held`);
  }
}

/** Holds each component in turn; `failAt` makes the apply throw before holding that one. */
class HoldFault implements Fault {
  readonly spec: FaultSpec;
  readonly env: FakeSupervisor;
  readonly #components: readonly string[];
  readonly #failAt: string | undefined;
  readonly #journal: FaultJournal | undefined;
  /** The journal's inject lines for this fault as they were when apply ran. */
  journalSeenByApply: JournalEntry[] = [];
  constructor(env: FakeSupervisor, components: readonly string[], o: { failAt?: string; journal?: FaultJournal } = {}) {
    this.env = env;
    this.#components = components;
    this.#failAt = o.failAt;
    this.#journal = o.journal;
    this.spec = { type: 'component-stop', component: components.join('+') };
  }
  async plan(id: string): Promise<FaultPlan> {
    if (this.#components.includes('nothing')) throw new Error(`no component named 'nothing'`);
    return {
      targets: this.#components.join(', '),
      undo: this.#components.map((component): UndoAction => ({ kind: 'release-component', component })),
      apply: async () => {
        if (this.#journal) this.journalSeenByApply = readJournal(this.#journal.file).filter((e) => e.event === 'inject' && e.fault.id === id);
        for (const c of this.#components) {
          if (c === this.#failAt) throw new Error(`cannot hold ${c}`);
          await this.env.hold(c);
        }
      },
    };
  }
}

/** A kill: nothing to undo, recovery checks that the component runs again. */
class KillFault implements Fault {
  readonly spec: FaultSpec = { type: 'process-kill', component: 'gateway-1' };
  readonly env = new FakeSupervisor();
  async plan(): Promise<FaultPlan> {
    return { targets: 'gateway-1 (pid 4242, SIGKILL)', undo: [{ kind: 'expect-running', component: 'gateway-1' }], apply: async () => {} };
  }
}

function setup(): { journal: FaultJournal; clock: FakeClock; options: (id: string, maxDurationMs?: number) => InjectOptions } {
  folders += 1;
  const clock = new FakeClock();
  const journal = new FaultJournal(faultJournalPath(join(dir, `run-${folders}`)), { kind: 'local', portBase: 7900 }, clock);
  return { journal, clock, options: (id, maxDurationMs = 30_000) => ({ id, name: `fault ${id}`, journal, maxDurationMs, clock }) };
}

const events = (journal: FaultJournal): string[] =>
  readJournal(journal.file).map((e) => (e.event === 'begin' ? 'begin' : e.event === 'inject' ? `inject ${e.fault.id}` : `revert ${e.id} ${e.ok}`));

describe('active fault', () => {
  it('journals the undo actions before applying, and the revert after undoing', async () => {
    const { journal, clock, options } = setup();
    const fault = new HoldFault(new FakeSupervisor(), ['auth-1', 'catalog-1'], { journal });
    const active = await injectFault(fault, options('0.0'));
    assert.equal(fault.journalSeenByApply.length, 1, 'the inject line was on disk when apply ran');
    assert.deepEqual(active.applied, {
      id: '0.0',
      name: 'fault 0.0',
      spec: fault.spec,
      targets: 'auth-1, catalog-1',
      injectedAt: clock.epochMs(),
      undo: [
        { kind: 'release-component', component: 'auth-1' },
        { kind: 'release-component', component: 'catalog-1' },
      ],
    });
    assert.deepEqual(events(journal), ['begin', 'inject 0.0']);
    assert.deepEqual(
      pendingFaults(readJournal(journal.file)).map((f) => f.id),
      ['0.0'],
    );
    await clock.advance(1_000);
    assert.deepEqual(await active.revert(), { status: 'reverted', at: clock.epochMs(), by: 'owner' });
    assert.deepEqual(fault.env.calls, ['hold auth-1', 'hold catalog-1', 'release auth-1', 'release catalog-1']);
    assert.deepEqual(events(journal), ['begin', 'inject 0.0', 'revert 0.0 true']);
    assert.deepEqual(pendingFaults(readJournal(journal.file)), []);
  });

  it('reverts once: a second revert returns the same outcome and undoes nothing again', async () => {
    const { journal, options } = setup();
    const fault = new HoldFault(new FakeSupervisor(), ['postgres']);
    const active = await injectFault(fault, options('1.0'));
    const [first, second] = await Promise.all([active.revert(), active.revert()]);
    const third = await active.revert();
    assert.equal(second, first);
    assert.equal(third, first);
    assert.equal(await active.reverted, first);
    assert.deepEqual(fault.env.calls, ['hold postgres', 'release postgres']);
    assert.deepEqual(events(journal), ['begin', 'inject 1.0', 'revert 1.0 true']);
  });

  it('reverts itself at its maximum duration (the dead-man), on the clock it was given; a later revert is a no-op', async () => {
    const { journal, clock, options } = setup();
    const fault = new HoldFault(new FakeSupervisor(), ['auth-1']);
    const injectedAt = clock.epochMs();
    const active = await injectFault(fault, options('2.0', 20_000));
    await clock.advance(19_999);
    assert.deepEqual(fault.env.calls, ['hold auth-1'], 'still in place 1 ms before its end');
    await clock.advance(1);
    const outcome = await active.reverted;
    assert.deepEqual(outcome, { status: 'reverted', at: injectedAt + 20_000, by: 'dead-man' });
    assert.deepEqual(fault.env.calls, ['hold auth-1', 'release auth-1']);
    assert.equal(await active.revert(), outcome);
    assert.deepEqual(fault.env.calls, ['hold auth-1', 'release auth-1'], 'not undone twice');
    const revertLine = readJournal(journal.file).at(-1);
    assert.deepEqual(revertLine, { event: 'revert', at: injectedAt + 20_000, id: '2.0', ok: true });
  });

  it('an owner that reverts first disarms the dead-man', async () => {
    const { clock, options } = setup();
    const fault = new HoldFault(new FakeSupervisor(), ['auth-1']);
    const active = await injectFault(fault, options('3.0', 5_000));
    assert.equal(clock.sleepers, 1, 'the dead-man waits');
    await active.revert();
    assert.equal(clock.sleepers, 0, 'and no longer');
    await clock.advance(10_000);
    assert.deepEqual(fault.env.calls, ['hold auth-1', 'release auth-1']);
  });

  it('a failed injection is rolled back and journaled as such: nothing is left behind', async () => {
    const { journal, clock, options } = setup();
    const env = new FakeSupervisor();
    const fault = new HoldFault(env, ['auth-1', 'catalog-1', 'postgres'], { failAt: 'postgres' });
    await assert.rejects(injectFault(fault, options('4.0')), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_FAULT_INJECT');
      assert.match(err.message, /^fault 4\.0 \(fault 4\.0\) on auth-1, catalog-1, postgres: cannot hold postgres$/);
      assert.deepEqual(err.details, []);
      return true;
    });
    assert.deepEqual(env.calls, ['hold auth-1', 'hold catalog-1', 'release auth-1', 'release catalog-1', 'release postgres']);
    assert.deepEqual([...env.held], []);
    assert.deepEqual(events(journal), ['begin', 'inject 4.0', 'revert 4.0 true']);
    assert.deepEqual(pendingFaults(readJournal(journal.file)), []);
    assert.equal(clock.sleepers, 0, 'no dead-man for a fault that is not in place');
  });

  it('a failed injection whose rollback fails too names what is left, and the journal keeps it pending', async () => {
    const { journal, options } = setup();
    const env = new FakeSupervisor();
    env.stuck.add('auth-1');
    const fault = new HoldFault(env, ['auth-1', 'postgres'], { failAt: 'postgres' });
    await assert.rejects(injectFault(fault, options('5.0')), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_FAULT_INJECT');
      assert.deepEqual(err.details, ['not rolled back: release auth-1: the supervisor refused to release auth-1']);
      return true;
    });
    assert.deepEqual(events(journal), ['begin', 'inject 5.0', 'revert 5.0 false']);
    assert.deepEqual(
      pendingFaults(readJournal(journal.file)).map((f) => f.id),
      ['5.0'],
      'crucible recover would try again',
    );
  });

  it('a refusal while planning changes and journals nothing, and names the fault', async () => {
    const { journal, options } = setup();
    const env = new FakeSupervisor();
    await assert.rejects(injectFault(new HoldFault(env, ['nothing']), options('6.0')), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_FAULT_INJECT');
      assert.equal(err.message, "fault 6.0 (fault 6.0): no component named 'nothing'");
      return true;
    });
    assert.deepEqual(env.calls, []);
    assert.throws(() => readJournal(journal.file), /cannot read the fault journal/, 'no journal written at all');
  });

  it('await using reverts at the end of the scope', async () => {
    const { journal, options } = setup();
    const fault = new HoldFault(new FakeSupervisor(), ['auth-1']);
    {
      await using active = await injectFault(fault, options('7.0'));
      assert.equal(active.targets, 'auth-1');
      assert.deepEqual([...fault.env.held], ['auth-1']);
    }
    assert.deepEqual([...fault.env.held], []);
    assert.deepEqual(events(journal), ['begin', 'inject 7.0', 'revert 7.0 true']);
  });

  it('disposal throws CRUCIBLE_ERR_ROLLBACK_INCOMPLETE when the revert fails, and the journal says so', async () => {
    const { journal, options } = setup();
    const env = new FakeSupervisor();
    const fault = new HoldFault(env, ['auth-1', 'catalog-1']);
    env.stuck.add('auth-1');
    const scope = async (): Promise<void> => {
      await using _active = await injectFault(fault, options('8.0'));
    };
    await assert.rejects(scope(), (err: CrucibleError) => {
      assert.equal(err.code, 'CRUCIBLE_ERR_ROLLBACK_INCOMPLETE');
      assert.equal(err.message, 'fault 8.0 (fault 8.0): 1 of 2 undo action(s) failed');
      assert.deepEqual(err.details, ['release auth-1: the supervisor refused to release auth-1']);
      return true;
    });
    assert.deepEqual([...env.held], ['auth-1'], 'every undo action ran, also after one failed');
    const last = readJournal(journal.file).at(-1);
    assert.ok(
      last?.event === 'revert' &&
        !last.ok &&
        last.error === 'fault 8.0 (fault 8.0): 1 of 2 undo action(s) failed; release auth-1: the supervisor refused to release auth-1',
      'the journal names the undo action that failed and why, not only how many',
    );
  });

  it('a self-healing fault has nothing to revert and no dead-man; its journal entry stays for recovery to check', async () => {
    const { journal, clock, options } = setup();
    const fault = new KillFault();
    const active = await injectFault(fault, options('9.0', 0));
    assert.equal(active.selfHealing, true);
    assert.equal(clock.sleepers, 0);
    assert.deepEqual(await active.revert(), { status: 'self-healing', at: clock.epochMs() });
    assert.deepEqual(fault.env.calls, []);
    assert.deepEqual(
      pendingFaults(readJournal(journal.file)).map((f) => f.undo),
      [[{ kind: 'expect-running', component: 'gateway-1' }]],
    );
  });
});
