// The fault watchdog's own process: detached from the harness, it outlives a SIGKILL of it.
// Args: <journal file> <harness pid>. It polls the harness; when the harness is gone and the
// journal still has faults pending, it undoes them on the platform the journal names (the same
// undo actions as `crucible recover`) and exits. The harness stops it with SIGTERM once its own
// rollback is done.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultEnvironmentFor, journalTarget, pendingFaults, readJournal, recoverFaults } from '../faults/index.ts';

const [journalFile, pidArg] = process.argv.slice(2);
const harnessPid = Number(pidArg);
const POLL_MS = 250;
/** Bounded: a watchdog never lives beyond a day, whatever happens. */
const MAX_LIFETIME_MS = 24 * 3600_000;
const log = (line: string): void => appendFileSync(`${journalFile}.watchdog.log`, `${new Date().toISOString()} ${line}\n`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

process.on('SIGTERM', () => process.exit(0));
const deadline = Date.now() + MAX_LIFETIME_MS;
while (alive(harnessPid) && Date.now() < deadline) await sleep(POLL_MS);
try {
  const entries = readJournal(journalFile!);
  const pending = pendingFaults(entries);
  if (pending.length > 0) {
    log(`harness ${harnessPid} is gone with ${pending.length} fault(s) pending: undoing them`);
    const target = journalTarget(entries);
    if (!target) throw new Error('the journal does not name the platform its faults went into');
    const report = await recoverFaults(journalFile!, await faultEnvironmentFor(target));
    log(`recovered ${report.recovered}, failed ${report.failed}`);
  }
} catch (err) {
  log(`recovery failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
