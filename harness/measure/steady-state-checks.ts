import type { FaultRecord, ProbeSeries, SteadyStateCheck } from '../result/summary-model.ts';
import type { ProbeWindow } from './probe-windows.ts';

export interface SteadyStateInput {
  /** probeWindows over the whole run. */
  readonly windows: readonly ProbeWindow[];
  readonly recoverWindows: number;
  /** For the notes: the most common failure reason of a probe. */
  readonly probes: readonly ProbeSeries[];
  readonly faults: readonly Pick<FaultRecord, 'id' | 'injectedMs' | 'recoveredMs'>[];
  readonly endMs: number;
}

/**
 * The hypothesis judged before, during and after the method. Unknown windows (no probe had a
 * say) are left out: `windows` counts judged windows only, and the note says how many were unknown.
 * - before: the whole windows that end by the first injection; ok with at least `recoverWindows`
 *   of them, all good (the platform must be shown steady before it is disturbed).
 * - during: from the window of the first injection to the last recovery (or the end);
 *   informational, ok when every fault recovered.
 * - after: the last `recoverWindows` judged windows of the run; ok when there are that many and
 *   all are good.
 * Without faults, 'before' is the whole run and 'during' is empty.
 */
export function steadyStateChecks(input: SteadyStateInput): SteadyStateCheck[] {
  const { windows, recoverWindows: n, faults, endMs } = input;
  const firstInjection = faults.length ? Math.min(...faults.map((f) => f.injectedMs)) : null;

  const beforeEnd = firstInjection ?? endMs;
  const before = windows.filter((w) => w.endMs <= beforeEnd);
  const beforeJudged = judged(before);
  const beforeGood = beforeJudged.filter((w) => w.state === 'good').length;
  const beforeOk = beforeGood === beforeJudged.length && beforeGood >= n;
  const beforeNote = note([
    ...failureClauses(input.probes, beforeJudged),
    ...(beforeGood < n ? [`only ${beforeGood} good window(s) before the first fault, ${n} needed`] : []),
    ...unknownClause(before),
    ...stalledClause(input.probes),
  ]);

  const unrecovered = faults.filter((f) => f.recoveredMs === null).map((f) => f.id);
  const recoveries = faults.map((f) => f.recoveredMs).filter((r): r is number => r !== null);
  const duringEnd = unrecovered.length || !recoveries.length ? endMs : Math.max(...recoveries);
  const duringFrom = firstInjection ?? endMs;
  const during = windows.filter((w) => w.endMs > duringFrom && w.startMs < duringEnd);
  const duringJudged = judged(during);
  const duringNote =
    firstInjection === null
      ? 'no fault was injected'
      : note([...(unrecovered.length ? [`never recovered: ${unrecovered.join(', ')}`] : []), ...failureClauses(input.probes, duringJudged)]);

  const afterJudged = judged(windows).slice(-n);
  const afterGood = afterJudged.filter((w) => w.state === 'good').length;
  const afterOk = afterJudged.length >= n && afterGood === afterJudged.length;
  const afterNote = note([
    ...failureClauses(input.probes, afterJudged),
    ...(afterJudged.length < n ? [`only ${afterJudged.length} judged window(s) in the run, ${n} needed`] : []),
  ]);

  return [
    check('before', beforeOk, beforeJudged, 0, beforeEnd, beforeNote),
    check('during', unrecovered.length === 0, duringJudged, duringFrom, duringEnd, duringNote),
    check('after', afterOk, afterJudged, afterJudged[0]?.startMs ?? endMs, afterJudged.at(-1)?.endMs ?? endMs, afterNote),
  ];
}

function check(
  phase: SteadyStateCheck['phase'],
  ok: boolean,
  judgedWindows: readonly ProbeWindow[],
  startMs: number,
  endMs: number,
  text: string | undefined,
): SteadyStateCheck {
  const goodWindows = judgedWindows.filter((w) => w.state === 'good').length;
  return { phase, ok, windows: judgedWindows.length, goodWindows, startMs, endMs, ...(text ? { note: text } : {}) };
}

/** Said once, with the first check: timeouts the harness caused (ProbeRunner) are left out of every window. */
function stalledClause(probes: readonly ProbeSeries[]): string[] {
  const stalled = probes.filter((p) => (p.harnessStalled ?? 0) > 0);
  if (stalled.length === 0) return [];
  const each = stalled.map((p) => `${p.name} ${p.harnessStalled ?? 0}`).join(', ');
  return [`timed-out probe samples left out across the run because the harness itself was stalled for most of their time (${each})`];
}

function judged(windows: readonly ProbeWindow[]): ProbeWindow[] {
  return windows.filter((w) => w.state !== 'unknown');
}

function unknownClause(span: readonly ProbeWindow[]): string[] {
  const unknown = span.filter((w) => w.state === 'unknown').length;
  return unknown ? [`${unknown} window(s) without any probe sample yet`] : [];
}

/** 'probe edge failed in 3 of 5 windows (status 503)', one clause per probe that failed. */
function failureClauses(probes: readonly ProbeSeries[], judgedWindows: readonly ProbeWindow[]): string[] {
  return probes.flatMap((p) => {
    const bad = judgedWindows.filter((w) => w.badProbes.includes(p.name)).length;
    if (!bad) return [];
    // Reasons are kept per probe for the whole run, so this is the probe's commonest, not the span's.
    const top = Object.entries(p.errors).sort((a, b) => b[1] - a[1])[0];
    return [`probe ${p.name} failed in ${bad} of ${judgedWindows.length} windows${top ? ` (${top[0]})` : ''}`];
  });
}

function note(clauses: readonly string[]): string | undefined {
  return clauses.length ? clauses.join('; ') : undefined;
}
