import { formatClock, formatPercent } from './format-values.ts';
import { applicableCount, securityFailures } from './security-findings.ts';
import type { ChaosAnalysis, RunStatus, RunSummary } from '../result/summary-model.ts';

export interface Verdict {
  readonly status: RunStatus;
  /** The word every report leads with. */
  readonly word: 'PASSED' | 'FAILED' | 'ABORTED' | 'ERROR';
  /** A plain-text mark that survives terminals, CI logs and screen readers (no emoji). */
  readonly mark: '✓' | '✗' | '!';
  /** One line saying why: what failed, or why the run stopped. */
  readonly reason: string;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

function metList(thresholds: number, slos: number): string {
  const parts = [thresholds ? plural(thresholds, 'threshold') : '', slos ? plural(slos, 'SLO') : ''].filter(Boolean);
  if (parts.length === 0) return 'no thresholds or SLOs to judge';
  const total = thresholds + slos;
  return `${total === 1 ? '' : 'all '}${parts.join(' and ')} met`;
}

const STEADY_STATE_WORDS = { before: 'before the faults', during: 'during the faults', after: 'after recovery' } as const;

/** Availability is judged against the experiment's own objective; the model carries both figures but no verdict. */
export function availabilityMet(c: ChaosAnalysis): boolean | null {
  return c.availability.ratio === null ? null : c.availability.ratio >= c.availability.objective;
}

/**
 * What a chaos run failed on, in the banner's words: `failed` items complete "... failed", `loud`
 * ones are said on their own (a lost write or an unfinished rollback must not read as a detail).
 */
export function chaosFailures(c: ChaosAnalysis): { readonly failed: string[]; readonly loud: string[] } {
  const faults = c.faults.filter((f) => f.verdict === 'failed');
  const names = [...new Set(faults.map((f) => f.name))];
  const ratio = c.availability.ratio;
  const failed = [
    faults.length ? `${plural(faults.length, 'fault')} of ${c.faults.length} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})` : '',
    ...c.steadyState.filter((x) => !x.ok).map((x) => `the steady state ${STEADY_STATE_WORDS[x.phase]}`),
    availabilityMet(c) === false ? `availability (${formatPercent(ratio)} < ${formatPercent(c.availability.objective)})` : '',
  ].filter(Boolean);
  const l = c.ledger;
  const loud = [
    l && l.lostCount > 0 ? `${plural(l.lostCount, 'acknowledged write')} LOST` : '',
    l && l.duplicatedCount > 0 ? `${plural(l.duplicatedCount, 'write')} DUPLICATED` : '',
    c.rollback.complete ? '' : 'rollback INCOMPLETE',
    c.abortedBy ? `experiment aborted by probe ${c.abortedBy.probe} at ${formatClock(c.abortedBy.atMs)} (${c.abortedBy.reason})` : '',
  ].filter(Boolean);
  return { failed, loud };
}

const joinAnd = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A passed penetration run in words: every applicable check passed, and detection. */
function securityPassed(s: RunSummary): string {
  const sec = s.security!;
  const n = applicableCount(sec);
  const na = sec.counts.notApplicable ? ` (${sec.counts.notApplicable} not applicable)` : '';
  const detected = sec.detection.filter((d) => d.ok).length;
  const detection = sec.detection.length === 0 ? '' : detected === sec.detection.length ? `; all ${detected} attack classes detected in time` : '';
  return `no vulnerability found: ${n === sec.counts.pass ? `all ${n} applicable checks passed` : `${sec.counts.pass} of ${n} applicable checks passed`}${na}${detection}`;
}

/** The run's verdict, from `run.status` (the engine's decision) with the reason spelled out from the results. */
export function verdictOf(s: RunSummary): Verdict {
  const failedThresholds = s.thresholds.filter((t) => !t.ok).length;
  const failedSlos = s.slos.filter((o) => !o.ok && o.actual !== null).length;
  const unmeasured = s.slos.filter((o) => o.actual === null).length;
  const failures = [
    failedThresholds ? `${plural(failedThresholds, 'threshold')} of ${s.thresholds.length}` : '',
    failedSlos ? `${plural(failedSlos, 'SLO')} of ${s.slos.length}` : '',
  ].filter(Boolean);
  const unmeasuredText = unmeasured ? `; ${plural(unmeasured, 'SLO')} not measured` : '';
  const chaos = s.chaos ? chaosFailures(s.chaos) : { failed: [], loud: [] };
  const sec = s.security ? securityFailures(s.security) : undefined;
  // Findings lead a penetration run's reason; checks without a verdict and missed detections are said too, whatever the status.
  const secLoud = sec ? [sec.errors, sec.detection].filter(Boolean) : [];
  const loudText = [...chaos.loud, ...secLoud].map((x) => `; ${x}`).join('');
  switch (s.run.status) {
    case 'passed': {
      const n = s.chaos?.faults.length ?? 0;
      const ok = s.chaos?.faults.filter((f) => f.verdict === 'passed').length ?? 0;
      const faults = n ? `; ${ok < n ? `${ok} of ${n} faults` : n === 1 ? 'the fault' : `all ${n} faults`} passed` : '';
      const base = s.security ? securityPassed(s) : metList(s.thresholds.length, s.slos.length - unmeasured);
      return { status: 'passed', word: 'PASSED', mark: '✓', reason: `${base}${faults}${unmeasuredText}${loudText}` };
    }
    case 'failed': {
      const all = [...failures, ...chaos.failed];
      const head = sec?.findings
        ? `${sec.findings}${all.length ? `; ${joinAnd(all)} failed` : ''}`
        : all.length
          ? `${joinAnd(all)} failed`
          : chaos.loud.length
            ? 'the experiment failed'
            : 'a check failed';
      return {
        status: 'failed',
        word: 'FAILED',
        mark: '✗',
        reason: `${head}${unmeasuredText}${loudText}${s.run.abortReason ? `; stopped early (${s.run.abortReason})` : ''}`,
      };
    }
    case 'aborted': {
      const by = s.thresholds.find((t) => t.aborted);
      const probe = s.chaos?.abortedBy;
      const why = by
        ? `aborted by threshold ${by.metric} ${by.expression}`
        : probe
          ? `aborted by probe ${probe.probe} at ${formatClock(probe.atMs)} (${probe.reason})`
          : `aborted (${s.run.abortReason ?? 'no reason recorded'})`;
      const rest = chaos.loud.filter((x) => !x.startsWith('experiment aborted'));
      return {
        status: 'aborted',
        word: 'ABORTED',
        mark: '!',
        reason: `${why}; figures cover the first ${(s.run.durationMs / 1000).toFixed(1)} s only${rest.length ? `; ${rest.join('; ')}` : ''}`,
      };
    }
    case 'error':
      // A penetration run is an error when checks could not reach a verdict (and none found a vulnerability).
      if (sec?.errors && !s.run.abortReason)
        return {
          status: 'error',
          word: 'ERROR',
          mark: '!',
          reason: `${sec.errors}: not a pass; no vulnerability found by the others${sec.detection ? `; ${sec.detection}` : ''}`,
        };
      return { status: 'error', word: 'ERROR', mark: '!', reason: `the run did not complete: ${s.run.abortReason ?? 'infrastructure error'}` };
  }
}
