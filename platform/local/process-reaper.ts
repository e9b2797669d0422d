import { setTimeout as sleep } from 'node:timers/promises';
import { allPids, procCmdline, procEnviron, procStat } from './proc-info.ts';

/** The variable every process of one local platform carries, so leftovers can be found without a state file. */
export const RUN_DIR_ENV = 'CRUCIBLE_RUN_DIR';

export interface Leftover {
  readonly pid: number;
  readonly pgid: number;
  readonly cmd: string;
  /** Signal the whole group: only for groups we created (a recorded group, or a leader of its own group). */
  readonly killGroup: boolean;
}

/**
 * Every live process that belongs to the platform of runDir: members of the recorded process groups,
 * plus anything whose environment or command line carries the run folder (a component whose group
 * was never recorded because the harness crashed between spawn and state write). Redis and
 * PostgreSQL rewrite their process titles over the environment, hence the group check first.
 */
export function findLeftovers(runDir: string, pgids: Iterable<number>, exceptPids: ReadonlySet<number> = new Set([process.pid])): Leftover[] {
  const groups = new Set(pgids);
  const marker = `${RUN_DIR_ENV}=${runDir}\0`;
  const out: Leftover[] = [];
  for (const pid of allPids()) {
    if (exceptPids.has(pid)) continue;
    const st = procStat(pid);
    if (!st || st.state === 'Z') continue;
    const cmd = procCmdline(pid);
    if (groups.has(st.pgid)) out.push({ pid, pgid: st.pgid, cmd, killGroup: true });
    else if (procEnviron(pid).includes(marker) || cmd.includes(runDir)) out.push({ pid, pgid: st.pgid, cmd, killGroup: st.pgid === pid });
  }
  return out;
}

/** SIGTERM, then SIGKILL after graceMs, to every leftover and its group; resolves with what was still alive at the end. */
export async function reap(leftovers: readonly Leftover[], graceMs = 3_000): Promise<Leftover[]> {
  const signalAll = (sig: NodeJS.Signals): void => {
    for (const l of leftovers) {
      for (const target of l.killGroup ? [-l.pgid, l.pid] : [l.pid]) {
        try {
          process.kill(target, sig);
        } catch {
          /* already gone */
        }
      }
    }
  };
  if (leftovers.length === 0) return [];
  signalAll('SIGTERM');
  const alive = (): Leftover[] =>
    leftovers.filter((l) => {
      const st = procStat(l.pid);
      return st !== undefined && st.state !== 'Z';
    });
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive().length > 0) await sleep(50);
  if (alive().length > 0) {
    signalAll('SIGKILL');
    const killDeadline = Date.now() + 2_000;
    while (Date.now() < killDeadline && alive().length > 0) await sleep(50);
  }
  return alive();
}
