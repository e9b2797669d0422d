import type { Clock } from '../../util/clock.ts';

/** Waits for `p` at most `ms`; true when it settled in time. The timer is cleared either way (no handle left open). */
export async function settleWithin(p: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  const cancel = new AbortController();
  let settled = false;
  await Promise.race([
    p.then(
      () => (settled = true),
      () => (settled = true),
    ),
    clock.sleep(ms, cancel.signal),
  ]);
  cancel.abort();
  return settled;
}
