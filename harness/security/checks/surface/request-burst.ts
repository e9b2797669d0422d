import type { Evidence } from '../../security-check.ts';
import { answerKind, noted } from '../../toolkit/index.ts';

/** One answer of a burst, from either client. */
export interface BurstAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly evidence: Evidence;
  readonly ms?: number;
}

export interface BurstTally {
  readonly sent: number;
  /** Answers that got through the limit (the route's own answer: 2xx, or a login's 401). */
  allowed: number;
  /** 429s. */
  limited: number;
  /** 503s: refused for want of the limiter's store. */
  unavailable: number;
  noAnswer: number;
  /** Anything else (other 4xx and 5xx). */
  other: number;
  readonly byStatus: Map<number, number>;
  /** Allowed answers per target (replica base URL, or 'base'). */
  readonly allowedBy: Map<string, number>;
  /** The 429s that came without Retry-After. */
  limitedWithoutRetryAfter: number;
  retryAfter?: string;
  firstAllowed?: Evidence;
  lastAllowed?: Evidence;
  firstLimited?: Evidence;
  firstUnavailable?: Evidence;
  firstOther?: Evidence;
  firstNoAnswer?: Evidence;
  readonly latenciesMs: number[];
}

export interface BurstOptions {
  readonly count: number;
  readonly concurrency: number;
  /** Sends request number k; `target` names where it went (for the per-target tally). */
  readonly send: (k: number) => Promise<BurstAnswer & { readonly target?: string }>;
  readonly allowed: (status: number) => boolean;
  /** Stops sending once true (the verdict is settled either way). */
  readonly stop?: (t: BurstTally) => boolean;
  readonly signal: AbortSignal;
}

const header = (h: BurstAnswer['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Sends `count` requests, `concurrency` at a time, and counts how the target answered. */
export async function burst(o: BurstOptions): Promise<BurstTally> {
  const t: BurstTally = {
    sent: 0,
    allowed: 0,
    limited: 0,
    unavailable: 0,
    noAnswer: 0,
    other: 0,
    byStatus: new Map(),
    allowedBy: new Map(),
    limitedWithoutRetryAfter: 0,
    latenciesMs: [],
  };
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && !o.signal.aborted && next < o.count) {
      const k = next++;
      (t as { sent: number }).sent++;
      const a = await o.send(k);
      t.byStatus.set(a.status, (t.byStatus.get(a.status) ?? 0) + 1);
      if (a.ms !== undefined) t.latenciesMs.push(a.ms);
      const kind = answerKind(a.status);
      if (kind === 'no-answer') {
        t.noAnswer++;
        t.firstNoAnswer ??= a.evidence;
      } else if (kind === 'throttled') {
        t.limited++;
        const ra = header(a.headers, 'retry-after');
        if (ra === undefined) t.limitedWithoutRetryAfter++;
        else t.retryAfter ??= ra;
        t.firstLimited ??= noted(a.evidence, `throttled after ${t.allowed} allowed`);
      } else if (o.allowed(a.status)) {
        t.allowed++;
        const target = a.target ?? 'base';
        t.allowedBy.set(target, (t.allowedBy.get(target) ?? 0) + 1);
        t.firstAllowed ??= a.evidence;
        t.lastAllowed = noted(a.evidence, `allowed answer number ${t.allowed}`);
      } else if (kind === 'unavailable') {
        t.unavailable++;
        t.firstUnavailable ??= a.evidence;
      } else {
        t.other++;
        t.firstOther ??= a.evidence;
      }
      if (o.stop?.(t)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return t;
}

/** "1,200 of 1,330 allowed, 130 throttled (429, Retry-After 37 s)". */
export function describeTally(t: BurstTally): string {
  const parts = [`${t.allowed} of ${t.sent} allowed`];
  if (t.limited > 0) parts.push(`${t.limited} throttled (429${t.retryAfter !== undefined ? `, Retry-After ${t.retryAfter}` : ''})`);
  if (t.unavailable > 0) parts.push(`${t.unavailable} refused (503)`);
  if (t.other > 0)
    parts.push(
      `${t.other} other (${[...t.byStatus.entries()]
        .filter(([s]) => !['throttled', 'unavailable', 'no-answer'].includes(answerKind(s)))
        .map(([s, n]) => `${n}×${s}`)
        .join(', ')})`,
    );
  if (t.noAnswer > 0) parts.push(`${t.noAnswer} unanswered`);
  return parts.join(', ');
}

export const median = (xs: readonly number[]): number => (xs.length === 0 ? 0 : ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0));

/** The evidence that shows how a burst went: first allowed, last allowed, first throttled, anything odd. */
export function tallyEvidence(t: BurstTally): Evidence[] {
  return [t.firstAllowed, t.lastAllowed, t.firstLimited, t.firstUnavailable, t.firstOther, t.firstNoAnswer].filter((e): e is Evidence => e !== undefined);
}
