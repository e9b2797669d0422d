import type { Clock } from '../../util/clock.ts';

/**
 * Calls `fire(dueAt)` for each time of `times` (ms from `startAt`, ascending) once the clock has
 * reached it; `dueAt` is on the clock's timeline. Everything already due fires in one go, so a late
 * wake-up (a busy event loop) catches up instead of drifting; the caller measures the lateness.
 */
export async function runTimeline(
  times: Iterable<number>,
  startAt: number,
  clock: Clock,
  signal: AbortSignal,
  fire: (dueAt: number, index: number) => void,
): Promise<void> {
  let index = 0;
  for (const t of times) {
    const due = startAt + t;
    // A timer may fire a fraction of a millisecond early: never start anything before its time.
    for (let wait = due - clock.monotonicMs(); wait > 0 && !signal.aborted; wait = due - clock.monotonicMs()) await clock.sleep(wait, signal);
    if (signal.aborted) return;
    fire(due, index++);
  }
}
