import { join, relative } from 'node:path';
import type { RunStatus, RunSummary } from '../result/summary-model.ts';

export interface SuiteRuns {
  readonly name: string;
  /** The suite's verdict (judgeSuite). */
  readonly status: RunStatus;
  readonly suiteDir: string;
  readonly runs: readonly { readonly summary: RunSummary; readonly runDir: string }[];
  /** Scenarios not run on the suite's target, with why. */
  readonly skipped?: readonly { readonly scenario: string; readonly reason: string }[];
}

const MARK: Readonly<Record<RunStatus, string>> = { passed: 'PASS', failed: 'FAIL', aborted: 'ABORTED', error: 'ERROR' };

/** A suite's summary.md: its verdict, then a row per run with its verdict, p95, errors and a link to its report. */
export function renderSuiteMarkdown(suite: SuiteRuns): string {
  const rows = suite.runs.map(({ summary: s, runDir }) => {
    const p95 = s.metrics['http_req_duration']?.type === 'trend' ? `${s.metrics['http_req_duration'].values['p(95)'].toFixed(1)} ms` : '-';
    const failed = s.metrics['http_req_failed']?.type === 'rate' ? `${(s.metrics['http_req_failed'].values.rate * 100).toFixed(2)} %` : '-';
    return `| ${s.run.scenario.name} | ${MARK[s.verdict.status]} | ${p95} | ${failed} | ${(s.run.durationMs / 1000).toFixed(0)} s | [report](${relative(suite.suiteDir, join(runDir, 'report.html'))}) |`;
  });
  return [
    `## Suite ${suite.name}: ${suite.status.toUpperCase()}`,
    '',
    '| scenario | verdict | p95 | errors | duration | report |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(suite.skipped ?? []).map((k) => `| ${k.scenario} | SKIPPED: ${k.reason.replace(/\|/g, '\\|')} | - | - | - | - |`),
    '',
  ].join('\n');
}
