import type { AppliedFault, FaultEnvironment, UndoAction } from './fault.ts';
import { FaultJournal, pendingFaults, readJournal } from './fault-journal.ts';
import { runUndoActions, type UndoOptions, type UndoResult } from './run-undo-action.ts';

export interface RecoveredFault {
  readonly fault: AppliedFault;
  readonly ok: boolean;
  readonly results: readonly UndoResult[];
}

export interface RecoveryReport {
  readonly journalFile: string;
  /** Every fault that was pending, in injection order, with what each undo action did. */
  readonly faults: readonly RecoveredFault[];
  readonly recovered: number;
  readonly failed: number;
}

export interface RecoverOptions extends UndoOptions {
  /** Called as each fault is done (the CLI prints as it goes: expect-running may wait 30 s). */
  readonly onFault?: (f: RecoveredFault) => void;
}

/**
 * Finishes what a crashed (or interrupted) run left: every fault the journal shows injected and not
 * successfully reverted gets its undo actions run, each idempotent, then a revert line, so running
 * it twice does nothing the second time. Faults are undone network first, processes after.
 */
export async function recoverFaults(journalFile: string, env: FaultEnvironment, opts: RecoverOptions = {}): Promise<RecoveryReport> {
  const pending = pendingFaults(readJournal(journalFile)).sort((x, y) => rank(x) - rank(y));
  const journal = new FaultJournal(journalFile);
  const faults: RecoveredFault[] = [];
  for (const fault of pending) {
    const results = await runUndoActions(fault.undo, env, opts);
    const failed = results.filter((r) => !r.ok);
    const ok = failed.length === 0;
    await journal.revert(fault.id, ok, ok ? undefined : failed.map((r) => r.detail).join('; '));
    const done = { fault, ok, results };
    faults.push(done);
    opts.onFault?.(done);
  }
  const recovered = faults.filter((f) => f.ok).length;
  return { journalFile, faults, recovered, failed: faults.length - recovered };
}

/**
 * Network first, then processes (nodes), then what is started again, then waiting: a held component
 * released (a workload scaled back) while its database edge is still down (or its dependency, or its
 * node, still paused) would fail its readiness check and crash-loop. The sort is stable, so faults
 * of one kind keep their injection order.
 */
const UNDO_ORDER: Record<UndoAction['kind'], number> = {
  'remove-toxic': 0,
  'enable-proxy': 0,
  'delete-network-policy': 0,
  'reattach-network-policy': 0,
  'restore-virtual-service': 0,
  'continue-process': 1,
  'unpause-node': 1,
  'unpause-container': 1,
  'start-container': 2,
  'release-component': 2,
  'restore-replicas': 2,
  'expect-running': 3,
  'expect-ready': 3,
  'expect-container-running': 3,
};
const rank = (f: AppliedFault): number => Math.min(...f.undo.map((a) => UNDO_ORDER[a.kind]), 4);
