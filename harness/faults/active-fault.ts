import { SELF_HEALING } from '../config/fault-spec.ts';
import { CrucibleError, describeError } from '../errors/crucible-error.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { isWaitOnly, type AppliedFault, type Fault, type FaultPlan } from './fault.ts';
import type { FaultJournal } from './fault-journal.ts';
import { describeUndoAction, runUndoActions } from './run-undo-action.ts';

export interface InjectOptions {
  /** Unique within the journal, e.g. '0.2' (step 0, repeat 2). */
  readonly id: string;
  /** Shown in logs and reports. */
  readonly name: string;
  /** Where the undo actions are written before the fault takes effect, and the revert after. */
  readonly journal: FaultJournal;
  /**
   * The dead-man's switch: the fault reverts itself this long after its injection began, whatever
   * its owner does (or fails to do). A self-healing fault has nothing to revert and no timer.
   */
  readonly maxDurationMs: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** How a revert ended; `at` is when it began (the fault's end as the timeline sees it), epoch ms. */
export type RevertOutcome =
  | { readonly status: 'reverted'; readonly at: number; readonly by: 'owner' | 'dead-man' }
  /** Nothing to undo (a kill): its journal entry stays, for recovery to check the component runs again. */
  | { readonly status: 'self-healing'; readonly at: number }
  | { readonly status: 'failed'; readonly at: number; readonly by: 'owner' | 'dead-man'; readonly error: CrucibleError };

/**
 * Injects a fault: plans it (a refusal there changes and journals nothing), journals its undo
 * actions, applies it. A failed injection is rolled back before the error is thrown, so it leaves
 * nothing behind (CRUCIBLE_ERR_FAULT_INJECT, listing whatever could not be undone).
 */
export async function injectFault(fault: Fault, o: InjectOptions): Promise<ActiveFault> {
  const clock = o.clock ?? systemClock;
  const injectedAt = clock.epochMs();
  const plan = await planned(fault, o);
  const applied: AppliedFault = { id: o.id, name: o.name, spec: fault.spec, targets: plan.targets, injectedAt, undo: plan.undo };
  await o.journal.inject(applied);
  try {
    await plan.apply();
  } catch (err) {
    throw await rolledBack(fault, applied, o.journal, err);
  }
  return new ActiveFault(fault, applied, o, clock);
}

async function planned(fault: Fault, o: InjectOptions): Promise<FaultPlan> {
  try {
    return await fault.plan(o.id, o.name);
  } catch (err) {
    if (err instanceof CrucibleError) throw err;
    throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${o.id} (${o.name}): ${(err as Error).message}`, { cause: err });
  }
}

async function rolledBack(fault: Fault, applied: AppliedFault, journal: FaultJournal, err: unknown): Promise<CrucibleError> {
  const selfHealing = SELF_HEALING.has(applied.spec.type);
  // Waiting for a kill's victim to come back is not an undo: there is nothing to roll back.
  const rollback = await runUndoActions(
    applied.undo.filter((a) => !isWaitOnly(a)),
    fault.env,
  );
  const leftover = rollback.filter((r) => !r.ok).map((r) => `not rolled back: ${describeUndoAction(r.action)}: ${r.detail}`);
  // A self-healing fault's entry stays open either way: recovery checks that its victim runs again.
  if (!selfHealing) await journal.revert(applied.id, leftover.length === 0, leftover.length === 0 ? undefined : leftover.join('; ')).catch(() => undefined);
  return new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${applied.id} (${applied.name}) on ${applied.targets}: ${(err as Error).message}`, {
    cause: err,
    details: leftover,
  });
}

/**
 * A fault in place: reverted by `revert()`, by disposal (`await using`), or by its dead-man timer,
 * whichever comes first; the others then return the same outcome. The journal gets the revert's
 * line, so `crucible recover` and the watchdog leave it alone.
 */
export class ActiveFault implements AsyncDisposable {
  /** What was injected, as the journal has it. */
  readonly applied: AppliedFault;
  /** Ends by itself (a kill): MTTR counts from the injection, revert has nothing to do. */
  readonly selfHealing: boolean;
  /** Settles once the fault is reverted, by whoever did it; never rejects. */
  readonly reverted: Promise<RevertOutcome>;
  readonly #fault: Fault;
  readonly #journal: FaultJournal;
  readonly #clock: Clock;
  readonly #deadMan = new AbortController();
  readonly #settle: (o: RevertOutcome) => void;
  #reverting: Promise<RevertOutcome> | undefined;

  /** Made by `injectFault` once the fault is in place. */
  constructor(fault: Fault, applied: AppliedFault, o: InjectOptions, clock: Clock) {
    this.#fault = fault;
    this.applied = applied;
    this.selfHealing = SELF_HEALING.has(applied.spec.type);
    this.#journal = o.journal;
    this.#clock = clock;
    const { promise, resolve } = Promise.withResolvers<RevertOutcome>();
    this.reverted = promise;
    this.#settle = resolve;
    if (!this.selfHealing) void this.#armDeadMan(applied.injectedAt + o.maxDurationMs);
  }

  get id(): string {
    return this.applied.id;
  }
  get name(): string {
    return this.applied.name;
  }
  get spec(): AppliedFault['spec'] {
    return this.applied.spec;
  }
  get targets(): string {
    return this.applied.targets;
  }
  /** When the injection began, on the clock it was given (epoch ms by default). */
  get injectedAt(): number {
    return this.applied.injectedAt;
  }

  /** Undoes the fault and returns `reverted`: idempotent (a second call, or one after the dead-man, returns the first outcome). Never throws. */
  revert(): Promise<RevertOutcome> {
    return this.#revert('owner');
  }

  /** Reverts; throws CRUCIBLE_ERR_ROLLBACK_INCOMPLETE when something could not be undone. */
  async [Symbol.asyncDispose](): Promise<void> {
    const outcome = await this.revert();
    if (outcome.status === 'failed') throw outcome.error;
  }

  async #armDeadMan(at: number): Promise<void> {
    const { signal } = this.#deadMan;
    await this.#clock.sleep(at - this.#clock.epochMs(), signal);
    if (!signal.aborted) await this.#revert('dead-man');
  }

  #revert(by: 'owner' | 'dead-man'): Promise<RevertOutcome> {
    if (!this.#reverting) {
      this.#deadMan.abort();
      this.#reverting = this.#undo(by);
      void this.#reverting.then(this.#settle);
    }
    return this.reverted;
  }

  async #undo(by: 'owner' | 'dead-man'): Promise<RevertOutcome> {
    const at = this.#clock.epochMs();
    if (this.selfHealing) return { status: 'self-healing', at };
    const { id, name, undo } = this.applied;
    const results = await runUndoActions(undo, this.#fault.env);
    const failed = results.filter((r) => !r.ok);
    let error: CrucibleError | undefined;
    if (failed.length > 0) {
      error = new CrucibleError('CRUCIBLE_ERR_ROLLBACK_INCOMPLETE', `fault ${id} (${name}): ${failed.length} of ${results.length} undo action(s) failed`, {
        details: failed.map((r) => `${describeUndoAction(r.action)}: ${r.detail}`),
      });
    }
    try {
      await this.#journal.revert(id, error === undefined, error && describeError(error));
    } catch (err) {
      // Reverted, but the journal still says pending: recovery would undo it again (harmless), and the run must say so.
      error ??= new CrucibleError(
        'CRUCIBLE_ERR_ROLLBACK_INCOMPLETE',
        `fault ${id} (${name}): reverted, but the journal could not record it: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    return error ? { status: 'failed', at, by, error } : { status: 'reverted', at, by };
  }
}
