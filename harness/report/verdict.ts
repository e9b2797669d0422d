import type { RunStatus, RunSummary } from './summary-model.ts';

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
  switch (s.run.status) {
    case 'passed':
      return { status: 'passed', word: 'PASSED', mark: '✓', reason: `${metList(s.thresholds.length, s.slos.length - unmeasured)}${unmeasuredText}` };
    case 'failed':
      return {
        status: 'failed',
        word: 'FAILED',
        mark: '✗',
        reason: `${failures.length ? failures.join(' and ') + ' failed' : 'a check failed'}${unmeasuredText}${s.run.abortReason ? `; stopped early (${s.run.abortReason})` : ''}`,
      };
    case 'aborted': {
      const by = s.thresholds.find((t) => t.aborted);
      const why = by ? `aborted by threshold ${by.metric} ${by.expression}` : `aborted (${s.run.abortReason ?? 'no reason recorded'})`;
      return { status: 'aborted', word: 'ABORTED', mark: '!', reason: `${why}; figures cover the first ${(s.run.durationMs / 1000).toFixed(1)} s only` };
    }
    case 'error':
      return { status: 'error', word: 'ERROR', mark: '!', reason: `the run did not complete: ${s.run.abortReason ?? 'infrastructure error'}` };
  }
}
