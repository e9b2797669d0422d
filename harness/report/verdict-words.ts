import { formatClock, formatPercent } from './format-values.ts';
import { applicableCount, securityFailures } from './security-findings.ts';
import { faultSubject, type Failure, type FailureKind } from '../result/failure.ts';
import { failedOn } from '../result/verdict.ts';
import type { ChaosAnalysis, RunStatus, RunSummary, RunVerdict } from '../result/summary-model.ts';

/** The stored verdict as every report leads with it. */
export interface VerdictWords {
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

const STEADY_STATE_WORDS: Readonly<Record<string, string>> = { before: 'before the faults', after: 'after recovery' };

const ofKind = (list: readonly Failure[], kind: FailureKind): Failure[] => list.filter((f) => f.kind === kind);

/** The experiment's availability as the verdict judged it: null when it was not measured. */
export function availabilityMet(c: ChaosAnalysis, v: RunVerdict): boolean | null {
  return c.availability.ratio === null ? null : !failedOn(v, 'availability', 'experiment');
}

/** Whether the verdict failed the run on this phase of the steady-state hypothesis ('during' is never judged). */
export const steadyStateFailed = (v: RunVerdict, phase: string): boolean => failedOn(v, 'steady-state', phase);

/** The chaos failures of the verdict in the banner's words: `failed` items complete "... failed", `loud` ones are said on their own. */
function chaosWords(c: ChaosAnalysis, failures: readonly Failure[], warnings: readonly Failure[]): { readonly failed: string[]; readonly loud: string[] } {
  const failedSubjects = new Set(ofKind(failures, 'fault').map((f) => f.subject));
  const faults = c.faults.filter((f) => failedSubjects.has(faultSubject(f)));
  const names = [...new Set(faults.map((f) => f.name))];
  const availability = ofKind(failures, 'availability')[0];
  const failed = [
    faults.length ? `${plural(faults.length, 'fault')} of ${c.faults.length} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})` : '',
    ...ofKind(failures, 'steady-state').map((x) => `the steady state ${STEADY_STATE_WORDS[x.subject] ?? x.subject}`),
    availability ? `availability (${formatPercent(availability.actual)} < ${formatPercent(availability.limit?.value)})` : '',
  ].filter(Boolean);
  const dataLoss = [...ofKind(failures, 'data-loss'), ...ofKind(warnings, 'data-loss')];
  const count = (subject: string): number => dataLoss.find((x) => x.subject === subject)?.actual ?? 0;
  const probeAbort = ofKind(failures, 'abort').some((x) => x.subject !== 'signal') ? c.abortedBy : undefined;
  const loud = [
    count('lost') > 0 ? `${plural(count('lost'), 'acknowledged write')} LOST` : '',
    count('duplicated') > 0 ? `${plural(count('duplicated'), 'write')} DUPLICATED` : '',
    ofKind(failures, 'rollback').length ? 'rollback INCOMPLETE' : '',
    probeAbort ? `experiment aborted by probe ${probeAbort.probe} at ${formatClock(probeAbort.atMs)} (${probeAbort.reason})` : '',
  ].filter(Boolean);
  return { failed, loud };
}

const joinAnd = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A passed penetration run in words: every applicable check passed, and detection. */
function securityPassed(s: RunSummary & { security: NonNullable<RunSummary['security']> }): string {
  const sec = s.security;
  const n = applicableCount(sec);
  const na = sec.counts.notApplicable ? ` (${sec.counts.notApplicable} not applicable)` : '';
  const missed = ofKind(s.verdict.warnings, 'detection').length;
  const measured = sec.detection.filter((d) => d.notMeasured === undefined).length;
  const unmeasured = sec.detection.length - measured;
  const detection =
    unmeasured > 0
      ? `; detection not measured${measured > 0 ? ` for ${plural(unmeasured, 'attack class')}` : ''}`
      : sec.detection.length === 0 || missed > 0
        ? ''
        : `; all ${sec.detection.length} attack classes detected in time`;
  return `no vulnerability found: ${n === sec.counts.pass ? `all ${n} applicable checks passed` : `${sec.counts.pass} of ${n} applicable checks passed`}${na}${detection}`;
}

/** The run's stored verdict (summary.verdict) in words: the word, the mark and one line saying why. */
export function verdictWords(s: RunSummary): VerdictWords {
  const { failures, warnings } = s.verdict;
  const failedThresholds = ofKind(failures, 'threshold').length;
  const failedSlos = ofKind(failures, 'slo').length;
  const unmeasured = s.slos.filter((o) => o.actual === null).length;
  const counted = [
    failedThresholds ? `${plural(failedThresholds, 'threshold')} of ${s.thresholds.length}` : '',
    failedSlos ? `${plural(failedSlos, 'SLO')} of ${s.slos.length}` : '',
  ].filter(Boolean);
  const unmeasuredText = unmeasured ? `; ${plural(unmeasured, 'SLO')} not measured` : '';
  const chaos = s.chaos ? chaosWords(s.chaos, failures, warnings) : { failed: [], loud: [] };
  const sec = s.security ? securityFailures(s.security, s.verdict) : undefined;
  // Findings lead a penetration run's reason; checks without a verdict and missed detections are said too, whatever the status.
  const secLoud = sec ? [sec.errors, sec.detection].filter(Boolean) : [];
  const loudText = [...chaos.loud, ...secLoud].map((x) => `; ${x}`).join('');
  switch (s.verdict.status) {
    case 'passed': {
      const n = s.chaos?.faults.length ?? 0;
      const failedFaults = new Set(ofKind(failures, 'fault').map((f) => f.subject)).size;
      const faults = n ? `; ${failedFaults > 0 ? `${n - failedFaults} of ${n} faults` : n === 1 ? 'the fault' : `all ${n} faults`} passed` : '';
      const base = s.security ? securityPassed({ ...s, security: s.security }) : metList(s.thresholds.length, s.slos.length - unmeasured);
      return { status: 'passed', word: 'PASSED', mark: '✓', reason: `${base}${faults}${unmeasuredText}${loudText}` };
    }
    case 'failed': {
      const all = [...counted, ...chaos.failed];
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
    case 'error': {
      const incomplete = ofKind(failures, 'error')[0];
      const nothingTested = ofKind(failures, 'coverage')[0];
      if (nothingTested && !incomplete) return { status: 'error', word: 'ERROR', mark: '!', reason: nothingTested.words };
      // A penetration run is an error when checks could not reach a verdict (and none found a vulnerability).
      if (sec?.errors && !incomplete)
        return {
          status: 'error',
          word: 'ERROR',
          mark: '!',
          reason: `${sec.errors}: not a pass; no vulnerability found by the others${sec.detection ? `; ${sec.detection}` : ''}`,
        };
      return { status: 'error', word: 'ERROR', mark: '!', reason: incomplete?.words ?? 'the run did not complete: infrastructure error' };
    }
  }
}
