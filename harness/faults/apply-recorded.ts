import { CrucibleError } from '../errors/crucible-error.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, FaultEnvironment, UndoAction } from './fault.ts';
import { runUndoActions } from './run-undo-action.ts';

export interface PlannedFault {
  readonly id: string;
  readonly name: string;
  readonly spec: FaultSpec;
  readonly targets: string;
  readonly undo: readonly UndoAction[];
}

/**
 * The order every fault follows: journal the undo actions (through `record`), then change the
 * platform. If applying fails half-way, what was applied is undone before the error is thrown, so
 * a failed injection never leaves a partial fault behind (the journal entry stays; undoing it again
 * is a no-op).
 */
export async function applyRecorded(
  planned: PlannedFault,
  env: FaultEnvironment,
  record: (applied: AppliedFault) => Promise<void>,
  apply: () => Promise<void>,
): Promise<AppliedFault> {
  const applied: AppliedFault = { ...planned, injectedAt: Date.now() };
  await record(applied);
  try {
    await apply();
  } catch (err) {
    // Waiting for a kill's victim to come back is not an undo: there is nothing to roll back.
    const rollback = await runUndoActions(
      applied.undo.filter((a) => a.kind !== 'expect-running'),
      env,
    );
    const leftover = rollback.filter((r) => !r.ok).map((r) => `not rolled back: ${r.detail}`);
    throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${planned.id} (${planned.name}) on ${planned.targets}: ${(err as Error).message}`, {
      cause: err,
      details: leftover,
    });
  }
  return applied;
}

/** A refusal before anything was changed or journaled. */
export function refuse(id: string, name: string, message: string, details: readonly string[] = []): CrucibleError {
  return new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${id} (${name}): ${message}`, { details });
}

/** Looks up what a fault will hit (a pid, the proxies); a failure there is a refusal with nothing changed. */
export async function lookUp<T>(id: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CrucibleError) throw err;
    throw new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault ${id} (${name}): ${(err as Error).message}`, { cause: err });
  }
}
