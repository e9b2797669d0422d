import { SUMMARY_SCHEMA, type RunStatus, type RunSummary } from './summary-model.ts';
import { judgeRun, type RunEnd } from './verdict.ts';

export const SUMMARY_SCHEMA_V1 = 'crucible.summary/v1' as const;

/** A summary.json written before the verdict was stored: the status and exit code sat in `run`, limits only in words. */
export type RunSummaryV1 = Omit<RunSummary, 'schema' | 'run' | 'verdict'> & {
  readonly schema: typeof SUMMARY_SCHEMA_V1;
  readonly run: RunSummary['run'] & { readonly status: RunStatus; readonly exitCode: 0 | 1 | 2 | 3 };
};

/**
 * A v1 summary as v2: its verdict derived by the same judgeRun() a run uses now, from its results
 * and how it ended (v1 said that only through its status). Thresholds and SLOs keep no `limit`
 * (v1 had them in words only), so reports of an old run draw no limit lines.
 */
export function summaryFromV1(s: RunSummaryV1): RunSummary {
  const { status, exitCode: _exitCode, ...run } = s.run;
  // A penetration run's 'error' came from its checks, which judgeRun sees itself; any other 'error' was the run's.
  const end: RunEnd =
    status === 'aborted'
      ? { kind: 'interrupted', reason: run.abortReason ?? 'interrupted' }
      : status === 'error' && (run.abortReason !== undefined || !s.security)
        ? { kind: 'error', reason: run.abortReason ?? 'infrastructure error' }
        : { kind: 'completed' };
  return { ...s, schema: SUMMARY_SCHEMA, run, verdict: judgeRun(s, end) };
}
