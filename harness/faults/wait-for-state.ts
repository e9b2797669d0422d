import { setTimeout as sleep } from 'node:timers/promises';
import { procStat } from '../../platform/local/proc-info.ts';

/**
 * Polls /proc/<pid>/stat until the process state (R, S, D, T, Z...) satisfies `ok`, for at most
 * `timeoutMs`. True when it did; false on timeout or when the process is gone.
 */
export async function waitForState(pid: number, ok: (state: string) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    const st = procStat(pid);
    if (!st) return false;
    if (ok(st.state)) return true;
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return false;
}

/** Polls until the process is gone or a zombie (dead, not yet reaped by the supervisor). True when it is. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    const st = procStat(pid);
    if (!st || st.state === 'Z') return true;
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return false;
}
