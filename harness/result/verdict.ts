import type { Failure, FailureKind } from './failure.ts';
import { faultExpectations, faultFailures } from './fault-verdict.ts';
import type { ChaosAnalysis, RunStatus, RunSummary, RunVerdict, SecurityAnalysis, SecuritySeverity, SloResult, ThresholdResult } from './summary-model.ts';

/** How a run ended, apart from its results: completed, stopped by a signal, or unable to complete. */
export type RunEnd =
  { readonly kind: 'completed' } | { readonly kind: 'interrupted'; readonly reason: string } | { readonly kind: 'error'; readonly reason: string };

/** The results a verdict is judged on. */
export type JudgedResults = Pick<RunSummary, 'thresholds' | 'slos' | 'chaos' | 'security'>;

const EXIT_CODES = { passed: 0, failed: 1, aborted: 3, error: 3 } as const satisfies Record<RunStatus, 0 | 1 | 2 | 3>;

/** 0 passed, 1 failed, 3 aborted or error. */
export const exitCodeOf = (status: RunStatus): 0 | 1 | 3 => EXIT_CODES[status];

/**
 * The run's verdict: every failure with its measured value and limit, and the status and exit code
 * they make. Interrupted is `aborted` and an incomplete run `error`, whatever the results; else any
 * failure but a check that could not run makes `failed`; a check that could not run, or a penetration
 * run where no check applied (and nothing else), makes `error`, since no verdict is not a pass; else
 * `passed`. A chaos run is judged by
 * chaosFailures below; SLOs that could not be measured count as neither met nor failed.
 *
 * Unmeasured never passes silently. A threshold without a figure is not ok (actual null: its metric
 * had no samples, or k6 exported no such metric, e.g. http_req_failed before k6 v0.31) and fails the
 * run. An unmeasured SLO is the project's objectives applied to every run, not a gate the scenario
 * asked for: it fails nothing, and the reports say it was not measured and why (the SLO's note, the
 * verdict's "N SLOs not measured"), never show it as met.
 */
export function judgeRun(results: JudgedResults, end: RunEnd): RunVerdict {
  const failures: Failure[] = [
    ...(end.kind === 'interrupted' ? [{ kind: 'abort', subject: 'signal', actual: null, words: end.reason } as const] : []),
    ...(end.kind === 'error' ? [{ kind: 'error', subject: 'run', actual: null, words: `the run did not complete: ${end.reason}` } as const] : []),
    // A threshold that stopped the run failed when it did, whatever its final figure says.
    ...results.thresholds.filter((t) => !t.ok || t.aborted).map(thresholdFailure),
    ...results.slos.filter((o) => !o.ok && o.actual !== null).map(sloFailure),
    ...(results.chaos ? chaosFailures(results.chaos) : []),
    ...(results.security ? securityFailures(results.security) : []),
  ];
  const warnings = [...(results.chaos ? chaosWarnings(results.chaos) : []), ...(results.security ? detectionWarnings(results.security) : [])];
  const status: RunStatus =
    end.kind === 'interrupted'
      ? 'aborted'
      : end.kind === 'error'
        ? 'error'
        : failures.some((f) => !NO_VERDICT.has(f.kind))
          ? 'failed'
          : failures.length > 0
            ? 'error'
            : 'passed';
  return { status, exitCode: exitCodeOf(status), failures, warnings };
}

/** Failures that say the run reached no verdict (a check could not run, nothing was tested): alone, they make `error`, never `failed`. */
const NO_VERDICT: ReadonlySet<FailureKind> = new Set(['check-error', 'coverage']);

/** Whether the verdict failed the run on this subject (with `warnings`: or warned about it). Reports mark their rows by it. */
export function failedOn(v: RunVerdict, kind: FailureKind, subject: string, opts: { readonly warnings?: boolean; readonly measure?: string } = {}): boolean {
  return [...v.failures, ...(opts.warnings ? v.warnings : [])].some(
    (f) => f.kind === kind && f.subject === subject && (opts.measure === undefined || f.measure === opts.measure),
  );
}

/** Several runs as one: aborted or error (3) over failed (1) over passed (0). */
export function worstStatus(statuses: readonly RunStatus[]): RunStatus {
  const rank: Readonly<Record<RunStatus, number>> = { passed: 0, failed: 1, error: 2, aborted: 3 };
  return statuses.reduce<RunStatus>((worst, s) => (rank[s] > rank[worst] ? s : worst), 'passed');
}

/**
 * A suite's verdict: the worst of its runs'. Interrupted, it is aborted; stopped before its last
 * scenario (a failure with continueOnFailure: false), it cannot pass.
 */
export function judgeSuite(
  runs: readonly Pick<RunVerdict, 'status'>[],
  end: { readonly interrupted: boolean; readonly complete: boolean },
): Pick<RunVerdict, 'status' | 'exitCode'> {
  const worst = worstStatus([...runs.map((r) => r.status), ...(end.interrupted ? ['aborted' as const] : []), ...(end.complete ? [] : ['failed' as const])]);
  return { status: worst, exitCode: exitCodeOf(worst) };
}

/** A number as the reports print a threshold's value: up to six significant digits. */
const plain = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));

function thresholdFailure(t: ThresholdResult): Failure {
  const actual = t.actual === null ? 'no samples' : `actual ${plain(t.actual)}`;
  return {
    kind: 'threshold',
    subject: `${t.metric} ${t.expression}`,
    actual: t.actual,
    ...(t.limit ? { limit: t.limit } : {}),
    words: `threshold ${t.metric} ${t.expression} failed: ${actual}${t.aborted ? ' (aborted the run)' : ''}`,
  };
}

function sloValue(o: SloResult, v: number): string {
  switch (o.unit) {
    case 'ms':
      return `${v.toFixed(1)} ms`;
    case 'ratio':
      return `${(v * 100).toFixed(2)} %`;
    case 'count':
      return String(v);
    case 'mb/h':
      return `${v.toFixed(2)} MB/h`;
    case 'ms/h':
      return `${v.toFixed(2)} ms/h`;
  }
}

function sloFailure(o: SloResult): Failure {
  return {
    kind: 'slo',
    subject: o.id,
    actual: o.actual,
    ...(o.limit ? { limit: o.limit } : {}),
    words: `SLO ${o.objective} failed: ${o.actual === null ? 'not measured' : sloValue(o, o.actual)} (${o.source})`,
  };
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The chaos rule. The hypothesis is judged before the first fault and after recovery: during the
 * faults it is expected to be disturbed, so 'during' is reported but judges nothing (it fails only
 * when a fault never recovered, and that fault fails the run itself). Every fault is judged on its
 * expectations; the experiment's availability on its objective; acknowledged writes lost beyond
 * `expectations.maxLostWrites` (expect.lostWrites, the roadmap's 0 by default) and any write applied
 * twice fail it; so does an incomplete rollback and an abort condition that stopped the experiment.
 */
export function chaosFailures(c: ChaosAnalysis): Failure[] {
  const out: Failure[] = [];
  if (c.abortedBy)
    out.push({
      kind: 'abort',
      subject: c.abortedBy.probe,
      actual: null,
      // The reason names the probe (or the fault that could not be injected).
      words: `experiment aborted at ${(c.abortedBy.atMs / 1000).toFixed(1)} s: ${c.abortedBy.reason}`,
    });
  for (const s of c.steadyState)
    if (!s.ok && s.phase !== 'during')
      out.push({
        kind: 'steady-state',
        subject: s.phase,
        actual: null,
        words: `steady state ${s.phase} the faults did not hold${s.note ? `: ${s.note}` : ''}`,
      });
  const expect = faultExpectations(c.expectations);
  for (const f of c.faults) out.push(...faultFailures(f, expect));
  const a = c.availability;
  if (a.ratio !== null && a.ratio < a.objective)
    out.push({
      kind: 'availability',
      subject: 'experiment',
      actual: a.ratio,
      limit: { op: '>=', value: a.objective, unit: 'ratio' },
      words: `availability ${(a.ratio * 100).toFixed(2)} % < ${(a.objective * 100).toFixed(1)} % (${a.total - a.good} bad probe samples of ${a.total})`,
    });
  const l = c.ledger;
  if (l && l.lostCount > c.expectations.maxLostWrites)
    out.push({
      kind: 'data-loss',
      subject: 'lost',
      actual: l.lostCount,
      limit: { op: '<=', value: c.expectations.maxLostWrites, unit: 'count' },
      words: `${plural(l.lostCount, 'acknowledged write')} lost${c.expectations.maxLostWrites > 0 ? ` (${c.expectations.maxLostWrites} allowed)` : ''}`,
    });
  if (l && l.duplicatedCount > 0)
    out.push({
      kind: 'data-loss',
      subject: 'duplicated',
      actual: l.duplicatedCount,
      limit: { op: '==', value: 0, unit: 'count' },
      words: `${plural(l.duplicatedCount, 'write')} applied twice`,
    });
  if (!c.rollback.complete)
    out.push({ kind: 'rollback', subject: 'rollback', actual: null, words: `ROLLBACK INCOMPLETE: ${c.rollback.problems.join('; ') || 'no problem recorded'}` });
  return out;
}

/** Acknowledged writes lost within what the experiment allows: not a failure, never quiet. */
function chaosWarnings(c: ChaosAnalysis): Failure[] {
  const l = c.ledger;
  if (!l || l.lostCount === 0 || l.lostCount > c.expectations.maxLostWrites) return [];
  return [
    {
      kind: 'data-loss',
      subject: 'lost',
      actual: l.lostCount,
      limit: { op: '<=', value: c.expectations.maxLostWrites, unit: 'count' },
      words: `${plural(l.lostCount, 'acknowledged write')} lost (within the ${c.expectations.maxLostWrites} allowed)`,
    },
  ];
}

const SEVERITY_RANK: Readonly<Record<SecuritySeverity, number>> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };

/**
 * Findings worst first (severity, then CVSS score, then id), then the checks that could not reach a
 * verdict. A run in which no check applied tested nothing: that is no pass (exit 3, not 0 at 0 %
 * verdict coverage), and the words say where the reasons are.
 */
function securityFailures(s: SecurityAnalysis): Failure[] {
  const applicable = s.checks.filter((c) => c.verdict !== 'not-applicable').length;
  const nothingTested: Failure[] =
    applicable > 0
      ? []
      : [
          {
            kind: 'coverage',
            subject: 'checks',
            actual: 0,
            limit: { op: '>=', value: 1, unit: 'count' },
            words: `no check applied (${plural(s.checks.length, 'check')} not applicable): nothing was tested, which is not a pass; each check's reason names the profile field it needs`,
          },
        ];
  const found = s.checks
    .filter((c) => c.verdict === 'fail')
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.cvss.score - a.cvss.score || a.id.localeCompare(b.id));
  return [
    ...found.map((c): Failure => ({
      kind: 'security-finding',
      subject: c.id,
      actual: c.cvss.score,
      words: `${c.severity} finding ${c.id} ${c.title} (CVSS ${c.cvss.score.toFixed(1)}): ${c.summary}`,
    })),
    ...s.checks
      .filter((c) => c.verdict === 'error')
      .map((c): Failure => ({ kind: 'check-error', subject: c.id, actual: null, words: `${c.id} ${c.title} could not reach a verdict: ${c.summary}` })),
    ...nothingTested,
  ];
}

/**
 * A penetration run's status is its checks'; an attack class not detected within its budget is said,
 * loudly, beside it. Detection that was not measured (no alert source) is neither: the reports say
 * "not measured".
 */
function detectionWarnings(s: SecurityAnalysis): Failure[] {
  return s.detection
    .filter((d) => !d.ok && d.notMeasured === undefined)
    .map((d) => ({
      kind: 'detection',
      subject: d.attackClass,
      actual: d.timeToDetectMs,
      limit: { op: '<=', value: d.budgetMs, unit: 'ms' },
      words:
        d.timeToDetectMs === null
          ? `${d.attackClass} attacks not detected within the ${(d.budgetMs / 1000).toFixed(0)} s budget`
          : `${d.attackClass} attacks detected after ${(d.timeToDetectMs / 1000).toFixed(1)} s, over the ${(d.budgetMs / 1000).toFixed(0)} s budget`,
    }));
}
